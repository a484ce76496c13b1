package dev.drctl.promotion;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.drctl.topology.Comparison;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;

/**
 * Who is best to promote, explainably: every node of the cluster appears once, either ranked (best first)
 * with its score components and a reason, or excluded with a typed reason.
 *
 * @param ranked   the candidates, best first
 * @param excluded every other node, with why
 * @param rpoBlock when present, promoting the best candidate is refused without {@code --accept-data-loss}: its
 *                 data loss is unknown, over max-lag, or missing transactions (or it holds errant ones, or lags over
 *                 max-lag): the sentence, with the figures (the best's {@link Ranked#rpoBlock})
 */
public record ReplicaRanking(List<Ranked> ranked, List<Excluded> excluded, Optional<String> rpoBlock) {
    public ReplicaRanking {
        ranked = List.copyOf(ranked);
        excluded = List.copyOf(excluded);
        Objects.requireNonNull(rpoBlock, "rpoBlock");
    }

    /** No ranking: there is no primary to rank replacements for. */
    public static ReplicaRanking none() {
        return new ReplicaRanking(List.of(), List.of(), Optional.empty());
    }

    public Optional<Ranked> best() {
        return ranked.isEmpty() ? Optional.empty() : Optional.of(ranked.getFirst());
    }

    /**
     * One candidate and the components it was ranked by, in the order they count.
     *
     * @param place            1 for the best
     * @param position         the data it holds (PostgreSQL: received LSN, what it replays on promotion)
     * @param behindCandidates how many other candidates hold strictly more data (0 for the leaders)
     * @param versusPrimary    its data against the failed primary's last known position (INCOMPARABLE: another
     *                         timeline or errant transactions, ranked after the comparable leader); empty if unknown
     * @param incomparableWith candidates whose data has no order with this one's (diverged GTID sets, other timelines)
     * @param shortfall        how much of the failed primary's last known position it lacks, when that can be measured
     * @param region           its region
     * @param preferredRegion  the index of its region in prefer-regions (0 = most preferred), empty if not listed
     * @param priority         the configured priority (higher wins)
     * @param lag              the replica's lag as it reports it (unknown sorts last, never as zero)
     * @param reason           why it is at this place, in words
     * @param loss             what promoting it would lose: none, a bounded amount with its basis, or unknown with
     *                         the reason (measured on the received position; see {@link ReplicaRanker})
     * @param errant           transactions it holds that the primary's last known position does not (GTIDs, named)
     * @param rpoBlock         when present, why promoting <i>this</i> candidate is refused without
     *                         {@code --accept-data-loss} (its loss unknown, over max-lag, missing transactions, errant
     *                         transactions, lag over max-lag); {@link ReplicaRanking#rpoBlock} is the best one's
     * @param rpoBreach        the same block without the command that promotes anyway: for a decision that names
     *                         its own next command (with the request's {@code --to} and {@code --former-primary})
     */
    public record Ranked(NodeName node, int place, DataPosition position, int behindCandidates,
                         Optional<Comparison> versusPrimary, List<NodeName> incomparableWith, Optional<DataPosition.Shortfall> shortfall, String region,
                         Optional<Integer> preferredRegion, int priority, Lag lag, String reason, DataLoss loss,
                         List<String> errant, Optional<String> rpoBlock, Optional<String> rpoBreach) {

        /** A candidate nobody estimated the loss of: unknown, so blocked (never a silent pass). */
        public Ranked(NodeName node, int place, DataPosition position, int behindCandidates,
                      Optional<Comparison> versusPrimary, List<NodeName> incomparableWith,
                      Optional<DataPosition.Shortfall> shortfall, String region, Optional<Integer> preferredRegion,
                      int priority, Lag lag, String reason) {
            this(node, place, position, behindCandidates, versusPrimary, incomparableWith, shortfall, region,
                    preferredRegion, priority, lag, reason, new DataLoss.Unknown("not estimated"), List.of(),
                    Optional.of("data loss unknown: not estimated"), Optional.of("data loss unknown: not estimated"));
        }

        public Ranked {
            Objects.requireNonNull(loss, "loss");
            errant = List.copyOf(errant);
            Objects.requireNonNull(rpoBlock, "rpoBlock");
            Objects.requireNonNull(rpoBreach, "rpoBreach");
            if (rpoBlock.isPresent() != rpoBreach.isPresent()) {
                throw new IllegalArgumentException("rpoBlock and rpoBreach go together");
            }
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(versusPrimary, "versusPrimary");
            incomparableWith = List.copyOf(incomparableWith);
            Objects.requireNonNull(shortfall, "shortfall");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(preferredRegion, "preferredRegion");
            Objects.requireNonNull(lag, "lag");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A node that is not a candidate, and why. */
    public record Excluded(NodeName node, Exclusion why, String detail) {
        public Excluded {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(why, "why");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return node + ": " + detail;
        }
    }
}
