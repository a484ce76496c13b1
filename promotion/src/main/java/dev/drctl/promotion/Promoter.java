package dev.drctl.promotion;

import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeSpec;
import java.time.Duration;
import java.util.List;

/**
 * The engine-specific half of a failover or switchover: the SQL (and, for a local PostgreSQL rejoin, the server
 * programs) that fence, promote, re-point and rejoin nodes. The runbooks decide what to call and in which order; a
 * promoter only acts on the node it is given and reports what it found.
 *
 * <p>Contract of every operation (Patroni's {@code AbstractDCS} style):
 * <ul>
 *   <li><b>Idempotent or check-then-act.</b> Each first reads the state it would establish and returns
 *       {@link ActionOutcome.AlreadyDone} when it already holds, so a runbook resumed after a crash may repeat the
 *       interrupted step safely.</li>
 *   <li><b>Bounded.</b> Connections open within {@link PromoterTimeouts#connect()}, statements run within
 *       {@link PromoterTimeouts#statement()}, waits within the {@code Duration} given; nothing blocks for ever.</li>
 *   <li><b>Outcomes are values.</b> A server's answer (unreachable, refused, read-only, an SQL error, a deadline) is
 *       returned as an {@link ActionOutcome}, never thrown. Only a broken promoter (closed, a bug) throws, as a
 *       {@code DrctlException} or {@code IllegalStateException}.</li>
 *   <li><b>Remote.</b> Every action is SQL to the node's own address: nothing runs on drctl's host (DESIGN.md,
 *       mistake 5), except the local-testenv branch of {@link #rejoin} when {@link RejoinContext#local()} says the
 *       server is drctl's own.</li>
 *   <li><b>No secrets out.</b> Details and facts never contain a password; connections use the cluster's
 *       credentials, resolved once when the promoter is built.</li>
 * </ul>
 *
 * <p>Replication accounts: a replica streams as the cluster's {@code replication:} account when one is configured;
 * otherwise a re-pointed replica keeps exactly the user and password source it has (PostgreSQL: the {@code user},
 * {@code password}, {@code passfile} of its {@code primary_conninfo}; MySQL/MariaDB: the {@code CHANGE} statement
 * leaves user and password out). A rejoined PostgreSQL node takes the account the new primary itself streamed with.
 * drctl's own password is never written into a replica's configuration; only a MySQL/MariaDB node with no
 * replication account at all and no {@code replication:} configured is given drctl's login.
 */
public interface Promoter extends AutoCloseable {

    Engine engine();

    /**
     * Fences the old primary if it answers at all (safety rule 4): makes it refuse writes (persistently where the
     * engine can; {@link ActionOutcome#PERSISTENT} {@code "false"} when it cannot), on PostgreSQL also revokes LOGIN
     * from application roles ({@link ActionOutcome#LOGINS_REVOKED}: {@code BEGIN READ WRITE} would pass the read-only
     * default), and ends its client sessions, so no client keeps writing to it. Replication sessions and drctl's own
     * session are left alone. A server that answers "too many connections" is alive: {@link ActionOutcome.Failed},
     * never {@link ActionOutcome.Unreachable}.
     *
     * @return {@link ActionOutcome.Done} with {@link ActionOutcome#SESSIONS_ENDED}; {@link ActionOutcome.AlreadyDone}
     *         when it is already read-only with no client session left; {@link ActionOutcome.Unreachable} when
     *         nothing answers (a dead primary need not be fenced; the runbook goes on)
     */
    ActionOutcome fence(NodeSpec oldPrimary);

    /**
     * Waits until the candidate has applied everything it has received from the old primary (PostgreSQL: replay LSN
     * = receive LSN, resuming a paused replay; MySQL: the SQL thread has executed the retrieved GTID set; MariaDB:
     * {@code MASTER_GTID_WAIT} on the received position). Changes nothing else.
     *
     * @return {@link ActionOutcome.Done} with {@link ActionOutcome#POSITION}; {@link ActionOutcome.Failed}
     *         ({@code retrySafe}) when {@code timeout} passes first
     */
    ActionOutcome awaitApplied(NodeSpec candidate, Duration timeout);

