package dev.drctl.promotion;

import java.util.Objects;

import dev.drctl.topology.NodeName;

/** What to do about a cluster now: a plan, not an action. The runbook acts on it and journals it. */
public sealed interface FailoverDecision {

    /** The sentence: logged, journaled, printed, asserted by tests. */
    String reason();

    /** Nothing to do now. */
    record Wait(String reason) implements FailoverDecision {
        public Wait {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Fail over: fence {@code fenced} if it answers at all (rule 4), then promote {@code candidate}.
     */
    record Promote(NodeName candidate, NodeName fenced, String reason) implements FailoverDecision {
        public Promote {
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(fenced, "fenced");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A failover is called for, or asked about, and a safety rule (or the mode) forbids doing it automatically. */
    record Refuse(Refusal refusal, String reason) implements FailoverDecision {
        public Refuse {
            Objects.requireNonNull(refusal, "refusal");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
