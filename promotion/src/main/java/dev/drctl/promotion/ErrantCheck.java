package dev.drctl.promotion;

import dev.drctl.topology.NodeName;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Promoter#errantTransactions} found: the transactions other nodes have that a candidate lacks, named
 * per node, so promoting the candidate never loses them silently.
 */
public sealed interface ErrantCheck {

    /**
     * @param missingOnCandidate per other node, what it has that the candidate lacks (a GTID set, a MariaDB
     *                           {@code domain-server-seq} list, or a PostgreSQL LSN range); absent = nothing missing
     * @param unchecked          per other node that could not be read, why (its transactions are unknown, not
     *                           absent)
     */
    record Checked(NodeName candidate, Map<NodeName, String> missingOnCandidate, Map<NodeName, String> unchecked)
            implements ErrantCheck {
        public Checked {
            Objects.requireNonNull(candidate, "candidate");
            missingOnCandidate = Map.copyOf(missingOnCandidate);
            unchecked = Map.copyOf(unchecked);
        }

        /** Whether every other node was read and none has anything the candidate lacks. */
        public boolean clean() {
            return missingOnCandidate.isEmpty() && unchecked.isEmpty();
        }
    }

    /** The candidate itself could not be read; {@code why} is {@link ActionOutcome.Unreachable} or {@link ActionOutcome.Failed}. */
    record NotChecked(NodeName candidate, ActionOutcome why) implements ErrantCheck {
        public NotChecked {
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(why, "why");
        }
    }
}
