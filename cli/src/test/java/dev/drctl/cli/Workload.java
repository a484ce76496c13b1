package dev.drctl.cli;

import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.NodeName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady insert workload: one thread inserting numbered rows (autocommit) into {@code workload} on whichever node
 * {@link #target} names, recording every number whose insert was acknowledged. A failed insert is retried with the
 * next number on a fresh connection, so it measures exactly what clients saw.
 */
final class Workload implements AutoCloseable {
    private final LocalTopology topology;
    private final ConcurrentSkipListSet<Integer> acked = new ConcurrentSkipListSet<>();
    private final AtomicInteger next = new AtomicInteger(1);
    private final AtomicInteger failures = new AtomicInteger();
    private volatile NodeName target;
    private volatile boolean stopped;
    private final Thread thread;

    Workload(LocalTopology topology, NodeName primary) {
        this.topology = topology;
        this.target = primary;
        try (var c = topology.connect(primary); var s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS workload (n INTEGER PRIMARY KEY, at VARCHAR(40))");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        this.thread = Thread.ofPlatform().name("workload").daemon(true).start(this::loop);
    }

    private void loop() {
        Connection c = null;
        NodeName on = null;
        while (!stopped) {
            try {
                if (c == null || on != target) {
                    close(c);
                    on = target;
                    c = topology.connect(on);
                }
                int n = next.getAndIncrement();
                try (var ps = c.prepareStatement("INSERT INTO workload (n, at) VALUES (?, ?)")) {
                    ps.setInt(1, n);
                    ps.setString(2, Instant.now().toString());
                    ps.executeUpdate();
                }
                acked.add(n);
            } catch (SQLException | RuntimeException e) {
                failures.incrementAndGet();
                close(c);
                c = null;
                // a load generator's pacing between reconnect attempts, not a synchronisation
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
        close(c);
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // a dead node's connection
            }
        }
    }

    void target(NodeName node) {
        target = node;
    }

    int ackedCount() {
        return acked.size();
    }

    /** Waits until {@code more} further inserts are acknowledged. */
    void awaitMore(int more, Duration timeout) {
        int goal = acked.size() + more;
        Await.until("workload acknowledged " + goal + " inserts (now " + acked.size() + ", failures " + failures.get()
                + ")", timeout, () -> acked.size() >= goal);
    }

    Set<Integer> acked() {
        return new TreeSet<>(acked);
    }

    /** Every n in {@code workload} on {@code node}. */
    Set<Integer> rowsOn(NodeName node) {
        var out = new TreeSet<Integer>();
        try (var c = topology.connect(node); var s = c.createStatement(); var rs = s.executeQuery("SELECT n FROM workload")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(Duration.ofSeconds(30));
    }
}
