package dev.drctl.promotion.mysql;

import dev.drctl.promotion.ActionOutcome;
import dev.drctl.promotion.ErrantCheck;
import dev.drctl.promotion.Login;
import dev.drctl.promotion.PositionReading;
import dev.drctl.promotion.PromoterTimeouts;
import dev.drctl.promotion.RejoinContext;
import dev.drctl.promotion.jdbc.JdbcPromoter;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * What the MySQL 8 and MariaDB promoters share: the statements come from the server's {@link ReplicationDialect}
 * (read from {@code VERSION()} on every connection, so a mixed-version cluster mid-upgrade is served right), the GTID
 * specifics from the subclass.
 *
 * <p>Fencing sets {@code super_read_only} (MySQL; persisted with {@code SET PERSIST}) or {@code read_only} (MariaDB:
 * not persisted, so a MariaDB old primary that restarts is writable again until drctl fences it on sight; an account
 * with {@code READ_ONLY ADMIN}, which {@code ALL PRIVILEGES} includes, still writes through it) and then kills every
 * client connection except replication threads ({@code system user}, {@code Binlog Dump*}) and drctl's own.
 */
public abstract sealed class MysqlFamilyPromoter extends JdbcPromoter permits MysqlPromoter, MariadbPromoter {
    /** Replication and server threads: never killed by a fence. */
    private static final Set<String> SERVER_USERS = Set.of("system user", "event_scheduler");

    MysqlFamilyPromoter(ClusterSpec cluster, Login login, Optional<Login> replication, PromoterTimeouts timeouts) {
        super(cluster, login, replication, timeouts);
    }

    // --- what differs between MySQL and MariaDB GTIDs -------------------------------------------------------------

    /** The node's applied position ({@code gtid_executed} / {@code gtid_current_pos}). */
    abstract DataPosition applied(Connection c) throws SQLException;

    /** A received-position text (status column) as a position. */
    abstract DataPosition position(String text);

    /** The GTID history to compare for errant transactions ({@code gtid_executed} / {@code gtid_binlog_state}). */
    abstract String history(Connection c) throws SQLException;

    /** What {@code subject}'s history has that {@code reference}'s lacks; empty when nothing. */
    abstract String missing(String subject, String reference);

    /**
     * The server function that waits for the applier to execute a GTID set, taking the set and a timeout in
     * seconds and returning 0 when it did ({@code WAIT_FOR_EXECUTED_GTID_SET} / {@code MASTER_GTID_WAIT}).
     */
    abstract String gtidWaitFunction();

