package dev.drctl.probes.mysql;

import dev.drctl.probes.JdbcProbe;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.Comparison;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.ReplicationStream;
import dev.drctl.topology.Role;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.WeakHashMap;

/**
 * Probes a MySQL 5.7/8.x/9.x or MariaDB server through MySQL Connector/J, choosing its statements by
 * {@link MysqlFlavor} from {@code SELECT VERSION()} on every probe (an upgrade in place changes the
 * dialect without a restart of drctl).
 *
 * <ul>
 *   <li>Role: a replica when the replica status has a row, else a primary. A read-only server with
 *       no replication configured is a (fenced) primary that is not writable, not a replica.</li>
 *   <li>Writable: not {@code read_only} and, on MySQL, not {@code super_read_only}.</li>
 *   <li>MySQL positions ({@code gtid_mode=ON} only; file/offset replication has no comparable position
 *       and is reported without one): applied = {@code gtid_executed}; received = executed united with
 *       the replica status's {@code Retrieved_Gtid_Set}.</li>
 *   <li>MariaDB positions: a primary's {@code gtid_current_pos}; a replica's applied
 *       {@code gtid_slave_pos} and received {@code Gtid_IO_Pos} (the applied one when the IO thread has
 *       not fetched anything yet).</li>
 *   <li>Lag: seconds from {@code Seconds_Behind_*}; NULL stays unknown, never 0. The MySQL family
 *       reports no byte lag, so bytes are unknown for replicas, with one measured exception: when
 *       {@code Seconds_Behind_*} is NULL (the IO thread is down, e.g. the primary died) and the applied
 *       position holds everything received (as reported by the replica status, not assumed), the bytes received but not
 *       yet applied are 0 — the figure
 *       PostgreSQL reports (received − replayed) when its primary is gone; the time stays unknown.
 *       This is the apply gap, not the data loss: what a candidate never received is
 *       counted in missing transactions by the ranker, comparing GTID sets against the primary's last known
 *       position and the other replicas.</li>
 * </ul>
 */
public final class MysqlProbe extends JdbcProbe {

    public MysqlProbe(ClusterSpec cluster, Map<String, String> environment, Clock clock) {
        super(cluster, environment, clock);
    }

    @Override
    protected String jdbcUrl(NodeSpec node) {
        return "jdbc:mysql://" + node.address() + "/";
    }

    @Override
    protected String driverClassName() {
        return "com.mysql.cj.jdbc.Driver";
    }

