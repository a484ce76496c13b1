package dev.drctl.runbooks;

import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrctlException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32;

/**
 * {@link ActorLock} as a PostgreSQL session advisory lock in the shared store: every drctl using that store sees it,
 * and the server releases it when the holder's connection dies.
 *
 * <p>The lock lives exactly as long as its session, so losing the session (a store restart, a network cut,
 * {@code pg_terminate_backend}) loses the lock, and another drctl may take it at once. pgjdbc never reconnects on its
 * own, so a lost session cannot come back looking healthy: {@link #check()} asks the session itself whether it still
 * holds the lock ({@code pg_locks} for its own backend pid), bounded by the session's socket timeout. That look runs
 * before every step rather than on a keep-alive timer: the engine can only stop a run between steps, so a look at
 * each of those points detects every loss that matters, with no thread of its own and one round trip per step.
 */
final class PostgresActorLock implements ActorLock {
    /** The lock's first key: "drct", so drctl's locks never collide with an application's one-key locks. */
    private static final int NAMESPACE = 0x64726374;
    /** Every statement on the lock session is tiny: a store that is silent this long has hung or gone. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    /** Server-side TCP keep-alive of the lock session: idle time before the first probe, then every interval. */
    static final Duration KEEPALIVE_IDLE = Duration.ofSeconds(10);
    static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(5);
    static final int KEEPALIVE_COUNT = 3;
    /** {@code application_name} holds at most 63 bytes. */
    private static final int NAME_LIMIT = 63;
    private static final String NAME_PREFIX = "drctl ";
    private static final String PID_MARK = " pid ";

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

    static ActorLock.Attempt tryAcquire(String url, ClusterName cluster, Holder self) {
        Connection c = null;
        try {
            // The name is set at connect time, so a refused actor that looks between our lock and our next statement
            // still sees who we are.
            c = StateStore.openPostgresSession(url, SOCKET_TIMEOUT, applicationName(self));
            c.setAutoCommit(true);
            try (var st = c.createStatement()) {
                // The server side of the same promise: a holder that vanished from the network (no FIN, no RST) is
                // dropped, and its lock released, within about half a minute instead of the OS default of hours.
                st.execute("SET tcp_keepalives_idle = " + KEEPALIVE_IDLE.toSeconds() + "; SET tcp_keepalives_interval = "
                        + KEEPALIVE_INTERVAL.toSeconds() + "; SET tcp_keepalives_count = " + KEEPALIVE_COUNT);
            }
            try (var st = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                st.setInt(1, NAMESPACE);
                st.setInt(2, key(cluster));
                try (var rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
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

    /** {@code drctl user:alice pid 4242}, cut to what PostgreSQL keeps. */
    static String applicationName(Holder self) {
        var name = NAME_PREFIX + self.actor() + self.pid().stream().mapToObj(p -> PID_MARK + p).findFirst().orElse("");
        return name.length() > NAME_LIMIT ? name.substring(0, NAME_LIMIT) : name;
    }

    /** The holder named by an {@code application_name} {@link #applicationName} wrote; anything else as it reads. */
    static Holder holderNamed(String applicationName, Optional<String> from, Optional<OffsetDateTime> since,
                              long session) {
        var name = applicationName == null ? "" : applicationName;
        var actor = name.startsWith(NAME_PREFIX) ? name.substring(NAME_PREFIX.length()) : name;
        OptionalLong pid = OptionalLong.empty();
        int mark = actor.lastIndexOf(PID_MARK);
        if (mark > 0) {
            try {
                pid = OptionalLong.of(Long.parseLong(actor.substring(mark + PID_MARK.length())));
                actor = actor.substring(0, mark);
            } catch (NumberFormatException e) {
                // a name cut short inside the pid: keep it as it reads
            }
        }
        return new Holder(actor.isBlank() ? "another session" : actor, pid, from, since.map(OffsetDateTime::toInstant),
                OptionalLong.of(session));
    }

    private static Holder holderOf(Connection c, ClusterName cluster) throws SQLException {
        try (var st = c.prepareStatement("SELECT a.application_name, host(a.client_addr), a.pid, a.backend_start "
                + "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                + "AND l.classid = ? AND l.objid = ? AND l.objsubid = 2 AND l.granted")) {
            st.setLong(1, Integer.toUnsignedLong(NAMESPACE));
            st.setLong(2, Integer.toUnsignedLong(key(cluster)));
            try (var rs = st.executeQuery()) {
                if (rs.next()) {
                    var from = Optional.ofNullable(rs.getString(2)).or(() -> Optional.of("a local socket"));
                    return holderNamed(rs.getString(1), from,
                            Optional.ofNullable(rs.getObject(4, OffsetDateTime.class)), rs.getInt(3));
                }
            }
        }
        return Holder.unknown();
    }

    @Override
    public Check check() {
        try (var st = connection.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                + "AND pid = pg_backend_pid() AND classid = ? AND objid = ? AND objsubid = 2 AND granted")) {
            st.setLong(1, Integer.toUnsignedLong(NAMESPACE));
            st.setLong(2, Integer.toUnsignedLong(key(cluster)));
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0 ? new Check.Held()
                        : new Check.Lost("the store session no longer holds the advisory lock of " + cluster);
            }
        } catch (SQLException e) {
            return new Check.Lost("the store session that held the advisory lock of " + cluster + " is gone ("
                    + e.getMessage() + "); the server released the lock with it");
        }
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
