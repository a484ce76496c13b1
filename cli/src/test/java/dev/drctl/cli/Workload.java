package dev.drctl.cli;

import dev.drctl.testenv.Topology;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady insert workload: one thread inserting numbered rows (autocommit) into {@code workload} on whichever node
 * {@link #target} names, recording every number whose insert was acknowledged. A failed insert is retried with the
 * next number on a fresh connection, so it measures exactly what clients saw.
 *
 * <p>On MariaDB it writes as an application account ({@code app}, INSERT and SELECT on the {@code app} database
 * only), the way clients write: the admin account testenv connects with may write through {@code read_only}, which
 * would make a demoted primary look writable. On PostgreSQL {@code default_transaction_read_only} binds every role.
 *
 * <p>{@link #beginReadWrite}: on PostgreSQL, as the application role {@code app}, each insert its own explicit
 * {@code BEGIN READ WRITE … COMMIT} transaction, acknowledged when the COMMIT returns: the writer the read-only default
 * alone does not stop.
 */
final class Workload implements AutoCloseable {
    /** The application account's password: a test fixture of the throw-away topology, not one of drctl's secrets. */
    private static final String APP_PASSWORD = "app-pw";
    private final Topology topology;
    private final ConcurrentSkipListSet<Integer> acked = new ConcurrentSkipListSet<>();
    private final AtomicInteger next = new AtomicInteger(1);
    private final AtomicInteger failures = new AtomicInteger();
    private volatile NodeName target;
    private volatile boolean stopped;
    private volatile boolean paused;
    private volatile boolean idle;
    private final Thread thread;
    private final boolean mariadb;
    private final boolean explicitReadWrite;
    private final String table;

    Workload(Topology topology, NodeName primary) {
        this(topology, primary, "workload");
    }

    /** A workload on its own table {@code name}, so several can run one after the other on one topology. */
    Workload(Topology topology, NodeName primary, String name) {
        this(topology, primary, name, false);
    }

    /** PostgreSQL: inserts by the application role, each in an explicit {@code BEGIN READ WRITE} transaction. */
    static Workload beginReadWrite(Topology topology, NodeName primary, String name) {
        return new Workload(topology, primary, name, true);
    }

    private Workload(Topology topology, NodeName primary, String name, boolean explicitReadWrite) {
        this.topology = topology;
        this.target = primary;
        this.mariadb = topology.engine() == Engine.MARIADB;
        this.explicitReadWrite = explicitReadWrite && !mariadb;
        this.table = mariadb ? "app." + name : name;
        try (var c = topology.connect(primary); var s = c.createStatement()) {
            if (mariadb) {
                s.execute("CREATE DATABASE IF NOT EXISTS app");
                s.execute("CREATE USER IF NOT EXISTS 'app'@'127.0.0.1' IDENTIFIED BY '" + APP_PASSWORD + "'");
                s.execute("GRANT SELECT, INSERT ON app.* TO 'app'@'127.0.0.1'");
            }
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (n INTEGER PRIMARY KEY, at VARCHAR(40))");
            if (this.explicitReadWrite) {
                s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app') THEN "
                        + "CREATE ROLE app LOGIN PASSWORD '" + APP_PASSWORD + "'; END IF; END $$");
                s.execute("GRANT SELECT, INSERT ON " + table + " TO app");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        this.thread = Thread.ofPlatform().name("workload").daemon(true).start(this::loop);
    }

    private Connection open(NodeName node) throws SQLException {
        if (explicitReadWrite) {
            var props = new Properties();
            props.setProperty("user", "app");
            props.setProperty("password", APP_PASSWORD);
            props.setProperty("connectTimeout", "5");
            props.setProperty("socketTimeout", "30");
            return new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + topology.node(node).serverPort()
                    + "/postgres", props);
        }
        if (!mariadb) {
            return topology.connect(node);
        }
        var props = new Properties();
        props.setProperty("user", "app");
        props.setProperty("password", APP_PASSWORD);
        props.setProperty("connectTimeout", "5000");
        props.setProperty("socketTimeout", "30000");
        props.setProperty("sslMode", "DISABLED");
        props.setProperty("allowPublicKeyRetrieval", "true");
        var c = new com.mysql.cj.jdbc.Driver().connect("jdbc:mysql://127.0.0.1:" + topology.node(node).serverPort()
                + "/app", props);
        if (c == null) {
            throw new SQLException("driver refused " + node);
        }
        return c;
    }

    /**
     * One insert on {@code node} as this workload's clients write (same account, same transaction form), on a fresh
     * connection: the application's first write attempt on a node, say an old primary that just restarted.
     */
    void insertOnce(NodeName node) throws SQLException {
        try (var c = open(node)) {
            if (explicitReadWrite) {
                try (var s = c.createStatement()) {
                    s.execute("BEGIN READ WRITE");
                }
            }
            try (var ps = c.prepareStatement("INSERT INTO " + table + " (n, at) VALUES (?, ?)")) {
                ps.setInt(1, -1000);
                ps.setString(2, "written on " + node);
                ps.executeUpdate();
            }
            if (explicitReadWrite) {
                try (var s = c.createStatement()) {
                    s.execute("COMMIT");
                }
            }
        }
    }

    private void loop() {
        Connection c = null;
        NodeName on = null;
        while (!stopped) {
            if (paused) {
                idle = true;
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                continue;
            }
            idle = false;
            try {
                if (c == null || on != target) {
                    close(c);
                    on = target;
                    c = open(on);
                }
                int n = next.getAndIncrement();
                if (explicitReadWrite) {
                    try (var s = c.createStatement()) {
                        s.execute("BEGIN READ WRITE");
                    }
                }
                try (var ps = c.prepareStatement("INSERT INTO " + table + " (n, at) VALUES (?, ?)")) {
                    ps.setInt(1, n);
                    ps.setString(2, Instant.now().toString());
                    ps.executeUpdate();
                }
                if (explicitReadWrite) {
                    try (var s = c.createStatement()) {
                        s.execute("COMMIT");
                    }
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

    /** Stops issuing inserts and returns once none is in flight: every insert so far is acknowledged or failed. */
    void pause() {
        paused = true;
        Await.until("the workload is idle", Duration.ofSeconds(30), () -> idle || !thread.isAlive());
    }

    void resume() {
        idle = false;
        paused = false;
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
        try (var c = topology.connect(node); var s = c.createStatement(); var rs = s.executeQuery("SELECT n FROM " + table)) {
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
