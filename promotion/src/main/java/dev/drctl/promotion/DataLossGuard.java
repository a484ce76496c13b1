package dev.drctl.promotion;

import java.util.Optional;

/**
 * The RPO guard (safety rule 3) as the decision applies it: the ranker estimates each candidate's loss and blocks it
 * ({@link ReplicaRanking.Ranked#rpoBlock}); this only names the rule a block stands for. Nothing here measures again:
 * one estimate, shown by {@code drctl candidates} and obeyed by {@code failover} and the daemon alike.
 */
final class DataLossGuard {
    private DataLossGuard() {
    }

    /** The rule promoting {@code c} without {@code --accept-data-loss} breaks, if any. */
    static Optional<Refusal> refusal(ReplicaRanking.Ranked c) {
        // A replica that cannot say its lag has an unmeasured amount still to apply: unbounded, as an unknown loss.
        var lagUnknown = c.lag().time().isEmpty() && c.lag().bytes().isEmpty();
        return c.rpoBlock().map(block -> switch (c.loss()) {
            case DataLoss.Unknown u -> Refusal.DATA_LOSS_UNKNOWN;
            // Known, but over max-lag, missing transactions, errant, or a lag over max-lag or unknown.
            case DataLoss.None n -> lagUnknown ? Refusal.DATA_LOSS_UNKNOWN : Refusal.RPO_GUARD;
            case DataLoss.Bounded b -> lagUnknown ? Refusal.DATA_LOSS_UNKNOWN : Refusal.RPO_GUARD;
        });
    }
}
