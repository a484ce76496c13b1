package dev.drctl.promotion;

import java.util.Map;
import java.util.Objects;

/**
 * What one promoter operation did, as a value: a server's answer (refused, read-only, not reachable) is never
 * thrown. Every outcome carries a one-line {@link #detail()} for the journal and the terminal; it never holds a
 * secret.
 *
 * <p>Which outcomes let a runbook go on: {@link Done} and {@link AlreadyDone}. {@link Unreachable} is a normal answer
 * of {@link Promoter#fence} (a dead primary cannot be fenced, and need not be). {@link Failed#retrySafe()} says
 * whether running the same operation again is harmless (it is for every operation of a {@link Promoter}, which are
 * idempotent or check-then-act; {@code false} means retrying will give the same answer until a human acts).
 * {@link Refused} is a safety refusal (e.g. errant transactions on a rejoin): the runbook stops and reports it.
 */
public sealed interface ActionOutcome {

    /** A fact key: the PostgreSQL timeline the node is on after the operation. */
    String TIMELINE = "timeline";
    /** A fact key: the data position (LSN, GTID set / position) as the server prints it. */
    String POSITION = "position";
    /** A fact key: the new primary's address a replica now follows ({@code host:port}). */
    String SOURCE = "source";
    /** A fact key: commands (newline separated) an operator runs on a remote host; no secret is in them. */
    String COMMANDS = "commands";
    /** A fact key: transactions a node has that another lacks (GTIDs), named rather than lost. */
    String ERRANT = "errant";
    /** A fact key: client sessions ended by a fence or a demotion. */
    String SESSIONS_ENDED = "sessions-ended";
    /** A fact key: a replication slot created or kept for a replica. */
    String SLOT = "slot";
    /**
     * A fact key: application login roles whose LOGIN a PostgreSQL fence revoked (comma-separated), so a session
     * opened with {@code BEGIN READ WRITE} cannot bypass the read-only fence; they are listed in
     * {@code drctl.fenced_logins} on the node and given LOGIN back when that data is promoted.
     */
    String LOGINS_REVOKED = "logins-revoked";
    /** A fact key: login roles a promotion gave LOGIN back (a fence of an earlier life had revoked it). */
    String LOGINS_RESTORED = "logins-restored";
    /**
     * A fact key of a fence: {@code "false"} when the fence does not survive a restart of the node (MariaDB
     * {@code read_only}, MySQL 5.7), so the next rung of the ladder is needed; absent or {@code "true"} when it does.
     */
    String PERSISTENT = "persistent";
    /** A fact key: something an operator should know although the operation succeeded. */
    String NOTE = "note";

    String detail();

    /** Whether a runbook may go on: {@link Done} or {@link AlreadyDone}. */
    default boolean succeeded() {
        return switch (this) {
            case Done d -> true;
            case AlreadyDone a -> true;
            case Unreachable u -> false;
            case Failed f -> false;
            case Refused r -> false;
        };
    }

    /** The facts of a success (empty for other outcomes). */
    default Map<String, String> facts() {
        return switch (this) {
            case Done d -> d.facts;
            case AlreadyDone a -> a.facts;
            case Unreachable u -> Map.of();
            case Failed f -> Map.of();
            case Refused r -> Map.of();
        };
    }

    /** The operation changed something and verified it. */
    record Done(String detail, Map<String, String> facts) implements ActionOutcome {
        public Done {
            Objects.requireNonNull(detail, "detail");
            facts = Map.copyOf(facts);
        }

        public Done(String detail) {
            this(detail, Map.of());
        }
    }

    /** What the operation would do already holds; nothing was changed. */
    record AlreadyDone(String detail, Map<String, String> facts) implements ActionOutcome {
        public AlreadyDone {
            Objects.requireNonNull(detail, "detail");
            facts = Map.copyOf(facts);
        }

        public AlreadyDone(String detail) {
            this(detail, Map.of());
        }
    }

    /** Nothing answered at the node's address within the connect timeout. */
    record Unreachable(String detail) implements ActionOutcome {
        public Unreachable {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The node answered but the operation did not reach its goal (an error, a deadline).
     *
     * @param retrySafe whether repeating the operation is harmless and may succeed (e.g. a timeout); {@code false}
     *                  when the same answer will come back until a human acts (e.g. no privilege)
     */
    record Failed(String detail, boolean retrySafe) implements ActionOutcome {
        public Failed {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The operation would break a safety rule (e.g. rejoin with errant transactions); nothing was changed. */
    record Refused(String detail, Map<String, String> facts) implements ActionOutcome {
        public Refused {
            Objects.requireNonNull(detail, "detail");
            facts = Map.copyOf(facts);
        }
    }
}
