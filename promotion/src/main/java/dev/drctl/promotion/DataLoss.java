package dev.drctl.promotion;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.drctl.topology.DataPosition;
import dev.drctl.topology.NodeName;

/**
 * How much data promoting one candidate would lose, as far as drctl can tell (safety rule 3). Measured on what the
 * candidate <i>received</i> (what a PostgreSQL standby replays before it finishes promotion, what a MySQL-family
 * replica applies from its relay log), never on what it has not yet replayed. See {@link ReplicaRanker} for when
 * each case is given.
 */
public sealed interface DataLoss {

    /** The estimate in words, for {@code drctl candidates}, the journal and the notifications. */
    String words();

    /** The bytes the loss amounts to (0 for none); empty when unknown or counted in transactions. */
    default Optional<Long> bytes() {
        return switch (this) {
            case None n -> Optional.of(0L);
            case Bounded b -> b.amount().unit() == DataPosition.Shortfall.Unit.BYTES
                    ? Optional.of(b.amount().amount()) : Optional.empty();
            case Unknown u -> Optional.empty();
        };
    }

    /** It holds everything of the best known position: nothing that drctl knows of is lost. */
    record None(Basis basis) implements DataLoss {
        public None {
            Objects.requireNonNull(basis, "basis");
        }

        @Override
        public String words() {
            return "none: holds all of " + basis.words();
        }
    }

    /**
     * It lacks a measured amount of the best known position.
     *
     * @param amount  bytes of WAL, or transactions for GTIDs (never 0: that is {@link None})
     * @param missing the missing transactions named (GTIDs; empty for WAL)
     * @param basis   what it was measured against
     */
    record Bounded(DataPosition.Shortfall amount, List<String> missing, Basis basis) implements DataLoss {
        public Bounded {
            Objects.requireNonNull(amount, "amount");
            missing = List.copyOf(missing);
            Objects.requireNonNull(basis, "basis");
            if (amount.amount() == 0) {
                throw new IllegalArgumentException("a bounded loss of 0 is None");
            }
        }

        @Override
        public String words() {
            return "lacks " + amount + (missing.isEmpty() ? "" : " (" + String.join(", ", missing) + ")") + " of "
                    + basis.words();
        }
    }

    /**
     * Nobody can tell how much it would lose.
     *
     * @param reason  why, in plain words
     * @param atLeast what it is known to lack already, when measured (the true loss may be larger)
     * @param missing the transactions known to be missing, named (GTIDs)
     */
    record Unknown(String reason, Optional<DataPosition.Shortfall> atLeast, List<String> missing) implements DataLoss {
        public Unknown {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(atLeast, "atLeast");
            missing = List.copyOf(missing);
        }

        public Unknown(String reason) {
            this(reason, Optional.empty(), List.of());
        }

        @Override
        public String words() {
            return "unknown: " + reason;
        }
    }

    /** Where the reference position comes from. */
    enum Source {
        /** The failed primary itself, answered in the probe rounds of this decision. */
        PROBED,
        /** The failed primary, as the state store recorded it from an earlier probe round. */
        REMEMBERED,
        /** Another replica, which received more than the primary was last seen with (the primary wrote it). */
        REPLICA
    }

    /**
     * What a loss is measured against: the furthest position known to have been written by the primary.
     *
     * @param reference the position
     * @param source    where it comes from
     * @param holder    the node seen holding it (the failed primary, or the replica that received it)
     * @param at        when it was seen (for {@link Source#REPLICA}, the replica's probe)
     */
    record Basis(DataPosition reference, Source source, NodeName holder, Optional<Instant> at) {
        public Basis {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(holder, "holder");
            Objects.requireNonNull(at, "at");
        }

        String words() {
            var when = at.map(t -> " at " + Wording.instant(t)).orElse("");
            return switch (source) {
                case PROBED -> holder + "'s last position " + reference.display() + ", seen" + when;
                case REMEMBERED -> holder + "'s last position " + reference.display() + ", recorded" + when;
                case REPLICA -> "the position " + reference.display() + " that " + holder + " received";
            };
        }
    }
}
