package dev.drctl.promotion;

import java.util.Objects;
import java.util.Optional;

import dev.drctl.topology.NodeName;

/**
 * What the pipeline is asked to decide: who asks, and with which options. The same observations give different
 * decisions to different requests (the cooldown binds only the daemon; only a person may accept data loss or assert
 * a death), and every one of them is decided by {@link DecisionPipeline}, nowhere else.
 */
public sealed interface Request {

    /** The daemon, on a probe round: the policy's mode and the cooldown apply; it can accept nothing. */
    record Automatic() implements Request {
    }

    /**
     * {@code drctl failover}: a person asks, after the command's own probe burst.
     *
     * @param to             the node to promote instead of the best one
     * @param acceptDataLoss promote even when the candidate lacks more than max-lag, or an unknown amount
     * @param formerPrimary  the operator asserts this node was the primary and is dead, for when the replicas cannot
     *                       confirm it by a majority (a whole data centre lost)
     */
    record ManualFailover(Optional<NodeName> to, boolean acceptDataLoss, Optional<NodeName> formerPrimary)
            implements Request {
        public ManualFailover {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(formerPrimary, "formerPrimary");
        }

        public static ManualFailover plain() {
            return new ManualFailover(Optional.empty(), false, Optional.empty());
        }
    }

    /** {@code drctl switchover}: planned; the primary answers and a healthy replica takes over. */
    record Switchover(Optional<NodeName> to) implements Request {
        public Switchover {
            Objects.requireNonNull(to, "to");
        }
    }

    /** {@code drctl candidates}: what a plain {@code drctl failover} would decide now; it changes nothing. */
    record Look() implements Request {
    }
}