    @Override
    protected Properties driverProperties(Duration timeout) {
        var p = new Properties();
        // Connector/J takes milliseconds. There is no server-side limit for SHOW statements, so the
        // socket timeout and the outer deadline are what bound a stuck server.
        p.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toMillis())));
        p.setProperty("socketTimeout", Long.toString(Math.max(1, timeout.toMillis())));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("connectionAttributes", "program_name:drctl-probe");
        return p;
    }

    /** A server's version and flavour, as one physical connection was told. */
    private record Server(String version, MysqlFlavor flavor) {
    }

    /**
     * What each open physical connection's server is. A server's version cannot change while a connection to it lives
     * (a restart or an upgrade ends the connection), so it is asked once per connection, not once per probe: one
     * statement in three. Weak keys: a connection the pool closes drops out.
     */
    private final Map<Connection, Server> servers = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    protected ProbeOutcome.Reached observe(Connection connection) throws SQLException {
        try (var st = connection.createStatement()) {
            var server = server(connection, st);
            var version = server.version();
            var flavor = server.flavor();
            var q = flavor.queries();
            var variables = variables(st, flavor);
            try (var rs = st.executeQuery(q.replicaStatus())) {
                var at = rs.next() ? Columns.of(rs.getMetaData(), q) : null;
                if (at == null || blank(rs.getString(at.sourceHost))) {
                    var position = variables.primaryPosition();
                    return new ProbeOutcome.Reached(Role.PRIMARY, variables.writable(), position, position, Lag.none(),
                            Optional.empty(), version);
                }
                return replica(rs, at, variables, version);
            }
        }
    }

    /**
     * Where the replica-status columns drctl reads are in one result, found by label in its metadata. Asking the
     * driver by name instead builds its name maps for all sixty-odd columns of every result, which at thousands of
     * nodes was a tenth of a probe's CPU; the positions are looked up, never assumed, as they differ by version.
     */
    private record Columns(int ioRunning, int sqlRunning, int sourceHost, int sourcePort, int secondsBehind,
                           int lastIoError, int lastSqlError, int receivedPosition) {
        static Columns of(ResultSetMetaData meta, MysqlQueries q) throws SQLException {
            var names = List.of(q.ioRunning(), q.sqlRunning(), q.sourceHost(), q.sourcePort(), q.secondsBehind(),
                    q.lastIoError(), q.lastSqlError(), q.receivedPosition());
            var at = new int[names.size()];
            for (int i = 1, n = meta.getColumnCount(); i <= n; i++) {
                var label = meta.getColumnLabel(i);
                for (int k = 0; k < at.length; k++) {
                    if (at[k] == 0 && names.get(k).equalsIgnoreCase(label)) {
                        at[k] = i;
                    }
                }
            }
            for (int k = 0; k < at.length; k++) {
                if (at[k] == 0) {
                    throw new SQLException("the replica status has no column " + names.get(k));
                }
            }
            return new Columns(at[0], at[1], at[2], at[3], at[4], at[5], at[6], at[7]);
        }
    }

    private Server server(Connection connection, Statement st) throws SQLException {
        // the pool's proxy is new at each borrow; the physical connection under it is what the server answered on
        var physical = connection.unwrap(Connection.class);
        var known = servers.get(physical);
        if (known != null) {
            return known;
        }
        String version;
        try (var rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            version = rs.getString(1);
        }
        try {
            var server = new Server(version, MysqlFlavor.of(version));
            servers.put(physical, server);
            return server;
        } catch (IllegalArgumentException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    private static ProbeOutcome.Reached replica(ResultSet rs, Columns at, Variables variables, String version)
            throws SQLException {
        int rawPort = rs.getInt(at.sourcePort);
        var port = rs.wasNull() || rawPort == 0 ? Optional.<Integer>empty() : Optional.of(rawPort);
        var stream = new ReplicationStream(
                "Yes".equalsIgnoreCase(rs.getString(at.ioRunning)),
                "Yes".equalsIgnoreCase(rs.getString(at.sqlRunning)),
                Optional.ofNullable(rs.getString(at.sourceHost)).filter(h -> !h.isBlank()),
                port,
                firstError(rs.getString(at.lastIoError), rs.getString(at.lastSqlError)));
        long seconds = rs.getLong(at.secondsBehind);
        var lagTime = rs.wasNull() ? Optional.<Duration>empty() : Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        var retrieved = Optional.ofNullable(rs.getString(at.receivedPosition)).map(String::strip).orElse("");
        var applied = variables.replicaApplied();
        var received = variables.replicaReceived(retrieved);
        // Nothing fetched since start-up (MariaDB: no Gtid_IO_Pos; MySQL: an empty Retrieved_Gtid_Set, reset by a
        // restart): the received position then stands in for the applied one and says nothing about what is left to
        // apply, so no byte figure is measured.
        var lag = blank(retrieved) ? new Lag(Optional.empty(), lagTime) : lag(lagTime, received, applied);
        return new ProbeOutcome.Reached(Role.REPLICA, variables.writable(), received, applied, lag,
                Optional.of(stream), version);
    }

    /**
     * The replica's lag: the time is {@code Seconds_Behind_*} (NULL: unknown); when it is NULL and the applied
     * position holds everything received, nothing fetched is left to apply: 0 bytes, measured, not assumed.
     */
    static Lag lag(Optional<Duration> secondsBehind, Optional<DataPosition> received, Optional<DataPosition> applied) {
        if (secondsBehind.isPresent()) {
            return new Lag(Optional.empty(), secondsBehind);
        }
        if (received.isPresent() && applied.isPresent()) {
            var cmp = applied.get().compareWith(received.get());
            if (cmp == Comparison.EQUAL || cmp == Comparison.AHEAD) {
                return new Lag(Optional.of(0L), Optional.empty());
            }
        }
        return Lag.unknown();
    }

    private static Variables variables(Statement st, MysqlFlavor flavor) throws SQLException {
        try (var rs = st.executeQuery(flavor.queries().variables())) {
            rs.next();
            if (flavor.mariadb()) {
                return new Variables(true, !rs.getBoolean(1), null, rs.getString(2), rs.getString(3));
            }
            boolean readOnly = rs.getBoolean(1) || rs.getBoolean(2);
            boolean gtids = "ON".equalsIgnoreCase(rs.getString(3));
            return new Variables(false, !readOnly, gtids ? rs.getString(4) : null, null, null);
        }
    }

    /** What the variables statement said; MySQL fills {@code executed} (null without GTIDs), MariaDB the positions. */
    private record Variables(boolean mariadb, boolean writable, String executed, String currentPos, String slavePos) {

        Optional<DataPosition> primaryPosition() {
            return mariadb ? Optional.of(new DataPosition.MariadbGtidPos(nullToEmpty(currentPos)))
                    : Optional.ofNullable(executed).map(DataPosition.MysqlGtidSet::new);
        }

        Optional<DataPosition> replicaApplied() {
            if (mariadb) {
                // A replica that also logged local transactions has them only in gtid_current_pos;
                // gtid_slave_pos is what it applied from its upstream.
                var pos = blank(slavePos) ? currentPos : slavePos;
                return Optional.of(new DataPosition.MariadbGtidPos(nullToEmpty(pos)));
            }
            return primaryPosition();
        }

        Optional<DataPosition> replicaReceived(String retrieved) {
            if (mariadb) {
                return blank(retrieved) ? replicaApplied() : Optional.of(new DataPosition.MariadbGtidPos(retrieved));
            }
            if (executed == null) {
                return Optional.empty();
            }
            var set = new DataPosition.MysqlGtidSet(executed);
            return Optional.of(blank(retrieved) ? set : set.union(new DataPosition.MysqlGtidSet(retrieved)));
        }
    }

    private static Optional<String> firstError(String io, String sql) {
        if (!blank(io)) {
            return Optional.of(io.strip());
        }
        return blank(sql) ? Optional.empty() : Optional.of(sql.strip());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s.strip();
    }
}
