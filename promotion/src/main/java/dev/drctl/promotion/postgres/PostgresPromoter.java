package dev.drctl.promotion.postgres;

import dev.drctl.promotion.ActionOutcome;
import dev.drctl.promotion.ErrantCheck;
import dev.drctl.promotion.Login;
import dev.drctl.promotion.PositionReading;
import dev.drctl.promotion.PromoterTimeouts;
import dev.drctl.promotion.RejoinContext;
import dev.drctl.promotion.jdbc.JdbcPromoter;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.Comparison;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@link dev.drctl.promotion.Promoter} of PostgreSQL (13 or later for re-pointing without a restart).
 *
 * <p><b>Fencing that holds, without stopping.</b> A fence sets {@code default_transaction_read_only = on} with
 * {@code ALTER SYSTEM} (so it survives a restart of the old primary: a crashed primary that comes back is still
 * read-only), reloads, waits until a new session sees it, then revokes LOGIN from every application role (login roles
 * that are neither superuser, nor replication, nor drctl's own), recording them in {@code drctl.fenced_logins}, and
 * only then terminates every client backend (not the walsenders, which the replicas may still need to fetch the last
 * WAL, and not drctl's own). The read-only default alone does not hold: a session may {@code BEGIN READ WRITE} or
 * {@code SET default_transaction_read_only = off}; without LOGIN, no application session can open to try. The role
 * changes are catalog writes, so they replicate: whichever copy of this data is promoted later gives LOGIN back to
 * exactly the recorded roles ({@link #promote}); a rejoined node takes the new primary's catalog. Stopping the server
 * instead would need a program on the node's host (drctl acts remotely, DESIGN mistake 5) and would leave nothing to
 * inspect; the node keeps answering probes, which is how a returning old primary is recognised. The optional
 * {@code fence-command} of the cluster is the last rung, run by the runbooks when this one cannot be had.
 *
 * <p>Promotion is {@code pg_promote(wait => true, wait_seconds => …)}; the fence of an earlier life
 * ({@code default_transaction_read_only} in {@code postgresql.auto.conf}, e.g. after a switchover round trip) is
 * reset on the promoted node. Replicas are re-pointed with {@code ALTER SYSTEM SET primary_conninfo} and a reload
 * (PostgreSQL 13+ restarts the WAL receiver on its own; {@code recovery_target_timeline} defaults to
 * {@code latest} since 12, so the replica follows the new timeline); when a replica uses a replication slot, a slot of
 * the same name is made on the new primary first.
 */
public final class PostgresPromoter extends JdbcPromoter {
    /** The database every session connects to: it exists on every cluster. */
    private static final String DATABASE = "postgres";
    private static final String READ_ONLY = "default_transaction_read_only";
    /** Where a fence lists the roles whose LOGIN it revoked: in the data, so whichever copy is promoted knows. */
    private static final String FENCED_LOGINS = "drctl.fenced_logins";
    /** How long the fence waits for each terminated session to exit (it exits at its next interrupt check). */
    private static final int TERMINATE_WAIT_MILLIS = 5000;

    public PostgresPromoter(ClusterSpec cluster, Login login, PromoterTimeouts timeouts) {
        this(cluster, login, java.util.Optional.empty(), timeouts);
    }

    /** @param replication the cluster's {@code replication:} account, resolved; empty to keep each replica's own */
    public PostgresPromoter(ClusterSpec cluster, Login login, java.util.Optional<Login> replication, PromoterTimeouts timeouts) {
        super(cluster, login, replication, timeouts);
    }

    @Override
    public Engine engine() {
        return Engine.POSTGRESQL;
    }

    @Override
    protected Connection connect(NodeSpec node, Duration socketTimeout) throws SQLException {
        var props = new Properties();
        props.setProperty("user", login.user());
        login.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", Integer.toString(ceilSeconds(timeouts.connect())));
        props.setProperty("loginTimeout", Integer.toString(ceilSeconds(timeouts.connect())));
        // the socket timeout outlasts the server's statement timeout, so a slow statement is cancelled by the
        // server (a clean error) before the driver gives up on the socket
        props.setProperty("socketTimeout", Integer.toString(ceilSeconds(socketTimeout) + 5));
        props.setProperty("options", "-c statement_timeout=" + socketTimeout.toMillis()
                + " -c lock_timeout=" + socketTimeout.toMillis());
        props.setProperty("ApplicationName", "drctl-promoter");
        props.setProperty("tcpKeepAlive", "true");
        return new org.postgresql.Driver().connect("jdbc:postgresql://" + node.address() + "/" + DATABASE, props);
    }

    // --- fence and demote ---------------------------------------------------------------------------------------

    @Override
    public ActionOutcome fence(NodeSpec oldPrimary) {
        return act(oldPrimary, "fence", c -> {
            if (inRecovery(c)) {
                return new ActionOutcome.AlreadyDone(oldPrimary.name() + " is a replica (in recovery): it takes no writes");
            }
            var applied = applyReadOnly(c, oldPrimary);
            if (applied instanceof ActionOutcome.Failed f) {
                return f;
            }
            // logins first, then sessions: an application reconnecting in between would get a fresh session that
            // BEGIN READ WRITE lets write through default_transaction_read_only
            var revoked = revokeApplicationLogins(c);
            int ended = terminateClients(c);
            var facts = new LinkedHashMap<String, String>();
            facts.put(ActionOutcome.SESSIONS_ENDED, Integer.toString(ended));
            facts.put(ActionOutcome.LOGINS_REVOKED, String.join(",", revoked));
            var what = "read-only (" + READ_ONLY + " = on, persisted by ALTER SYSTEM); "
                    + (revoked.isEmpty() ? "no application login to revoke" : "LOGIN revoked from " + revoked.size()
                    + " application role(s) (" + String.join(", ", revoked) + ")") + "; " + ended
                    + " client session(s) ended";
            return applied instanceof ActionOutcome.AlreadyDone && revoked.isEmpty() && ended == 0
                    ? new ActionOutcome.AlreadyDone(oldPrimary.name() + " was already " + what, facts)
                    : new ActionOutcome.Done(oldPrimary.name() + " fenced: " + what, facts);
        });
    }

    @Override
    public ActionOutcome demote(NodeSpec primary) {
        return act(primary, "demote", c -> {
            if (inRecovery(c)) {
                var pos = replicaPosition(c);
                return new ActionOutcome.AlreadyDone(primary.name() + " is already a replica (in recovery)",
                        Map.of(ActionOutcome.POSITION, pos.display()));
            }
            var applied = applyReadOnly(c, primary);
            if (applied instanceof ActionOutcome.Failed f) {
                return f;
            }
            // no new application session (BEGIN READ WRITE would bypass read-only), then the old ones end: their
            // open transactions roll back (never acknowledged); every acknowledged commit is in the WAL before the
            // position read next, which also covers the role changes, so the candidate that reaches it has them and
            // gives the logins back when it is promoted
            var revoked = revokeApplicationLogins(c);
            int ended = terminateClients(c);
            var pos = primaryPosition(c);
            var facts = Map.of(ActionOutcome.SESSIONS_ENDED, Integer.toString(ended),
                    ActionOutcome.LOGINS_REVOKED, String.join(",", revoked),
                    ActionOutcome.POSITION, pos.display(), ActionOutcome.TIMELINE, Integer.toString(pos.timeline()));
            return applied instanceof ActionOutcome.AlreadyDone && revoked.isEmpty()
                    ? new ActionOutcome.AlreadyDone(primary.name() + " was already read-only; final position "
                    + pos.display(), facts)
                    : new ActionOutcome.Done(primary.name() + " demoted: read-only, LOGIN revoked from "
                    + revoked.size() + " application role(s), " + ended + " client session(s) ended, final position "
                    + pos.display(), facts);
        });
    }

    /**
     * Revokes LOGIN from every application role: a login role that is neither superuser nor replication nor drctl's own
     * (administrators and replicas keep their way in). Each is recorded in {@code drctl.fenced_logins} first, in the
     * same transaction, so exactly these get LOGIN back when this data is promoted ({@link #promote}); a role already
     * recorded is not reported again. drctl's session lifts the read-only default for itself only.
     *
     * @return the roles revoked by this call, sorted
     */
    private static List<String> revokeApplicationLogins(Connection c) throws SQLException {
        execute(c, "SET SESSION default_transaction_read_only = off");
        // a returning old primary still configured for synchronous replication has no standby to confirm a commit:
        // the fence's own commit must not wait for one
        execute(c, "SET SESSION synchronous_commit = local");
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            execute(c, "CREATE SCHEMA IF NOT EXISTS drctl");
            execute(c, "CREATE TABLE IF NOT EXISTS " + FENCED_LOGINS
                    + " (role name PRIMARY KEY, revoked_at timestamptz NOT NULL DEFAULT now())");
            var roles = new ArrayList<String>();
            try (var s = c.createStatement(); var rs = s.executeQuery("""
                    SELECT rolname FROM pg_roles
                     WHERE rolcanlogin AND NOT rolsuper AND NOT rolreplication AND rolname <> current_user
                       AND rolname !~ '^pg_' ORDER BY rolname""")) {
                while (rs.next()) {
                    roles.add(rs.getString(1));
                }
            }
            for (var role : roles) {
                try (var ps = c.prepareStatement("INSERT INTO " + FENCED_LOGINS + " (role) VALUES (?) ON CONFLICT DO NOTHING")) {
                    ps.setString(1, role);
                    ps.executeUpdate();
                }
                execute(c, "ALTER ROLE " + quoteIdent(c, role) + " NOLOGIN");
            }
            c.commit();
            return roles;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Gives LOGIN back to the roles a fence of this data's earlier life revoked; returns them. */
    private static List<String> restoreFencedLogins(Connection c) throws SQLException {
        if (queryString(c, "SELECT to_regclass('" + FENCED_LOGINS + "')::text") == null) {
            return List.of();
        }
        execute(c, "SET SESSION default_transaction_read_only = off");
        execute(c, "SET SESSION synchronous_commit = local");
        var roles = new ArrayList<String>();
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT f.role FROM " + FENCED_LOGINS
                + " f JOIN pg_roles r ON r.rolname = f.role ORDER BY f.role")) {
            while (rs.next()) {
                roles.add(rs.getString(1));
            }
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (var role : roles) {
                execute(c, "ALTER ROLE " + quoteIdent(c, role) + " LOGIN");
            }
            execute(c, "DELETE FROM " + FENCED_LOGINS);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return roles;
    }

    private static String quoteIdent(Connection c, String name) throws SQLException {
        try (var ps = c.prepareStatement("SELECT quote_ident(?)")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** Persists and reloads read-only; AlreadyDone when it was configured already; waits until it is in effect. */
    private ActionOutcome applyReadOnly(Connection c, NodeSpec node) throws SQLException {
        boolean already = isOn(configured(c, READ_ONLY));
        if (!already) {
            execute(c, "ALTER SYSTEM SET " + READ_ONLY + " = on");
        }
        execute(c, "SELECT pg_reload_conf()");
        // the reload is asynchronous: a session started before the postmaster re-read the files would still be
        // writable; this session sees the new value once its backend has processed the reload
        var effective = pollSql(timeouts.statement(), () -> isOn(Optional.of(setting(c, READ_ONLY)))
                ? Optional.of(true) : Optional.empty());
        if (effective.isEmpty()) {
            return new ActionOutcome.Failed(node.name() + ": " + READ_ONLY + " was set but is not in effect after "
                    + timeouts.statement().toSeconds() + " s (reload not processed?)", true);
        }
        return already ? new ActionOutcome.AlreadyDone("read-only") : new ActionOutcome.Done("read-only");
    }

    /**
     * Ends every client session but this one and returns how many. From PostgreSQL 14 it waits for each to be gone
     * ({@code pg_terminate_backend(pid, timeout)}): a terminated backend still finishing its COMMIT would otherwise
     * acknowledge a write after a demotion read the final position, and the candidate could miss it.
     */
    private static int terminateClients(Connection c) throws SQLException {
        boolean waits = queryInt(c, "SELECT current_setting('server_version_num')::int") >= 140000;
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FILTER (WHERE "
                + (waits ? "pg_terminate_backend(pid, " + TERMINATE_WAIT_MILLIS + ")" : "pg_terminate_backend(pid)")
                + ") FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // --- replay, promote, verify --------------------------------------------------------------------------------

    @Override
    public ActionOutcome awaitApplied(NodeSpec candidate, Duration timeout) {
        return act(candidate, "wait for replay", timeouts.statement(), c -> {
            if (!inRecovery(c)) {
                return new ActionOutcome.AlreadyDone(candidate.name() + " is not in recovery: nothing left to replay",
                        Map.of(ActionOutcome.POSITION, primaryPosition(c).display()));
            }
            var notes = new ArrayList<String>();
            if (queryBoolean(c, "SELECT pg_is_wal_replay_paused()")) {
                // a paused replay (pg_wal_replay_pause, a recovery target) would never catch up: the candidate must
                // apply everything it has before it is promoted
                execute(c, "SELECT pg_wal_replay_resume()");
                notes.add("WAL replay was paused on " + candidate.name() + "; drctl resumed it");
            }
            var last = new String[] {""};
            var caughtUp = pollSql(timeout, () -> {
                try (var s = c.createStatement(); var rs = s.executeQuery(
                        "SELECT pg_last_wal_receive_lsn()::text, pg_last_wal_replay_lsn()::text")) {
                    rs.next();
                    var received = rs.getString(1);
                    var replayed = rs.getString(2);
                    last[0] = "received " + received + ", replayed " + replayed;
                    if (received == null || replayed == null) {
                        return Optional.ofNullable(replayed).or(() -> Optional.of("0/0"));
                    }
                    return lsn(replayed) >= lsn(received) ? Optional.of(replayed) : Optional.empty();
                }
            });
            if (caughtUp.isEmpty()) {
                return new ActionOutcome.Failed(candidate.name() + " did not replay what it received within "
                        + timeout.toSeconds() + " s (" + last[0] + ")", true);
            }
            var pos = replicaPosition(c);
            var facts = new LinkedHashMap<String, String>();
            facts.put(ActionOutcome.POSITION, pos.display());
            if (!notes.isEmpty()) {
                facts.put(ActionOutcome.NOTE, String.join("; ", notes));
            }
            return new ActionOutcome.Done(candidate.name() + " replayed everything it received (" + last[0] + ")",
                    facts);
        });
    }

    @Override
    public ActionOutcome promote(NodeSpec candidate) {
        var wait = timeouts.promote();
        return act(candidate, "promote", wait.plus(timeouts.statement()), c -> {
            boolean wasReplica = inRecovery(c);
            if (wasReplica) {
                // pg_promote(wait => true) looks every 100 ms; signalling and polling here at the promoter's short
                // interval sees the end of recovery up to ~90 ms sooner, still bounded by the same wait
                if (!queryBoolean(c, "SELECT pg_promote(false)")) {
                    return new ActionOutcome.Failed(candidate.name() + " did not accept the promotion signal "
                            + "(pg_promote returned false)", true);
                }
                if (pollSql(wait, () -> inRecovery(c) ? Optional.empty() : Optional.of(true)).isEmpty()) {
                    return new ActionOutcome.Failed(candidate.name() + " did not finish its promotion within "
                            + wait.toSeconds() + " s", true);
                }
            }
            if (inRecovery(c)) {
                return new ActionOutcome.Failed(candidate.name() + " is still in recovery after pg_promote", true);
            }
            // the fence of an earlier life (a switchover round trip) must not stay on the new primary
            boolean reset = isOn(configured(c, READ_ONLY));
            if (reset) {
                execute(c, "ALTER SYSTEM RESET " + READ_ONLY);
                execute(c, "SELECT pg_reload_conf()");
                var off = pollSql(timeouts.statement(), () -> isOn(Optional.of(setting(c, READ_ONLY)))
                        ? Optional.empty() : Optional.of(true));
                if (off.isEmpty()) {
                    return new ActionOutcome.Failed(candidate.name() + ": " + READ_ONLY
                            + " was reset but is still on after the reload", true);
                }
            }
            // No CHECKPOINT here: the control file names the new timeline only after one, but only pg_rewind reads
            // it there, and rejoin makes it first (checkpointIfBehind); writes need not wait for it.
            var restored = restoreFencedLogins(c);
            var pos = primaryPosition(c);
            var facts = Map.of(ActionOutcome.TIMELINE, Integer.toString(pos.timeline()),
                    ActionOutcome.POSITION, pos.display(), ActionOutcome.LOGINS_RESTORED, String.join(",", restored));
            var resetNote = (reset ? "; its old read-only fence was reset" : "")
                    + (restored.isEmpty() ? "" : "; LOGIN given back to " + String.join(", ", restored));
            if (!wasReplica && !reset && restored.isEmpty()) {
                return new ActionOutcome.AlreadyDone(candidate.name() + " is already a primary on timeline "
                        + pos.timeline(), facts);
            }
            return new ActionOutcome.Done(candidate.name() + (wasReplica ? " promoted" : " was already promoted")
                    + ": timeline " + pos.timeline() + resetNote, facts);
        });
    }

    @Override
    public ActionOutcome verifyWritable(NodeSpec node) {
        return act(node, "verify writable", c -> {
            if (inRecovery(c)) {
                return new ActionOutcome.Failed(node.name() + " is still in recovery: it cannot take writes", false);
            }
            try {
                try {
                    beat(c, node);
                } catch (SQLException e) {
                    // the table is made on first use only: one statement, not three, on the failover's critical path
                    if (!"42P01".equals(e.getSQLState()) && !"3F000".equals(e.getSQLState())) {
                        throw e;
                    }
                    execute(c, "CREATE SCHEMA IF NOT EXISTS drctl");
                    execute(c, """
                            CREATE TABLE IF NOT EXISTS drctl.drctl_heartbeat (
                                writer text PRIMARY KEY, beats bigint NOT NULL, written_at timestamptz NOT NULL)""");
                    beat(c, node);
                }
            } catch (SQLException e) {
                if ("25006".equals(e.getSQLState())) {
                    // "promotion done but still read-only": caught here; retrying would only repeat it
                    return new ActionOutcome.Failed(node.name() + " refuses writes: " + firstLine(e), false);
                }
                throw e;
            }
            var pos = primaryPosition(c);
            return new ActionOutcome.Done(node.name() + " takes writes (heartbeat written); timeline " + pos.timeline()
                    + ", WAL at " + pos.display(), Map.of(ActionOutcome.TIMELINE, Integer.toString(pos.timeline()),
                    ActionOutcome.POSITION, pos.display()));
        });
    }

    private static void beat(Connection c, NodeSpec node) throws SQLException {
        try (var ps = c.prepareStatement("""
                INSERT INTO drctl.drctl_heartbeat AS h VALUES (?, 1, now())
                ON CONFLICT (writer) DO UPDATE SET beats = h.beats + 1, written_at = now()""")) {
            ps.setString(1, node.name().value());
            ps.executeUpdate();
        }
    }

    // --- re-point and streaming ---------------------------------------------------------------------------------

    @Override
    public ActionOutcome repoint(NodeSpec replica, NodeSpec newPrimary) {
        return act(replica, "re-point", c -> {
            if (!inRecovery(c)) {
                return new ActionOutcome.Failed(replica.name() + " is not a replica (not in recovery): a node that "
                        + "was a primary comes back through rejoin, not re-pointing", false);
            }
            int version = queryInt(c, "SELECT current_setting('server_version_num')::int");
            if (version < 130000) {
                return new ActionOutcome.Failed(replica.name() + " runs PostgreSQL " + version / 10000
                        + ": primary_conninfo changes need a restart before 13; re-point it by hand", false);
            }
            var current = Conninfo.parse(setting(c, "primary_conninfo"));
            var slot = setting(c, "primary_slot_name");
            var facts = new LinkedHashMap<String, String>();
            facts.put(ActionOutcome.SOURCE, newPrimary.address());
            if (!slot.isBlank()) {
                var made = ensureSlot(newPrimary, slot);
                if (!made.succeeded()) {
                    return made;
                }
                facts.put(ActionOutcome.SLOT, slot);
            }
            if (follows(current, newPrimary)) {
                return new ActionOutcome.AlreadyDone(replica.name() + " already follows " + newPrimary.name(), facts);
            }
            var next = withReplicationAccount(current.without("hostaddr").with("host", newPrimary.host())
                    .with("port", Integer.toString(newPrimary.port())));
            if (next.get("application_name").isEmpty()) {
                next = next.with("application_name", replica.name().value());
            }
            execute(c, "ALTER SYSTEM SET primary_conninfo = " + quoteLiteral(c, next.render()));
            var timeline = setting(c, "recovery_target_timeline");
            if (!"latest".equals(timeline)) {
                facts.put(ActionOutcome.NOTE, "recovery_target_timeline is '" + timeline + "', not 'latest': "
                        + replica.name() + " may not follow the new timeline until it is set and the server restarted");
            }
            execute(c, "SELECT pg_reload_conf()");
            if (queryBoolean(c, "SELECT pg_is_wal_replay_paused()")) {
                // A paused replay never fetches the new timeline, so it would not stream. drctl does not resume it: a
                // pause is an operator's hold (a replica kept behind on purpose, a replay stopped before a bad change)
                // and resuming it would destroy what they kept. The configuration is changed; the resume is theirs.
                return new ActionOutcome.Failed(replica.name() + " has WAL replay paused: its primary_conninfo now "
                        + "names " + newPrimary.name() + ", but it follows only once replay is resumed (SELECT "
                        + "pg_wal_replay_resume() on " + replica.name() + ", or restart it); drctl leaves an operator's "
                        + "pause alone", false);
            }
            return new ActionOutcome.Done(replica.name() + " now follows " + newPrimary.name() + " ("
                    + newPrimary.address() + (slot.isBlank() ? "" : ", slot " + slot) + ")", facts);
        });
    }

    private static boolean follows(Conninfo conninfo, NodeSpec primary) {
        var host = conninfo.get("host").or(() -> conninfo.get("hostaddr")).orElse("");
        var port = conninfo.get("port").orElse("5432");
        return host.equalsIgnoreCase(primary.host()) && port.equals(Integer.toString(primary.port()));
    }

    /** A physical slot named {@code slot} on {@code primary}, made now when missing (WAL reserved at once). */
    private ActionOutcome ensureSlot(NodeSpec primary, String slot) {
        return act(primary, "replication slot " + slot, c -> {
            try (var ps = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
                ps.setString(1, slot);
                try (var rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new ActionOutcome.AlreadyDone("slot " + slot + " exists on " + primary.name());
                    }
                }
            }
            try (var ps = c.prepareStatement("SELECT pg_create_physical_replication_slot(?, true)")) {
                ps.setString(1, slot);
                ps.executeQuery().close();
            }
            return new ActionOutcome.Done("slot " + slot + " created on " + primary.name());
        });
    }

    @Override
    public ActionOutcome verifyStreaming(NodeSpec replica, NodeSpec newPrimary, Duration timeout) {
        var primaryTimeline = timelineOf(newPrimary);
        return act(replica, "verify streaming", timeouts.statement(), c -> {
            var last = new String[] {"not checked"};
            var ok = pollSql(timeout, () -> {
                try (var s = c.createStatement(); var rs = s.executeQuery(
                        "SELECT status, sender_host, sender_port, received_tli FROM pg_stat_wal_receiver")) {
                    if (!rs.next()) {
                        last[0] = "no WAL receiver running";
                        return Optional.empty();
                    }
                    var status = rs.getString(1);
                    var host = rs.getString(2);
                    int port = rs.getInt(3);
                    last[0] = "WAL receiver " + status + " from " + host + ":" + port + " (timeline " + rs.getInt(4) + ")";
                    // streaming on an older timeline than the primary's is not following it: a node that was not
                    // rewound replays its own divergent history and waits there for ever
                    int tli = rs.getInt(4);
                    boolean current = primaryTimeline.map(t -> t == tli).orElse(true);
                    return "streaming".equals(status) && sameEndpoint(host, port, newPrimary) && current
                            ? Optional.of(tli) : Optional.empty();
                }
            });
            if (ok.isEmpty()) {
                return new ActionOutcome.Failed(replica.name() + " does not stream from " + newPrimary.name() + " ("
                        + newPrimary.address() + ") after " + timeout.toSeconds() + " s: " + last[0], true);
            }
            return new ActionOutcome.Done(replica.name() + " streams from " + newPrimary.name() + " on timeline "
                    + ok.get(), Map.of(ActionOutcome.SOURCE, newPrimary.address(),
                    ActionOutcome.TIMELINE, Integer.toString(ok.get())));
        });
    }

    /** The timeline a primary writes on now, when it answers as a primary. */
    private Optional<Integer> timelineOf(NodeSpec primary) {
        var read = position(primary);
        return read instanceof PositionReading.Read r && !r.replica()
                ? Optional.of(((DataPosition.PgLsn) r.applied()).timeline()) : Optional.empty();
    }

    /**
     * A checkpoint on a freshly promoted primary when its control file still names the old timeline: pg_rewind reads
     * the source's timeline from there and would otherwise answer "no rewind required" and leave the old primary's
     * divergent WAL in place.
     */
    ActionOutcome checkpointIfBehind(NodeSpec primary) {
        return act(primary, "checkpoint", c -> {
            var current = primaryPosition(c).timeline();
            int inControlFile = queryInt(c, "SELECT timeline_id FROM pg_control_checkpoint()");
            if (inControlFile == current) {
                return new ActionOutcome.AlreadyDone("control file of " + primary.name() + " is on timeline " + current);
            }
            execute(c, "CHECKPOINT");
            return new ActionOutcome.Done("checkpoint on " + primary.name() + " (timeline " + current + ")");
        });
    }

    // --- positions ----------------------------------------------------------------------------------------------

    @Override
    public PositionReading position(NodeSpec node) {
        return session(node, "read position", timeouts.statement(), c -> {
            if (inRecovery(c)) {
                var replayed = replicaPosition(c);
                var received = Optional.ofNullable(queryString(c, "SELECT pg_last_wal_receive_lsn()::text"))
                        .map(t -> (DataPosition) DataPosition.PgLsn.parse(replayed.timeline(), t));
                return (PositionReading) new PositionReading.Read(node.name(), replayed, received, false, true);
            }
            boolean readOnly = isOn(Optional.of(setting(c, READ_ONLY)));
            return new PositionReading.Read(node.name(), primaryPosition(c), Optional.empty(), !readOnly, false);
        }, why -> new PositionReading.NotRead(node.name(), why));
    }

    @Override
    public ErrantCheck errantTransactions(NodeSpec candidate, List<NodeSpec> others) {
        var mine = position(candidate);
        if (mine instanceof PositionReading.NotRead n) {
            return new ErrantCheck.NotChecked(candidate.name(), n.why());
        }
        var cand = furthest((PositionReading.Read) mine);
        var missing = new LinkedHashMap<dev.drctl.topology.NodeName, String>();
        var unchecked = new LinkedHashMap<dev.drctl.topology.NodeName, String>();
        for (var other : others) {
            switch (position(other)) {
                case PositionReading.NotRead n -> unchecked.put(other.name(), n.why().detail());
                case PositionReading.Read r -> {
                    var theirs = furthest(r);
                    var cmp = theirs.compareWith(cand);
                    if (cmp == Comparison.AHEAD) {
                        missing.put(other.name(), "WAL " + cand.display() + " .. " + theirs.display() + " ("
                                + (theirs.lsn() - cand.lsn()) + " bytes)");
                    } else if (cmp == Comparison.INCOMPARABLE) {
                        missing.put(other.name(), "on another timeline: " + theirs.display() + " vs the candidate's "
                                + cand.display() + "; its WAL may hold writes the candidate never saw");
                    }
                }
            }
        }
        return new ErrantCheck.Checked(candidate.name(), missing, unchecked);
    }

    private static DataPosition.PgLsn furthest(PositionReading.Read r) {
        var applied = (DataPosition.PgLsn) r.applied();
        return r.received().map(p -> (DataPosition.PgLsn) p)
                .filter(p -> p.timeline() == applied.timeline() && p.lsn() > applied.lsn()).orElse(applied);
    }

    private static DataPosition.PgLsn primaryPosition(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(
                "SELECT pg_current_wal_lsn()::text, substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)")) {
            rs.next();
            // the WAL file name starts with the timeline: exact right after a promotion, unlike the control
            // file's checkpoint timeline, which changes only at the next checkpoint
            return DataPosition.PgLsn.parse(Integer.parseInt(rs.getString(2), 16), rs.getString(1));
        }
    }

    private static DataPosition.PgLsn replicaPosition(Connection c) throws SQLException {
        int timeline;
        try (var s = c.createStatement(); var rs = s.executeQuery("""
                SELECT coalesce((SELECT received_tli FROM pg_stat_wal_receiver WHERE received_tli > 0),
                                (SELECT timeline_id FROM pg_control_checkpoint()))""")) {
            rs.next();
            timeline = rs.getInt(1);
        }
        var replayed = queryString(c, "SELECT pg_last_wal_replay_lsn()::text");
        return DataPosition.PgLsn.parse(timeline, replayed == null ? "0/0" : replayed);
    }

    // --- rejoin -------------------------------------------------------------------------------------------------

    @Override
    public ActionOutcome rejoin(NodeSpec oldPrimary, NodeSpec newPrimary, RejoinContext context) {
        var already = streamsFrom(oldPrimary, newPrimary);
        if (already.isPresent()) {
            return new ActionOutcome.AlreadyDone(oldPrimary.name() + " already streams from " + newPrimary.name()
                    + " on timeline " + already.get(), Map.of(ActionOutcome.SOURCE, newPrimary.address()));
        }
        var slot = usesSlots(newPrimary) ? Optional.of(slotName(oldPrimary)) : Optional.<String>empty();
        if (context.local().isEmpty()) {
            // the operator's pg_rewind reads the new timeline from the control file: a checkpoint puts it there
            var checkpoint = checkpointIfBehind(newPrimary);
            if (!checkpoint.succeeded()) {
                return checkpoint;
            }
            return new ActionOutcome.Done("not run: " + oldPrimary.name() + " is not on drctl's host; an operator "
                    + "runs the commands on it", Map.of(ActionOutcome.COMMANDS,
                    remoteCommands(oldPrimary, newPrimary, slot)));
        }
        return new LocalRejoin(this, oldPrimary, newPrimary, context.local().get(), slot, context.timeout()).run();
    }

    /** The timeline {@code replica} streams on from {@code primary}, when it does right now. */
    private Optional<Integer> streamsFrom(NodeSpec replica, NodeSpec primary) {
        var now = verifyStreaming(replica, primary, Duration.ZERO);
        return now instanceof ActionOutcome.Done d
                ? Optional.of(Integer.parseInt(d.facts().get(ActionOutcome.TIMELINE))) : Optional.empty();
    }

    /** Whether the new primary's replicas use slots: it had one configured itself, or it serves one already. */
    private boolean usesSlots(NodeSpec primary) {
        var answer = act(primary, "slot check", c -> {
            boolean configured = !setting(c, "primary_slot_name").isBlank();
            boolean serving = queryInt(c, "SELECT count(*)::int FROM pg_replication_slots WHERE slot_type = 'physical'") > 0;
            return configured || serving ? new ActionOutcome.Done("slots") : new ActionOutcome.AlreadyDone("none");
        });
        return answer instanceof ActionOutcome.Done;
    }

    /** Replication slot names allow lower-case letters, digits and underscores (testenv names them the same way). */
    static String slotName(NodeSpec node) {
        return node.name().value().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /**
     * {@code conninfo} with the account a replica streams as: the cluster's {@code replication:} account when one is
     * configured (its password only when it has one: without, libpq reads the replica's own passfile); otherwise
     * exactly the user and password source {@code conninfo} already has. drctl's own login is never added.
     */
    Conninfo withReplicationAccount(Conninfo conninfo) {
        if (replication.isEmpty()) {
            return conninfo;
        }
        var account = replication.get();
        var next = conninfo.with("user", account.user());
        return account.password().isPresent() ? next.with("password", account.password().get()) : next.without("password");
    }

    /**
     * The conninfo a rejoined node streams with: the account of {@link #withReplicationAccount}, starting from the one
     * the new primary itself streamed with while it was a replica (its {@code primary_conninfo} is still readable:
     * user, password or passfile), so a former primary that never had one of its own gets the cluster's existing
     * replication account rather than drctl's login. With no password in it when {@code withPassword} is false (the
     * commands printed for an operator).
     */
    Conninfo rejoinConninfo(NodeSpec oldPrimary, NodeSpec newPrimary, boolean withPassword) {
        var inherited = replicationAccountOf(newPrimary);
        var conninfo = withReplicationAccount(inherited).with("host", newPrimary.host())
                .with("port", Integer.toString(newPrimary.port()));
        if (conninfo.get("user").isEmpty()) {
            // nothing to keep and nothing configured: drctl's user name, never its password (the server's own
            // ~/.pgpass or passfile supplies one)
            conninfo = conninfo.with("user", login.user());
        }
        if (!withPassword) {
            conninfo = conninfo.without("password");
        }
        return conninfo.with("application_name", oldPrimary.name().value()).with("connect_timeout", "5");
    }

    /** The account keys (user, password, passfile) of {@code node}'s own {@code primary_conninfo}, if it has one. */
    private Conninfo replicationAccountOf(NodeSpec node) {
        var found = new Conninfo[] {Conninfo.parse("")};
        act(node, "read primary_conninfo", c -> {
            var own = Conninfo.parse(setting(c, "primary_conninfo"));
            var kept = Conninfo.parse("");
            for (var key : List.of("user", "password", "passfile")) {
                var value = own.get(key);
                if (value.isPresent()) {
                    kept = kept.with(key, value.get());
                }
            }
            found[0] = kept;
            return new ActionOutcome.Done("read");
        });
        return found[0];
    }

    /** The rewind source: the new primary, without the password (it would show in the process list). */
    Conninfo rewindSource(NodeSpec newPrimary) {
        return Conninfo.parse("").with("host", newPrimary.host()).with("port", Integer.toString(newPrimary.port()))
                .with("user", login.user()).with("dbname", DATABASE).with("connect_timeout", "10");
    }

    String remoteCommands(NodeSpec oldPrimary, NodeSpec newPrimary, Optional<String> slot) {
        var lines = new ArrayList<String>();
        lines.add("# on " + oldPrimary.host() + ", as the OS user owning the data directory, PGDATA set to it;");
        lines.add("# the password of " + login.user() + " comes from ~/.pgpass or PGPASSWORD (never written here)");
        lines.add("pg_ctl -D \"$PGDATA\" -m fast -w stop");
        lines.add("mkdir -p \"$PGDATA.conf-before-rewind\" && cp -p \"$PGDATA\"/postgresql.conf \"$PGDATA\"/postgresql.auto.conf"
                + " \"$PGDATA\"/pg_hba.conf \"$PGDATA\"/pg_ident.conf \"$PGDATA.conf-before-rewind\"/");
        lines.add("psql '" + rewindSource(newPrimary).render() + "' -c CHECKPOINT   # pg_rewind reads the new timeline from the control file");
        lines.add("pg_rewind --target-pgdata=\"$PGDATA\" --source-server='" + rewindSource(newPrimary).render()
                + "' --progress");
        lines.add("cp -p \"$PGDATA.conf-before-rewind\"/* \"$PGDATA\"/   # pg_rewind copied the new primary's config files");
        slot.ifPresent(s -> lines.add("psql '" + rewindSource(newPrimary).render()
                + "' -c \"SELECT pg_create_physical_replication_slot('" + s + "', true) WHERE NOT EXISTS "
                + "(SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + s + "')\""));
        lines.add("sed -i -e '/^primary_conninfo/d' -e '/^primary_slot_name/d' \"$PGDATA\"/postgresql.auto.conf");
        lines.add("echo \"primary_conninfo = '" + rejoinConninfo(oldPrimary, newPrimary, false).render()
                + "'\" >> \"$PGDATA\"/postgresql.auto.conf");
        slot.ifPresent(s -> lines.add("echo \"primary_slot_name = '" + s + "'\" >> \"$PGDATA\"/postgresql.auto.conf"));
        lines.add("touch \"$PGDATA\"/standby.signal");
        lines.add("pg_ctl -D \"$PGDATA\" -w start");
        return String.join("\n", lines);
    }

    /** Exposes the slot helper to {@link LocalRejoin}. */
    ActionOutcome ensureSlotFor(NodeSpec primary, String slot) {
        return ensureSlot(primary, slot);
    }

    Login login() {
        return login;
    }

    PromoterTimeouts timeouts() {
        return timeouts;
    }

    // --- small SQL helpers --------------------------------------------------------------------------------------

    private static boolean inRecovery(Connection c) throws SQLException {
        return queryBoolean(c, "SELECT pg_is_in_recovery()");
    }

    /** The value the configuration files give {@code name} (last one wins), as {@code pg_file_settings} reads them. */
    private static Optional<String> configured(Connection c, String name) throws SQLException {
        try (var ps = c.prepareStatement(
                "SELECT setting FROM pg_file_settings WHERE name = ? AND error IS NULL ORDER BY seqno DESC LIMIT 1")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (var ps = c.prepareStatement("SELECT current_setting(?)")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getString(1)).orElse("");
            }
        }
    }

    private static boolean isOn(Optional<String> value) {
        return value.map(v -> v.strip().toLowerCase(Locale.ROOT))
                .filter(v -> v.equals("on") || v.equals("true") || v.equals("1") || v.equals("yes")).isPresent();
    }

    /** The server's own quoting of {@code value} as a literal, for statements that take no parameters. */
    private static String quoteLiteral(Connection c, String value) throws SQLException {
        try (var ps = c.prepareStatement("SELECT quote_literal(?)")) {
            ps.setString(1, value);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static boolean queryBoolean(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static int queryInt(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long lsn(String text) {
        return DataPosition.PgLsn.parse(0, text).lsn();
    }
}
