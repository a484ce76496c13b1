package dev.drctl.promotion;

import java.util.ArrayList;
import java.util.Optional;

import dev.drctl.topology.Comparison;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.DataSize;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.NodeName;

/**
 * The RPO guard (safety rule 3) for one chosen candidate, as a value: what promoting it loses, whether that is within
 * max-lag, and whether it can be bounded at all. A replica behind another candidate, holding errant transactions,
 * lacking more than max-lag of the failed primary's last known data, or lagging over max-lag breaches it; a loss that
 * cannot be measured (the primary's last position unknown, the candidate's lag unknown) is never taken as zero.
 */
final class DataLossGuard {
    private DataLossGuard() {
    }

    static DataLoss assess(ReplicaRanking.Ranked c, ReplicaRanking ranking, FailoverPolicy policy, NodeName primary) {
        var breaches = new ArrayList<String>();
        boolean bounded = true;
        var best = ranking.ranked().getFirst();
        if (!best.node().equals(c.node()) && best.position().compareWith(c.position()) == Comparison.AHEAD) {
            breaches.add("is behind " + best.node() + " on data (" + c.position().display() + " vs "
                    + best.position().display() + ")");
        }
        if (c.versusPrimary().orElse(Comparison.EQUAL) == Comparison.INCOMPARABLE) {
            breaches.add("holds transactions " + primary + " never had (errant)");
        }
        if (c.shortfall().isEmpty()) {
            bounded = false;
            breaches.add("data loss unknown: " + primary + "'s last position is unknown to drctl, so what "
                    + c.node() + " lacks cannot be bounded");
        }
        c.shortfall().filter(s -> s.unit() == DataPosition.Shortfall.Unit.BYTES && s.amount() > policy.maxLagBytes().bytes())
                .ifPresent(s -> breaches.add("lacks " + s + " of " + primary + "'s last known data, over max-lag "
                        + policy.maxLagBytes()));
        var lag = c.lag();
        if (lag.time().isEmpty() && lag.bytes().isEmpty()) {
            bounded = false;
            breaches.add("has an unknown lag (never treated as 0)");
        }
        lag.time().filter(t -> t.compareTo(policy.maxLagTime()) > 0).ifPresent(t -> breaches.add("lags "
                + Wording.duration(t) + ", over max-lag " + Wording.duration(policy.maxLagTime())));
        lag.bytes().filter(b -> b > policy.maxLagBytes().bytes()).ifPresent(b -> breaches.add("lags " + new DataSize(b)
                + " not yet applied, over max-lag " + policy.maxLagBytes()));
        // The ranker's own guard on the best candidate knows what the ranking measured (GTID sets, received positions).
        if (best.node().equals(c.node()) && breaches.isEmpty() && ranking.rpoBlock().isPresent()) {
            breaches.add(ranking.rpoBlock().get());
        }
        return new DataLoss(c.shortfall(), estimate(c, primary), breaches, bounded);
    }

    static String estimate(ReplicaRanking.Ranked c, NodeName primary) {
        if (c.shortfall().isPresent()) {
            var s = c.shortfall().get();
            return s.amount() == 0 ? "RPO 0: it holds all of " + primary + "'s last known data"
                    : "RPO estimate: lacks " + s + " of " + primary + "'s last known data";
        }
        var lag = c.lag();
        return "RPO estimate: unknown: what " + primary + " wrote after " + c.position().display()
                + " (its last position is unknown to drctl); candidate lag "
                + lag.bytes().map(b -> new DataSize(b).toString()).orElse("unknown") + " / "
                + lag.time().map(Wording::duration).orElse("unknown");
    }

    /** Whether the loss stops a promotion that is not accepted, and under which rule. */
    static Optional<Refusal> refusal(DataLoss loss) {
        if (loss.withinGuard()) {
            return Optional.empty();
        }
        return Optional.of(loss.bounded() ? Refusal.RPO_GUARD : Refusal.DATA_LOSS_UNKNOWN);
    }
}