    /** Waits until the applier executed {@code received}; true when it did within {@code timeout}. */
    final boolean waitApplied(Connection c, String received, Duration timeout) throws SQLException {
        try (var ps = c.prepareStatement("SELECT " + gtidWaitFunction() + "(?, ?)")) {
            ps.setString(1, received);
            ps.setInt(2, ceilSeconds(timeout));
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 0;
            }
        }
    }

    /** Statements run on a former primary before it is pointed at the new one (MariaDB: its slave position). */
    abstract List<String> beforeRejoin();

    // --- connections ----------------------------------------------------------------------------------------------

    @Override
    protected Connection connect(NodeSpec node, Duration socketTimeout) throws SQLException {
        var props = new Properties();
        props.setProperty("user", login.user());
        login.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", Long.toString(timeouts.connect().toMillis()));
        props.setProperty("socketTimeout", Long.toString(socketTimeout.plusSeconds(5).toMillis()));
        props.setProperty("allowPublicKeyRetrieval", "true");
        props.setProperty("connectionAttributes", "program_name:drctl-promoter");
        var c = new com.mysql.cj.jdbc.Driver().connect("jdbc:mysql://" + node.address() + "/", props);
        if (c == null) {
            throw new SQLException("the driver refused jdbc:mysql://" + node.address() + "/", "08001");
        }
        try (var s = c.createStatement()) {
            // SET GLOBAL read_only waits for the global read lock: never longer than a statement may take
            s.execute("SET SESSION lock_wait_timeout = " + ceilSeconds(socketTimeout));
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    static ReplicationDialect dialect(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            return ReplicationDialect.of(rs.getString(1));
        }
    }

    /**
     * The replica status of a node: what {@code SHOW REPLICA|SLAVE STATUS} says, or "not configured".
     * {@code ioStarted} also holds while the IO thread is still "Connecting" (started, not yet streaming), as it is
     * for a moment after every START SLAVE; {@code ioRunning} only once it streams.
     */
    record ReplicaStatus(boolean configured, boolean ioStarted, boolean ioRunning, boolean sqlRunning, String host,
                         int port, String user, String received, String lastIoError, String lastSqlError) {
        static final ReplicaStatus NONE = new ReplicaStatus(false, false, false, false, "", 0, "", "", "", "");

        boolean follows(NodeSpec node) {
            return configured && sameHost(host, port, node);
        }

        String describe() {
            if (!configured) {
                return "replication not configured";
            }
            return "source " + host + ":" + port + ", IO " + (ioRunning ? "running" : "stopped") + ", SQL "
                    + (sqlRunning ? "running" : "stopped")
                    + (lastIoError.isBlank() ? "" : ", last IO error: " + lastIoError)
                    + (lastSqlError.isBlank() ? "" : ", last SQL error: " + lastSqlError);
        }
    }

    private static boolean sameHost(String host, int port, NodeSpec node) {
        return sameEndpoint(host, port, node);
    }

    static ReplicaStatus status(Connection c, ReplicationDialect d) throws SQLException {
        var col = d.columns();
        try (var s = c.createStatement(); var rs = s.executeQuery(d.replicaStatus())) {
            if (!rs.next()) {
                return ReplicaStatus.NONE;
            }
            var host = Optional.ofNullable(rs.getString(col.sourceHost())).orElse("");
            var io = Optional.ofNullable(rs.getString(col.ioRunning())).orElse("");
            return new ReplicaStatus(!host.isBlank(), "Yes".equalsIgnoreCase(io) || "Connecting".equalsIgnoreCase(io),
                    "Yes".equalsIgnoreCase(io),
                    "Yes".equalsIgnoreCase(rs.getString(col.sqlRunning())), host, rs.getInt(col.sourcePort()),
                    Optional.ofNullable(rs.getString(col.sourceUser())).orElse(""),
                    Optional.ofNullable(rs.getString(col.received())).orElse("").replaceAll("\\s+", ""),
                    Optional.ofNullable(rs.getString(col.lastIoError())).orElse(""),
                    Optional.ofNullable(rs.getString(col.lastSqlError())).orElse(""));
        }
    }

    /** Whether the server refuses writes from ordinary accounts. */
    static boolean readOnly(Connection c, ReplicationDialect d) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(d.mariadb() ? "SELECT @@GLOBAL.read_only"
                : "SELECT @@GLOBAL.read_only OR @@GLOBAL.super_read_only")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** {@code readOnly} for MySQL means super_read_only too: a half-fenced MySQL node still lets SUPER write. */
    static boolean fullyReadOnly(Connection c, ReplicationDialect d) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(d.mariadb() ? "SELECT @@GLOBAL.read_only"
                : "SELECT @@GLOBAL.super_read_only")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void executeAll(Connection c, List<String> statements) throws SQLException {
        for (var sql : statements) {
            execute(c, sql);
        }
    }

    /** Read-only on; a lock wait (a long write holding the commit lock) is broken by ending client sessions first. */
    private static int setReadOnly(Connection c, ReplicationDialect d) throws SQLException {
        try {
            executeAll(c, d.readOnlyOn());
            return 0;
        } catch (SQLException e) {
            if (e.getErrorCode() != 1205) {
                throw e;
            }
            int killed = killClients(c);
            executeAll(c, d.readOnlyOn());
            return killed;
        }
    }

    /** Kills every client connection but replication threads and this one; returns how many. */
    static int killClients(Connection c) throws SQLException {
        var ids = new ArrayList<Long>();
        try (var s = c.createStatement(); var rs = s.executeQuery(
                "SELECT ID, USER, COMMAND FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()")) {
            while (rs.next()) {
                var user = Optional.ofNullable(rs.getString(2)).orElse("");
                var command = Optional.ofNullable(rs.getString(3)).orElse("");
                if (SERVER_USERS.contains(user) || command.startsWith("Binlog Dump") || command.startsWith("Slave_")
                        || command.equals("Daemon")) {
                    continue;
                }
                ids.add(rs.getLong(1));
            }
        }
        int killed = 0;
        for (var id : ids) {
            try {
                execute(c, "KILL CONNECTION " + id);
                killed++;
            } catch (SQLException e) {
                if (e.getErrorCode() != 1094) {   // unknown thread: it ended on its own
                    throw e;
                }
            }
        }
        return killed;
    }

    private static String quote(Connection c, String value) throws SQLException {
        try (var ps = c.prepareStatement("SELECT QUOTE(?)")) {
            ps.setString(1, value);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * The account a replica is given in {@code CHANGE MASTER TO}: the cluster's {@code replication:} account when one
     * is configured; otherwise none (the statement leaves MASTER_USER/MASTER_PASSWORD out, so the replica keeps its own)
     * when it has one; only a node with no replication account at all (a former primary) falls back to drctl's login,
     * the one case where there is nothing of its own to keep.
     */
    private Optional<ReplicationDialect.Account> accountFor(ReplicaStatus status) {
        if (replication.isPresent()) {
            return Optional.of(new ReplicationDialect.Account(replication.get().user(), replication.get().password()));
        }
        return status.configured() && !status.user().isBlank() ? Optional.empty()
                : Optional.of(new ReplicationDialect.Account(login.user(), login.password()));
    }

    private static String change(Connection c, ReplicationDialect d, NodeSpec source,
                                 Optional<ReplicationDialect.Account> account) throws SQLException {
        // QUOTE() is the server's own escaping; collected first because the operator below cannot throw
        var quoted = new LinkedHashMap<String, String>();
        quoted.put(source.host(), quote(c, source.host()));
        if (account.isPresent()) {
            quoted.put(account.get().user(), quote(c, account.get().user()));
            if (account.get().password().isPresent()) {
                quoted.put(account.get().password().get(), quote(c, account.get().password().get()));
            }
        }
        return d.changeSource(source.host(), source.port(), account, quoted::get);
    }

    // --- fence and demote -----------------------------------------------------------------------------------------

    @Override
    public ActionOutcome fence(NodeSpec oldPrimary) {
        return act(oldPrimary, "fence", c -> {
            var d = dialect(c);
            boolean already = fullyReadOnly(c, d);
            int killed = already ? 0 : setReadOnly(c, d);
            killed += killClients(c);
            var facts = new LinkedHashMap<String, String>();
            facts.put(ActionOutcome.SESSIONS_ENDED, Integer.toString(killed));
            facts.put(ActionOutcome.PERSISTENT, Boolean.toString(d.readOnlyPersists()));
            if (!d.readOnlyPersists()) {
                facts.put(ActionOutcome.NOTE, "read_only is not persisted on " + oldPrimary.name()
                        + ": a restart makes it writable again until it is fenced anew");
            }
            var what = (d.mariadb() ? "read_only" : "super_read_only") + " = ON; " + killed + " client connection(s) killed";
            return already ? new ActionOutcome.AlreadyDone(oldPrimary.name() + " was already " + what, facts)
                    : new ActionOutcome.Done(oldPrimary.name() + " fenced: " + what, facts);
        });
    }

    @Override
    public ActionOutcome demote(NodeSpec primary) {
        return act(primary, "demote", c -> {
            var d = dialect(c);
            boolean already = fullyReadOnly(c, d);
            // SET GLOBAL read_only waits for commits in progress: after it, every acknowledged commit is in the
            // position read below, and no new one can start
            int killed = already ? 0 : setReadOnly(c, d);
            killed += killClients(c);
            var pos = applied(c);
            var facts = Map.of(ActionOutcome.SESSIONS_ENDED, Integer.toString(killed), ActionOutcome.POSITION,
                    pos.display());
            return already ? new ActionOutcome.AlreadyDone(primary.name() + " was already read-only; position "
                    + pos.display(), facts)
                    : new ActionOutcome.Done(primary.name() + " demoted: read-only, " + killed
                    + " client connection(s) killed, final position " + pos.display(), facts);
        });
    }

    // --- apply, promote, verify -----------------------------------------------------------------------------------

    @Override
    public ActionOutcome awaitApplied(NodeSpec candidate, Duration timeout) {
        return act(candidate, "wait for the applier", timeout.plus(timeouts.statement()), c -> {
            var d = dialect(c);
            var st = status(c, d);
            if (!st.configured()) {
                return new ActionOutcome.AlreadyDone(candidate.name() + " replicates from nobody: nothing to apply",
                        Map.of(ActionOutcome.POSITION, applied(c).display()));
            }
            var notes = new ArrayList<String>();
            if (!st.sqlRunning()) {
                if (!st.lastSqlError().isBlank()) {
                    return new ActionOutcome.Failed(candidate.name() + "'s applier stopped with an error: "
                            + st.lastSqlError() + "; it cannot apply its relay log until that is fixed", false);
                }
                execute(c, d.startApplier());
                notes.add("the applier of " + candidate.name() + " was stopped; drctl started it");
            }
            if (!st.received().isBlank() && !waitApplied(c, st.received(), timeout)) {
                return new ActionOutcome.Failed(candidate.name() + " did not apply what it received (" + st.received()
                        + ") within " + timeout.toSeconds() + " s", true);
            }
            var pos = applied(c);
            var facts = new LinkedHashMap<String, String>();
            facts.put(ActionOutcome.POSITION, pos.display());
            if (!notes.isEmpty()) {
                facts.put(ActionOutcome.NOTE, String.join("; ", notes));
            }
            return new ActionOutcome.Done(candidate.name() + " applied everything it received (" + pos.display() + ")",
                    facts);
        });
    }

    @Override
    public ActionOutcome promote(NodeSpec candidate) {
        return act(candidate, "promote", timeouts.promote().plus(timeouts.statement()), c -> {
            var d = dialect(c);
            var st = status(c, d);
            boolean ro = readOnly(c, d);
            if (!st.configured() && !ro) {
                return new ActionOutcome.AlreadyDone(candidate.name() + " is already a writable primary",
                        Map.of(ActionOutcome.POSITION, applied(c).display()));
            }
            if (st.configured()) {
                // stop fetching, let the applier finish what was fetched, and only then forget the source: RESET
                // deletes the relay logs, and with them anything not yet applied
                execute(c, d.stopReceiver());
                var received = status(c, d).received();
                if (!received.isBlank() && !waitApplied(c, received, timeouts.promote())) {
                    return new ActionOutcome.Failed(candidate.name() + " has not applied its relay log (" + received
                            + ") within " + timeouts.promote().toSeconds() + " s; replication left in place, "
                            + "nothing reset", true);
                }
                execute(c, d.stopReplica());
                execute(c, d.resetReplicaAll());
            }
            executeAll(c, d.readOnlyOff());
            if (readOnly(c, d) || status(c, d).configured()) {
                return new ActionOutcome.Failed(candidate.name() + " is still read-only or replicating after promotion",
                        true);
            }
            var facts = new LinkedHashMap<String, String>();
            facts.put(ActionOutcome.POSITION, applied(c).display());
            if (!d.readOnlyPersists()) {
                facts.put(ActionOutcome.NOTE, "read_only = OFF is not persisted on " + candidate.name()
                        + ": remove read_only from its option file, or it restarts read-only");
            }
            return new ActionOutcome.Done(candidate.name() + " promoted: replication stopped and reset, writable",
                    facts);
        });
    }

    @Override
    public ActionOutcome verifyWritable(NodeSpec node) {
        return act(node, "verify writable", c -> {
            var d = dialect(c);
            // an account with READ_ONLY ADMIN / SUPER could write through read_only: the flag itself is checked
            if (readOnly(c, d)) {
                return new ActionOutcome.Failed(node.name() + " is still read-only", false);
            }
            try {
                execute(c, "CREATE DATABASE IF NOT EXISTS drctl");
                execute(c, """
                        CREATE TABLE IF NOT EXISTS drctl.drctl_heartbeat (
                            writer VARCHAR(128) PRIMARY KEY, beats BIGINT NOT NULL, written_at TIMESTAMP(6) NOT NULL)""");
                try (var ps = c.prepareStatement("""
                        INSERT INTO drctl.drctl_heartbeat (writer, beats, written_at) VALUES (?, 1, NOW(6))
                        ON DUPLICATE KEY UPDATE beats = beats + 1, written_at = NOW(6)""")) {
                    ps.setString(1, node.name().value());
                    ps.executeUpdate();
                }
            } catch (SQLException e) {
                if (e.getErrorCode() == 1290 || e.getErrorCode() == 1836) {
                    return new ActionOutcome.Failed(node.name() + " refuses writes: " + firstLine(e), false);
                }
                throw e;
            }
            var pos = applied(c);
            return new ActionOutcome.Done(node.name() + " takes writes (heartbeat written); GTID position "
                    + pos.display(), Map.of(ActionOutcome.POSITION, pos.display()));
        });
    }

    // --- re-point and streaming -----------------------------------------------------------------------------------

    @Override
    public ActionOutcome repoint(NodeSpec replica, NodeSpec newPrimary) {
        return act(replica, "re-point", c -> {
            var d = dialect(c);
            var st = status(c, d);
            var facts = Map.of(ActionOutcome.SOURCE, newPrimary.address());
            if (!st.configured()) {
                return new ActionOutcome.Failed(replica.name() + " replicates from nobody: a node that was a primary "
                        + "comes back through rejoin, not re-pointing", false);
            }
            if (st.follows(newPrimary)) {
                // started is enough: a second START SLAVE would not make a connecting IO thread connect sooner
                if (st.ioStarted() && st.sqlRunning()) {
                    return new ActionOutcome.AlreadyDone(replica.name() + " already follows " + newPrimary.name(), facts);
                }
                execute(c, d.startReplica());
                return new ActionOutcome.Done(replica.name() + " already pointed at " + newPrimary.name()
                        + "; replication started", facts);
            }
            if (!fullyReadOnly(c, d)) {
                setReadOnly(c, d);
            }
            execute(c, d.stopReplica());
            execute(c, change(c, d, newPrimary, accountFor(st)));
            execute(c, d.startReplica());
            return new ActionOutcome.Done(replica.name() + " now follows " + newPrimary.name() + " ("
                    + newPrimary.address() + ") by GTID", facts);
        });
    }

    @Override
    public ActionOutcome verifyStreaming(NodeSpec replica, NodeSpec newPrimary, Duration timeout) {
        return act(replica, "verify replication", c -> {
            var d = dialect(c);
            var last = new ReplicaStatus[] {ReplicaStatus.NONE};
            var ok = pollSql(timeout, () -> {
                last[0] = status(c, d);
                return last[0].follows(newPrimary) && last[0].ioRunning() && last[0].sqlRunning()
                        ? Optional.of(true) : Optional.empty();
            });
            if (ok.isEmpty()) {
                return new ActionOutcome.Failed(replica.name() + " does not replicate from " + newPrimary.name() + " ("
                        + newPrimary.address() + ") after " + timeout.toSeconds() + " s: " + last[0].describe(), true);
            }
            return new ActionOutcome.Done(replica.name() + " replicates from " + newPrimary.name()
                    + " (IO and SQL threads running)", Map.of(ActionOutcome.SOURCE, newPrimary.address(),
                    ActionOutcome.POSITION, applied(c).display()));
        });
    }

    // --- positions and errant transactions ------------------------------------------------------------------------

    @Override
    public PositionReading position(NodeSpec node) {
        return session(node, "read position", timeouts.statement(), c -> {
            var d = dialect(c);
            var st = status(c, d);
            var received = st.received().isBlank() ? Optional.<DataPosition>empty() : Optional.of(position(st.received()));
            return (PositionReading) new PositionReading.Read(node.name(), applied(c), received, !readOnly(c, d),
                    st.configured());
        }, why -> new PositionReading.NotRead(node.name(), why));
    }

    /** A node's GTID history, or why it could not be read. */
    private sealed interface History {
        record Known(String text) implements History {
        }

        record Unknown(ActionOutcome why) implements History {
        }
    }

    private History historyOf(NodeSpec node) {
        return session(node, "read GTID history", timeouts.statement(),
                c -> (History) new History.Known(history(c)), History.Unknown::new);
    }

    @Override
    public ErrantCheck errantTransactions(NodeSpec candidate, List<NodeSpec> others) {
        var mine = historyOf(candidate);
        if (mine instanceof History.Unknown u) {
            return new ErrantCheck.NotChecked(candidate.name(), u.why());
        }
        var cand = ((History.Known) mine).text();
        var missing = new LinkedHashMap<NodeName, String>();
        var unchecked = new LinkedHashMap<NodeName, String>();
        for (var other : others) {
            switch (historyOf(other)) {
                case History.Unknown u -> unchecked.put(other.name(), u.why().detail());
                case History.Known k -> {
                    var lacking = missing(k.text(), cand);
                    if (!lacking.isBlank()) {
                        missing.put(other.name(), lacking);
                    }
                }
            }
        }
        return new ErrantCheck.Checked(candidate.name(), missing, unchecked);
    }

    // --- rejoin ---------------------------------------------------------------------------------------------------

    @Override
    public ActionOutcome rejoin(NodeSpec oldPrimary, NodeSpec newPrimary, RejoinContext context) {
        var now = verifyStreaming(oldPrimary, newPrimary, Duration.ZERO);
        if (now instanceof ActionOutcome.Done d) {
            return new ActionOutcome.AlreadyDone(oldPrimary.name() + " already replicates from " + newPrimary.name(),
                    d.facts());
        }
        var reference = historyOf(newPrimary);
        if (reference instanceof History.Unknown u) {
            return u.why();
        }
        var refText = ((History.Known) reference).text();
        var joined = act(oldPrimary, "rejoin", c -> {
            var d = dialect(c);
            var errant = missing(history(c), refText);
            if (!errant.isBlank()) {
                // transactions only the old primary has: re-pointing it would either fail or silently drop them
                return new ActionOutcome.Refused(oldPrimary.name() + " has transactions " + newPrimary.name()
                        + " lacks (" + errant + "): it cannot follow it without losing them; reconcile them by hand "
                        + "(or rebuild " + oldPrimary.name() + " from a backup of " + newPrimary.name() + ")",
                        Map.of(ActionOutcome.ERRANT, errant));
            }
            int killed = fullyReadOnly(c, d) ? 0 : setReadOnly(c, d);
            killed += killClients(c);
            var st = status(c, d);
            if (st.configured()) {
                execute(c, d.stopReplica());
            }
            executeAll(c, beforeRejoin());
            execute(c, change(c, d, newPrimary, accountFor(st)));
            execute(c, d.startReplica());
            return new ActionOutcome.Done("read-only, " + killed + " client connection(s) killed, pointed at "
                    + newPrimary.name() + " by GTID");
        });
        if (!(joined instanceof ActionOutcome.Done started)) {
            return joined;
        }
        var streaming = verifyStreaming(oldPrimary, newPrimary, context.timeout());
        if (!streaming.succeeded()) {
            return streaming;
        }
        return new ActionOutcome.Done(oldPrimary.name() + " rejoined as a replica of " + newPrimary.name() + ": "
                + started.detail() + "; " + streaming.detail(), streaming.facts());
    }
}
