package dev.drctl.runbooks;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrctlException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.zip.CRC32;

/**
 * {@link ActorLock} as a PostgreSQL session advisory lock in the shared store: every drctl using that store sees it,
 * and the server releases it when the holder's connection dies.
 */
final class PostgresActorLock implements ActorLock {
    /** The lock's first key: "drct", so drctl's locks never collide with an application's one-key locks. */
    private static final int NAMESPACE = 0x64726374;

    private final Connection connection;
    private final ClusterName cluster;

    private PostgresActorLock(Connection connection, ClusterName cluster) {
        this.connection = connection;
        this.cluster = cluster;
    }

    static int key(ClusterName cluster) {
        var crc = new CRC32();
        crc.update(cluster.value().getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    static ActorLock.Attempt tryAcquire(String url, ClusterName cluster, String holder) {
        Connection c = null;
        try {
            c = DriverManager.getConnection(url);
            c.setAutoCommit(true);
            try (var st = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                st.setInt(1, NAMESPACE);
                st.setInt(2, key(cluster));
                try (var rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        try (var app = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                            app.setString(1, truncate("drctl " + holder));
                            app.execute();
                        }
                        return new ActorLock.Attempt.Held(new PostgresActorLock(c, cluster));
                    }
                }
            }
            var who = holderOf(c, cluster);
            c.close();
            return new ActorLock.Attempt.Busy("advisory lock (" + NAMESPACE + ", " + key(cluster) + ") in the store", who);
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // reported below
                }
            }
            throw new DrctlException(RunbookErrorCode.LOCK_FAILED, "cannot take the one-actor lock of " + cluster
                    + " in the PostgreSQL store: " + e.getMessage() + "; check that the store is reachable");
        }
    }

    private static String truncate(String s) {
        return s.length() > 63 ? s.substring(0, 63) : s;
    }

    private static String holderOf(Connection c, ClusterName cluster) throws SQLException {
        try (var st = c.prepareStatement("SELECT a.application_name, a.client_addr, a.pid, a.backend_start FROM pg_locks l "
                + "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.classid = ? AND l.objid = ? "
                + "AND l.granted")) {
            st.setLong(1, Integer.toUnsignedLong(NAMESPACE));
            st.setLong(2, Integer.toUnsignedLong(key(cluster)));
            try (var rs = st.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1) + " (store session " + rs.getInt(3) + " since " + rs.getString(4) + ")";
                }
            }
        }
        return "another drctl";
    }

    @Override
    public String description() {
        return "advisory lock of " + cluster + " in the PostgreSQL store";
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // the server drops the session lock with the connection in any case
        }
    }
}
