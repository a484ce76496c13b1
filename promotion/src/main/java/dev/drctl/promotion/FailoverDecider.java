package dev.drctl.promotion;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.drctl.topology.FailoverPolicy;

/**
 * The automatic decision (orchestrator's check-and-recover table, exhaustive): a pure function of the verdict, the
 * ranking, the cooldown, the mode and "now", run by {@link DecisionPipeline} for {@link Request.Automatic}. A new
 * verdict does not compile until it is decided here. Refusals say what a human may do instead; their wording is
 * contract.
 */
public final class FailoverDecider {
    private FailoverDecider() {
    }

    public static FailoverDecision decide(ClusterVerdict verdict, ReplicaRanking ranking, Cooldown cooldown,
                                          FailoverPolicy policy, Instant now) {
        var mode = policy.mode();
        var cluster = verdict.cluster();
        var manualCommand = "drctl failover " + cluster;
        var manual = "`" + manualCommand + "` acts manually and is journaled as manual";
        return switch (verdict) {
            case ClusterVerdict.Healthy h -> new FailoverDecision.Wait(h.summary());
            case ClusterVerdict.ReplicaProblems p -> new FailoverDecision.Wait(p.summary());
            case ClusterVerdict.PrimarySuspect s -> new FailoverDecision.Wait(s.summary());
            // Rule 1: a primary its replicas still stream from is alive; promoting would make two writers.
            case ClusterVerdict.DrctlPartitioned p -> new FailoverDecision.Wait(p.summary());
            case ClusterVerdict.DrctlBlind b -> new FailoverDecision.Refuse(Refusal.DRCTL_BLIND, b.summary()
                    + "; automatic failover refused: drctl sees nothing", Optional.of("drctl status " + cluster));
            case ClusterVerdict.SplitBrain b -> new FailoverDecision.Refuse(Refusal.SPLIT_BRAIN, b.summary()
                    + "; automatic failover refused: fence all but one of them by hand (read-only or stopped); "
                    + "drctl will not choose a writer", Optional.of("drctl fence " + cluster + " NODE"));
            case ClusterVerdict.NoPrimary n -> new FailoverDecision.Refuse(Refusal.NO_PRIMARY, n.summary()
                    + "; automatic failover refused: there is no confirmed primary to fail over from; `drctl failover "
                    + cluster + " --to NODE` acts manually and is journaled as manual",
                    Optional.of(manualCommand + " --to NODE --former-primary NODE"));
            // Rule 6: the flapping primary fails over once, then humans look.
            case ClusterVerdict.PrimaryDead d when cooldown.active(now) -> new FailoverDecision.Refuse(Refusal.COOLDOWN,
                    d.summary() + "; automatic failover refused: " + cluster + " failed over at "
                            + Wording.instant(cooldown.lastFailover().orElseThrow()) + ", cooldown until "
                            + Wording.instant(cooldown.until().orElseThrow()) + "; " + manual,
                    Optional.of(manualCommand));
            case ClusterVerdict.PrimaryDead d when ranking.ranked().isEmpty() -> new FailoverDecision.Refuse(
                    Refusal.NO_CANDIDATE, d.summary() + "; automatic failover refused: no eligible replica ("
                            + ranking.excluded().stream().filter(e -> e.why() != Exclusion.FAILED_PRIMARY)
                                    .map(ReplicaRanking.Excluded::toString).collect(Collectors.joining("; "))
                            + "); `drctl failover " + cluster + " --to NODE` acts manually and is journaled as manual",
                    Optional.of(manualCommand + " --to NODE"));
            case ClusterVerdict.PrimaryDead d -> {
                var best = ranking.ranked().getFirst();
                var blocked = DataLossGuard.refusal(best);
                // Rule 3: never lose more than max-lag automatically, and never an unknown amount.
                if (blocked.isPresent()) {
                    yield new FailoverDecision.Refuse(blocked.get(), d.summary() + "; automatic failover refused: "
                            + best.rpoBreach().orElseThrow() + "; `" + manualCommand + " --accept-data-loss` acts"
                            + " manually and is journaled as manual",
                            Optional.of(manualCommand + " --accept-data-loss"));
                }
                var plan = "promote " + best.node() + " (fencing " + d.primary() + "): " + best.reason();
                yield switch (mode) {
                    case AUTO -> new FailoverDecision.Promote(best.node(), d.primary(), best.loss(), Optional.empty(), false,
                            d.summary() + "; " + plan);
                    case MANUAL -> new FailoverDecision.Refuse(Refusal.MODE_MANUAL, d.summary()
                            + "; failover mode is manual: would " + plan + "; " + manual, Optional.of(manualCommand));
                    case DRY_RUN -> new FailoverDecision.Refuse(Refusal.MODE_DRY_RUN, d.summary()
                            + "; failover mode is dry-run: would " + plan + "; nothing changed", Optional.empty());
                };
            }
        };
    }
}