    /**
     * Promotes the candidate to a writable primary and waits until it is one. Does not fence, re-point or verify a
     * write: those are their own steps.
     *
     * @return {@link ActionOutcome.Done}; {@link ActionOutcome.AlreadyDone} when it is already a writable primary
     *         (promoting twice is harmless)
     */
    ActionOutcome promote(NodeSpec candidate);

    /**
     * Proves the node takes writes with a real write: upserts a row in {@code drctl.drctl_heartbeat} (schema /
     * database and table created if missing), and reports the new timeline (PostgreSQL, after a checkpoint) or GTID
     * position. A promotion "done" on a node that still refuses writes is caught here.
     *
     * @return {@link ActionOutcome.Done} with {@link ActionOutcome#POSITION} (and {@link ActionOutcome#TIMELINE});
     *         {@link ActionOutcome.Failed} when the write is refused
     */
    ActionOutcome verifyWritable(NodeSpec node);

    /**
     * Makes {@code replica} replicate from {@code newPrimary} (PostgreSQL: {@code primary_conninfo} + reload,
     * a replication slot on the new primary when the replica uses one; MySQL/MariaDB: GTID auto-positioning) and
     * starts replication. Does not wait for streaming: {@link #verifyStreaming} does.
     *
     * @return {@link ActionOutcome.AlreadyDone} when it already follows {@code newPrimary}
     */
    ActionOutcome repoint(NodeSpec replica, NodeSpec newPrimary);

    /**
     * Waits until {@code replica} streams from {@code newPrimary} (PostgreSQL {@code pg_stat_wal_receiver} status
     * {@code streaming} from its address; MySQL/MariaDB IO and SQL threads running with that source host and port).
     *
     * @return {@link ActionOutcome.Done}; {@link ActionOutcome.Failed} with the last reason when {@code timeout} passes
     */
    ActionOutcome verifyStreaming(NodeSpec replica, NodeSpec newPrimary, Duration timeout);

    /**
     * Switchover's first step on a healthy primary: makes it refuse new writes, ends its client sessions (in-flight
     * transactions are rolled back, never half-committed; commits already acknowledged are in its log) and reports
     * its final position, which the candidate must reach before it is promoted.
     *
     * @return {@link ActionOutcome.Done} / {@link ActionOutcome.AlreadyDone} with {@link ActionOutcome#POSITION}
     */
    ActionOutcome demote(NodeSpec primary);

    /** The node's data position and whether it takes writes, for the switchover's zero-lag wait and RPO figures. */
    PositionReading position(NodeSpec node);

    /**
     * What the other nodes have that the candidate lacks: for GTID engines the errant/missing transactions per
     * node; for PostgreSQL the WAL range of a node further ahead than the candidate. Reports, changes nothing.
     */
    ErrantCheck errantTransactions(NodeSpec candidate, List<NodeSpec> others);

    /**
     * Turns the old primary into a replica of {@code newPrimary} (issue point 5). PostgreSQL: when
     * {@link RejoinContext#local()} is present, stops it, runs {@code pg_rewind} from the new primary, writes
     * {@code standby.signal} and {@code primary_conninfo}, starts it and verifies it streams; otherwise returns
     * {@link ActionOutcome.Done} with {@link ActionOutcome#COMMANDS} for an operator to run on that host and changes
     * nothing. MySQL/MariaDB: when its transactions are all contained in the new primary's, makes it read-only and
     * re-points it by GTID; otherwise {@link ActionOutcome.Refused} naming the errant transactions
     * ({@link ActionOutcome#ERRANT}).
     *
     * @return {@link ActionOutcome.AlreadyDone} when it already streams from {@code newPrimary}
     */
    ActionOutcome rejoin(NodeSpec oldPrimary, NodeSpec newPrimary, RejoinContext context);

    /** Releases whatever the promoter holds; idempotent. Operations after it throw {@code IllegalStateException}. */
    @Override
    void close();
}
