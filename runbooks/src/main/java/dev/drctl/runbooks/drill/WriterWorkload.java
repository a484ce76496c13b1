package dev.drctl.runbooks.drill;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The drill's application: it writes one row per write, each with its own id, to whichever node the environment's
 * writer DNS record names, at a fixed rate, and records every write the server acknowledged (id, time, node). What
 * the new primary lacks of those is the data loss, by id; the first acknowledged write on the new primary ends the
 * RTO. A write that failed is retried under a new id (it may or may not have committed: only acknowledged writes
 * count).
 */
public final class WriterWorkload implements AutoCloseable {
    /** One acknowledged write. */
    public record Ack(long id, Instant at, NodeName node) {
    }

    private final DrillEnvironment env;
    private final int perSecond;
    private final Clock clock;
    private final List<Ack> acks = new ArrayList<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running;
    private Thread thread;
    private NodeName lastWriter;

    public WriterWorkload(DrillEnvironment env, int perSecond, Clock clock) {
        this.env = env;
        this.perSecond = perSecond;
        this.clock = clock;
    }

    static String table(Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> "drctl_drill_writes";
            case MARIADB, MYSQL -> "drctl_drill.writes";
        };
    }

    /** Creates the table on the primary (it replicates like any other) and starts writing. */
    public void start(NodeName primary) {
        var engine = env.engine();
        try (var c = env.clientConnection(primary); var s = c.createStatement()) {
            if (engine != Engine.POSTGRESQL) {
                s.execute("CREATE DATABASE IF NOT EXISTS drctl_drill");
            }
            var ts = engine == Engine.POSTGRESQL ? "timestamptz" : "datetime(6)";
            s.execute("CREATE TABLE IF NOT EXISTS " + table(engine) + " (id bigint primary key, written_at " + ts
                    + " not null, node varchar(64) not null)");
        } catch (SQLException e) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot create the drill's table on " + primary + ": "
                    + e.getMessage());
        }
        lastWriter = primary;
        running = true;
        thread = Thread.ofPlatform().daemon().name("drill-writer").start(this::loop);
    }

    private void loop() {
        var table = table(env.engine());
        long intervalNanos = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        long id = 0;
        Connection connection = null;
        NodeName connectedTo = null;
        while (running) {
            var writer = env.writerRecord().orElse(lastWriter);
            lastWriter = writer;
            id++;
            attempts.incrementAndGet();
            try {
                if (connection == null || !writer.equals(connectedTo)) {
                    close(connection);
                    connection = null;
                    connection = env.clientConnection(writer);
                    connectedTo = writer;
                }
                try (var ps = connection.prepareStatement("INSERT INTO " + table + " (id, written_at, node) VALUES (?, ?, ?)")) {
                    var at = clock.instant();
                    ps.setLong(1, id);
                    ps.setTimestamp(2, Timestamp.from(at));
                    ps.setString(3, writer.value());
                    ps.executeUpdate(); // autocommit: returning is the acknowledgement
                    var ackAt = clock.instant();
                    synchronized (acks) {
                        acks.add(new Ack(id, ackAt, writer));
                    }
                }
            } catch (SQLException | DrctlException e) {
                failures.incrementAndGet();
                close(connection);
                connection = null;
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime(); // fell behind (a hung server): no burst afterwards
            }
        }
        close(connection);
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // a dead server's connection: nothing to release
            }
        }
    }

    /** Drops the drill's table (through {@code primary}): on the real cluster nothing of the drill stays. */
    public void drop(NodeName primary) {
        try (var c = env.clientConnection(primary); var s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table(env.engine()));
            if (env.engine() != Engine.POSTGRESQL) {
                s.execute("DROP DATABASE IF EXISTS drctl_drill");
            }
        } catch (SQLException e) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot drop the drill's table on " + primary + ": "
                    + e.getMessage());
        }
    }

    /** Every acknowledged write so far, oldest first. */
    public List<Ack> acks() {
        synchronized (acks) {
            return List.copyOf(acks);
        }
    }

    public long attempts() {
        return attempts.get();
    }

    public long failures() {
        return failures.get();
    }

    /** The first write acknowledged by {@code node} at or after {@code since}. */
    public Optional<Ack> firstOn(NodeName node, Instant since) {
        return acks().stream().filter(a -> a.node().equals(node) && !a.at().isBefore(since)).findFirst();
    }

    /** Acknowledged writes in the last {@code window}, per second. */
    public double rate(Duration window) {
        var from = clock.instant().minus(window);
        return acks().stream().filter(a -> a.at().isAfter(from)).count() * 1000.0 / Math.max(1, window.toMillis());
    }

    /** The ids {@code node} holds now (read as the drctl user, straight to the server). */
    public Set<Long> idsOn(NodeName node) {
        var ids = new HashSet<Long>();
        try (var c = env.serverConnection(node); var s = c.createStatement();
             var rs = s.executeQuery("SELECT id FROM " + table(env.engine()))) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot read the drill's writes on " + node + ": "
                    + e.getMessage());
        }
        return ids;
    }

    /** Whether {@code node} accepts a write from an application now (the "two writers" check). */
    public boolean acceptsWrite(NodeName node) {
        try (var c = env.clientConnection(node); var ps = c.prepareStatement("INSERT INTO "
                + table(env.engine()) + " (id, written_at, node) VALUES (?, ?, ?)")) {
            ps.setLong(1, -System.nanoTime());
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.setString(3, node.value());
            ps.executeUpdate();
            return true;
        } catch (SQLException | DrctlException e) {
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
