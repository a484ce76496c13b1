package dev.drctl.probes.postgres;

import dev.drctl.probes.JdbcProbe;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.ReplicationStream;
import dev.drctl.topology.Role;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Probes a PostgreSQL server: role from {@code pg_is_in_recovery()}, positions as {@link DataPosition.PgLsn}
 * (a primary's current WAL position; a replica's received and replayed ones), lag in bytes and
 * replay delay, and the replica's stream from {@code pg_stat_wal_receiver} (status and last contact). The received
 * position ({@code pg_last_wal_receive_lsn()}) is reported whether or not the receiver runs: after its upstream dies
 * it is still the furthest WAL the replica holds, and what its data loss is measured on.
 */
public final class PostgresProbe extends JdbcProbe {

    public PostgresProbe(ClusterSpec cluster, Map<String, String> environment, Clock clock) {
        super(cluster, environment, clock);
    }

    @Override
    protected String jdbcUrl(NodeSpec node) {
        return "jdbc:postgresql://" + node.address() + "/postgres";
    }

    @Override
    protected String driverClassName() {
        return "org.postgresql.Driver";
    }

    @Override
    protected Properties driverProperties(Duration timeout) {
        var p = new Properties();
        // pgjdbc counts these in whole seconds; the outer deadline holds the exact bound.
        p.setProperty("connectTimeout", Integer.toString(ceilSeconds(timeout)));
        p.setProperty("loginTimeout", Integer.toString(ceilSeconds(timeout)));
        p.setProperty("socketTimeout", Integer.toString(ceilSeconds(timeout)));
        p.setProperty("options", "-c statement_timeout=" + Math.max(1, timeout.toMillis()));
        p.setProperty("ApplicationName", "drctl-probe");
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    @Override
    protected ProbeOutcome.Reached observe(Connection connection) throws SQLException {
        try (var st = connection.createStatement()) {
            boolean inRecovery;
            String version;
            boolean readOnly;
            try (var rs = st.executeQuery(PostgresQueries.STATE)) {
                rs.next();
                inRecovery = rs.getBoolean(1);
                version = rs.getString(2);
                readOnly = "on".equals(rs.getString(3)) || "on".equals(rs.getString(4));
            }
            return inRecovery ? replica(st, version) : primary(st, version, readOnly);
        }
    }

    private static ProbeOutcome.Reached primary(java.sql.Statement st, String version, boolean readOnly) throws SQLException {
        try (var rs = st.executeQuery(PostgresQueries.PRIMARY_POSITION)) {
            rs.next();
            var position = Optional.<DataPosition>of(DataPosition.PgLsn.parse(rs.getInt(2), rs.getString(1)));
            return new ProbeOutcome.Reached(Role.PRIMARY, !readOnly, position, position, Lag.none(), Optional.empty(),
                    version);
        }
    }

    private static ProbeOutcome.Reached replica(java.sql.Statement st, String version) throws SQLException {
        var stream = Optional.<ReplicationStream>empty();
        Integer receiverTimeline = null;
        String status = null;
        Optional<String> host = Optional.empty();
        Optional<Integer> port = Optional.empty();
        Optional<Instant> lastContact = Optional.empty();
        try (var rs = st.executeQuery(PostgresQueries.WAL_RECEIVER)) {
            if (rs.next()) {
                status = rs.getString(1);
                receiverTimeline = integer(rs, 2);
                host = Optional.ofNullable(rs.getString(3));
                port = Optional.ofNullable(integer(rs, 4));
                lastContact = Optional.ofNullable(rs.getObject(5, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
            }
        }
        try (var rs = st.executeQuery(PostgresQueries.REPLICA_POSITION)) {
            rs.next();
            var receivedText = rs.getString(1);
            var replayedText = rs.getString(2);
            Long lagBytes = longOrNull(rs, 3);
            Long lagMillis = longOrNull(rs, 4);
            boolean paused = rs.getBoolean(5);
            int checkpointTimeline = rs.getInt(6);
            // The receiver knows the timeline it streams on; without one, the newest timeline the replica holds WAL
            // of (a replica that followed a promotion has segments of the new timeline before any restartpoint names it).
            int timeline = receiverTimeline != null ? receiverTimeline
                    : Math.max(checkpointTimeline, newestWalTimeline(st).orElse(checkpointTimeline));
            var applied = Optional.ofNullable(replayedText).map(t -> (DataPosition) DataPosition.PgLsn.parse(timeline, t));
            // Nothing received by streaming since start-up (e.g. replayed from pg_wal only): the replayed
            // position is all the replica holds.
            var received = receivedText == null ? applied
                    : Optional.of((DataPosition) DataPosition.PgLsn.parse(timeline, receivedText));
            var lag = new Lag(Optional.ofNullable(lagBytes).map(b -> Math.max(0L, b)),
                    Optional.ofNullable(lagMillis).map(ms -> Duration.ofMillis(Math.max(0L, ms))));
            stream = Optional.of(new ReplicationStream("streaming".equals(status), !paused, host, port, Optional.empty(),
                    lastContact));
            return new ProbeOutcome.Reached(Role.REPLICA, false, received, applied, lag, stream, version);
        }
    }

    // Without pg_monitor the listing is refused: the restartpoint's timeline is then the only guess left.
    private static Optional<Integer> newestWalTimeline(java.sql.Statement st) {
        try (var rs = st.executeQuery(PostgresQueries.NEWEST_WAL_TIMELINE)) {
            return rs.next() ? Optional.ofNullable(integer(rs, 1)) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
