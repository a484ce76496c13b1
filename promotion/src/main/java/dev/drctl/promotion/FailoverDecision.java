package dev.drctl.promotion;

import java.util.Objects;
import java.util.Optional;

import dev.drctl.topology.NodeName;

/** What to do about a cluster now: a plan, not an action. The runbook acts on it and journals it. */
public sealed interface FailoverDecision {

    /** The sentence: logged, journaled, printed, asserted by tests. */
    String reason();

    /** Nothing to do now (the daemon's answer to a healthy or not-yet-failed cluster). */
    record Wait(String reason) implements FailoverDecision {
        public Wait {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Act: fence {@code fenced} if it answers at all (rule 4), then promote {@code candidate}.
     *
     * @param loss          what the promotion loses, as the ranker estimated it for this candidate
     * @param acceptedBlock the RPO guard's block the operator accepted with {@code --accept-data-loss} (the loss is
     *                      over max-lag or unknown); empty when the promotion is within the guard
     * @param deathAsserted the primary's death rests on the operator's word ({@code --former-primary}), not on a
     *                      majority of the replicas
     */
    record Promote(NodeName candidate, NodeName fenced, DataLoss loss, Optional<String> acceptedBlock,
                   boolean deathAsserted, String reason) implements FailoverDecision {
        public Promote {
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(fenced, "fenced");
            Objects.requireNonNull(loss, "loss");
            Objects.requireNonNull(acceptedBlock, "acceptedBlock");
            Objects.requireNonNull(reason, "reason");
        }

        /** The loss is over the guard or unknown and the operator accepted it ({@code --accept-data-loss}). */
        public boolean lossAccepted() {
            return acceptedBlock.isPresent();
        }
    }

    /**
     * A failover is called for, or asked about, and a safety rule (or the mode) forbids it.
     *
     * @param next the command a person may run instead, when there is one
     */
    record Refuse(Refusal refusal, String reason, Optional<String> next) implements FailoverDecision {
        public Refuse {
            Objects.requireNonNull(refusal, "refusal");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(next, "next");
        }

        public Refuse(Refusal refusal, String reason) {
            this(refusal, reason, Optional.empty());
        }
    }
}
