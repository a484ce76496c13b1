package dev.drctl.runbooks;

import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.promotion.ClusterAnalyzer;
import dev.drctl.promotion.ClusterVerdict;
import dev.drctl.promotion.Cooldown;
import dev.drctl.promotion.Exclusion;
import dev.drctl.promotion.FailoverDecider;
import dev.drctl.promotion.FailoverDecision;
import dev.drctl.promotion.Promoter;
import dev.drctl.promotion.ReplicaRanker;
import dev.drctl.promotion.ReplicaRanking;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.Comparison;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.DataSize;
import dev.drctl.topology.FailoverMode;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The unplanned failover: the primary is gone; promote the best (or the named) replica.
 *
 * <pre>
 * probe → analyse → rank → rpo-guard → commit → fence → await-applied → promote → verify-writable → advance-epoch
 *       → repoint-replicas
 * </pre>
 * The first four only look (they also run in a dry-run) and may refuse; {@code commit} is the point from which the
 * run acts. DNS and notification steps are added with {@link Runbook#withStepAfter}, e.g. after
 * {@link #VERIFY_WRITABLE}. A manual failover (the command) confirms the outage with its own probe burst
 * ({@link ManualConfirmation}) and is not bound by the cooldown; an automatic one (the daemon) must have a
 * {@code PrimaryDead} verdict over the daemon's history and passes the decider, cooldown included.
 */
public final class FailoverRunbook {
    public static final String NAME = "failover";
    public static final String PROBE = "probe";
    public static final String ANALYSE = "analyse";
    public static final String RANK = "rank";
    public static final String RPO_GUARD = "rpo-guard";
    public static final String COMMIT = "commit";
    public static final String FENCE = "fence";
    public static final String AWAIT_APPLIED = "await-applied";
    public static final String PROMOTE = "promote";
    public static final String VERIFY_WRITABLE = "verify-writable";
    public static final String ADVANCE_EPOCH = "advance-epoch";
    public static final String REPOINT_REPLICAS = "repoint-replicas";

    /** Fact: the node named by {@code --to}. */
    public static final String TARGET = "target";
    /** Fact: {@code --accept-data-loss} was given. */
    public static final String ACCEPT_DATA_LOSS = "acceptDataLossRequested";

    private FailoverRunbook() {
    }

    public enum Trigger { MANUAL, AUTOMATIC }

    /** The request as run facts (journaled with the run, so a resumed run keeps the original request). */
    public static Map<String, String> request(Optional<NodeName> to, boolean acceptDataLoss, Trigger trigger) {
        var m = new HashMap<String, String>();
        to.ifPresent(n -> m.put(TARGET, n.value()));
        m.put(ACCEPT_DATA_LOSS, Boolean.toString(acceptDataLoss));
        m.put(RunFacts.TRIGGER, trigger.name().toLowerCase());
        return m;
    }

    /**
     * The failover runbook.
     *
     * @param probes      the probe scheduler the probe step takes its rounds with (not started; owned by the caller)
     * @param probeRounds {@link PromotionSteps.Probe#roundsFor} the cluster, or 1 for an automatic failover whose
     *                    daemon history already confirms the outage
     * @param promoter the cluster's engine promoter (owned by the caller)
     */
    public static Runbook create(ProbeScheduler probes, int probeRounds, Promoter promoter, StateStore store) {
        return new Runbook(NAME, RunKind.FAILOVER, List.of(
                new PromotionSteps.Probe(probes, probeRounds, store),
                new Analyse(store),
                new Rank(),
                new RpoGuard(store),
                new PromotionSteps.Commit(store, "promote", true),
                new PromotionSteps.Fence(promoter, RunFacts.OLD_PRIMARY),
                new PromotionSteps.AwaitApplied(promoter, Duration.ofSeconds(60)),
                new PromotionSteps.Promote(promoter),
                new PromotionSteps.VerifyWritable(promoter),
                new PromotionSteps.AdvanceEpoch(store),
                new PromotionSteps.RepointReplicas(promoter, Duration.ofSeconds(60))));
    }

    /** The primary of the last failover or switchover that completed, as the journal records it. */
    public static Optional<NodeName> lastRecordedPrimary(StateStore store, ClusterName cluster) {
        var finished = store.journal().entries(JournalQuery.all().cluster(cluster).kinds(Set.of(JournalKind.RUN_FINISHED)));
        for (int i = finished.size() - 1; i >= 0; i--) {
            var run = RunRecord.fromJson(finished.get(i).payloadTree());
            // Promoted with DNS pending is still a promotion: its new primary is the one on record.
            if ((run.status() == RunStatus.SUCCEEDED || run.status() == RunStatus.PROMOTED_DNS_PENDING)
                    && run.newPrimary().isPresent()
                    && (run.kind() == RunKind.FAILOVER || run.kind() == RunKind.SWITCHOVER)) {
                return run.newPrimary();
            }
        }
        return Optional.empty();
    }

    static PromotionSteps.ProbeBurst burst(RunContext context) {
        return context.kept(PromotionSteps.ProbeBurst.class)
                .orElseThrow(() -> new IllegalStateException("no probe burst in this process"));
    }

    /** Is the primary gone? Manual: the burst must confirm it; automatic: the analyzer must say PrimaryDead. */
    static final class Analyse implements Step {
        private final StateStore store;

        Analyse(StateStore store) {
            this.store = store;
        }

        @Override
        public String name() {
            return ANALYSE;
        }

        @Override
        public boolean readOnly() {
            return true;
        }

        @Override
        public String describe(RunFacts facts) {
            return "confirm the primary is gone (failure-threshold failed probes over failure-window, no replica "
                    + "streaming from it)";
        }

        @Override
        public StepOutcome run(RunContext context) {
            var history = burst(context).history();
            var now = context.now();
            var facts = new LinkedHashMap<String, String>();
            if (context.facts().get(RunFacts.TRIGGER).orElse("manual").equals("automatic")) {
                var verdict = ClusterAnalyzer.analyze(history, now);
                if (!(verdict instanceof ClusterVerdict.PrimaryDead dead)) {
                    return new StepOutcome.Refused(verdict.summary() + "; automatic failover refused");
                }
                facts.put(RunFacts.OLD_PRIMARY, dead.primary().value());
                facts.put(RunFacts.CONFIRMED_AT, now.toString());
                facts.put(RunFacts.DETECTED_AT, now.minus(dead.spanning()).toString());
                facts.put("verdict", dead.summary());
                context.keep(ClusterVerdict.class, verdict);
                return new StepOutcome.Succeeded(dead.summary(), facts);
            }
            var known = lastRecordedPrimary(store, context.cluster().name());
            var assessment = ManualConfirmation.assess(history, known);
            return switch (assessment) {
                case ManualConfirmation.Assessment.Refused r -> new StepOutcome.Refused(r.summary());
                case ManualConfirmation.Assessment.Confirmed c -> {
                    facts.put(RunFacts.OLD_PRIMARY, c.oldPrimary().value());
                    facts.put(RunFacts.DETECTED_AT, c.detectedAt().toString());
                    facts.put(RunFacts.CONFIRMED_AT, now.toString());
                    facts.put("verdict", c.summary());
                    yield new StepOutcome.Succeeded(c.summary(), facts);
                }
            };
        }
    }

    /** Who replaces it: the ranker's best, or the {@code --to} node if it may be promoted at all. */
    static final class Rank implements Step {
        @Override
        public String name() {
            return RANK;
        }

        @Override
        public boolean readOnly() {
            return true;
        }

        @Override
        public String describe(RunFacts facts) {
            return facts.get(TARGET).map(t -> "check that " + t + " may be promoted")
                    .orElse("rank the replicas: data position, region preference, priority, lag");
        }

        @Override
        public StepOutcome run(RunContext context) {
            var f = context.facts();
            var cluster = context.cluster();
            var old = f.node(RunFacts.OLD_PRIMARY).orElseThrow();
            var ranking = ReplicaRanker.rank(burst(context).history(), old, context.now());
            context.keep(ReplicaRanking.class, ranking);
            var target = f.node(TARGET);
            ReplicaRanking.Ranked chosen;
            if (target.isPresent()) {
                var t = target.get();
                if (cluster.node(t).isEmpty()) {
                    return new StepOutcome.Refused("--to " + t + ": no such node in " + cluster.name() + " (its nodes: "
                            + cluster.nodes().stream().map(n -> n.name().value()).collect(Collectors.joining(", ")) + ")");
                }
                var excluded = ranking.excluded().stream().filter(e -> e.node().equals(t)).findFirst();
                if (excluded.isPresent()) {
                    var e = excluded.get();
                    return new StepOutcome.Refused("--to " + t + " refused: " + e.detail() + exclusionAdvice(e.why(),
                            cluster.name().value(), ranking));
                }
                chosen = ranking.ranked().stream().filter(r -> r.node().equals(t)).findFirst().orElseThrow();
            } else if (ranking.ranked().isEmpty()) {
                return new StepOutcome.Refused("no eligible replica to promote in " + cluster.name() + ": "
                        + ranking.excluded().stream().filter(e -> e.why() != Exclusion.FAILED_PRIMARY)
                                .map(ReplicaRanking.Excluded::toString).collect(Collectors.joining("; "))
                        + "; nothing was changed. Bring a replica back, then run the failover again");
            } else {
                chosen = ranking.ranked().getFirst();
            }
            context.keep(ReplicaRanking.Ranked.class, chosen);
            var others = new ArrayList<NodeName>();
            cluster.nodes().forEach(n -> {
                if (!n.name().equals(old) && !n.name().equals(chosen.node())) {
                    others.add(n.name());
                }
            });
            var facts = new LinkedHashMap<String, String>();
            facts.put(RunFacts.NEW_PRIMARY, chosen.node().value());
            facts.put("candidateReason", chosen.reason());
            facts.put("candidatePosition", chosen.position().display());
            facts.put(PromotionSteps.REPLICAS_TO_REPOINT, PromotionSteps.joined(others));
            return new StepOutcome.Succeeded((target.isPresent() ? "--to " + chosen.node() + " is eligible: "
                    : "candidate " + chosen.node() + ": ") + chosen.reason(), facts);
        }

        private static String exclusionAdvice(Exclusion why, String cluster, ReplicaRanking ranking) {
            var best = ranking.best().map(b -> "; the best eligible replica is " + b.node()
                    + " (drctl failover " + cluster + " without --to)").orElse("");
            return switch (why) {
                case NO_FAILOVER, REGION_NOT_ALLOWED -> "; drctl never promotes it" + best;
                case UNREACHABLE -> "; bring it back or choose another node" + best;
                case NOT_A_REPLICA, OTHER_LINEAGE, POSITION_UNKNOWN -> best;
                case FAILED_PRIMARY -> "; it is the primary being replaced" + best;
            };
        }
    }

    /**
     * The RPO guard (rule 3): the candidate's lag over max-lag or unknown, data it lacks, or a {@code --to} behind
     * another candidate is refused unless {@code --accept-data-loss}, which the commit step journals as a
     * MANUAL_OVERRIDE with these figures. An automatic failover is decided by the {@link FailoverDecider} (cooldown
     * included) and cannot accept data loss.
     */
    static final class RpoGuard implements Step {
        private final StateStore store;

        RpoGuard(StateStore store) {
            this.store = store;
        }

        @Override
        public String name() {
            return RPO_GUARD;
        }

        @Override
        public boolean readOnly() {
            return true;
        }

        @Override
        public String describe(RunFacts facts) {
            return "RPO guard: refuse a candidate behind by more than max-lag (or an unknown amount) unless "
                    + "--accept-data-loss";
        }

        @Override
        public StepOutcome run(RunContext context) {
            var f = context.facts();
            var cluster = context.cluster();
            var policy = cluster.failover();
            var ranking = context.kept(ReplicaRanking.class).orElseThrow();
            var chosen = context.kept(ReplicaRanking.Ranked.class).orElseThrow();
            var facts = new LinkedHashMap<String, String>();
            if (f.get(RunFacts.TRIGGER).orElse("manual").equals("automatic")) {
                var verdict = context.kept(ClusterVerdict.class).orElseThrow();
                var state = store.clusterStates().load(cluster.name());
                var cooldown = new Cooldown(state.lastFailoverAt(), policy.cooldown());
                var decision = FailoverDecider.decide(verdict, ranking, cooldown, FailoverMode.AUTO, context.now());
                if (!(decision instanceof FailoverDecision.Promote)) {
                    return new StepOutcome.Refused(decision.reason());
                }
            }
            var breaches = breaches(chosen, ranking, policy);
            var estimate = estimate(chosen, f.get(RunFacts.OLD_PRIMARY).orElse("the old primary"));
            facts.put(RunFacts.RPO_ESTIMATE, estimate);
            chosen.shortfall().filter(s -> s.unit() == DataPosition.Shortfall.Unit.BYTES)
                    .ifPresent(s -> facts.put(RunFacts.RPO_BYTES, Long.toString(s.amount())));
            if (breaches.isEmpty()) {
                return new StepOutcome.Succeeded("within max-lag " + policy.maxLagBytes() + " / "
                        + ManualConfirmation.human(policy.maxLagTime()) + "; " + estimate, facts);
            }
            var what = "RPO guard: " + chosen.node() + " " + String.join(", ", breaches) + " (" + estimate + ")";
            if (!f.flag(ACCEPT_DATA_LOSS) || f.get(RunFacts.TRIGGER).orElse("manual").equals("automatic")) {
                return new StepOutcome.Refused(what + "; failover refused: nothing was changed. drctl failover "
                        + cluster.name() + (f.get(TARGET).map(t -> " --to " + t).orElse(""))
                        + " --accept-data-loss promotes it anyway and is journaled as accepted data loss");
            }
            facts.put(RunFacts.DATA_LOSS_ACCEPTED, "true");
            facts.put("rpoBreaches", String.join(", ", breaches));
            return new StepOutcome.Succeeded(what + "; accepted with --accept-data-loss", facts);
        }

        static List<String> breaches(ReplicaRanking.Ranked c, ReplicaRanking ranking, FailoverPolicy policy) {
            var out = new ArrayList<String>();
            var best = ranking.ranked().getFirst();
            if (!best.node().equals(c.node()) && best.position().compareWith(c.position()) == Comparison.AHEAD) {
                out.add("is behind " + best.node() + " on data (" + c.position().display() + " vs "
                        + best.position().display() + ")");
            }
            if (c.versusPrimary().orElse(Comparison.EQUAL) == Comparison.INCOMPARABLE) {
                out.add("holds transactions the old primary never had (errant)");
            }
            c.shortfall().filter(s -> s.unit() == DataPosition.Shortfall.Unit.BYTES && s.amount() > policy.maxLagBytes().bytes())
                    .ifPresent(s -> out.add("lacks " + s + " of the old primary's last known data, over max-lag "
                            + policy.maxLagBytes()));
            Lag lag = c.lag();
            if (lag.time().isEmpty() && lag.bytes().isEmpty()) {
                out.add("has an unknown lag (never treated as 0)");
            }
            lag.time().filter(t -> t.compareTo(policy.maxLagTime()) > 0).ifPresent(t -> out.add("lags "
                    + ManualConfirmation.human(t) + ", over max-lag " + ManualConfirmation.human(policy.maxLagTime())));
            lag.bytes().filter(b -> b > policy.maxLagBytes().bytes()).ifPresent(b -> out.add("lags " + new DataSize(b)
                    + " not yet applied, over max-lag " + policy.maxLagBytes()));
            return out;
        }

        static String estimate(ReplicaRanking.Ranked c, String oldPrimary) {
            if (c.shortfall().isPresent()) {
                var s = c.shortfall().get();
                return s.amount() == 0 ? "RPO 0: it holds all of " + oldPrimary + "'s last known data"
                        : "RPO estimate: lacks " + s + " of " + oldPrimary + "'s last known data";
            }
            var lag = c.lag();
            return "RPO estimate: what " + oldPrimary + " wrote after " + c.position().display()
                    + " (its last position is unknown: it was down when drctl looked); candidate lag "
                    + lag.bytes().map(b -> new DataSize(b).toString()).orElse("unknown") + " / "
                    + lag.time().map(ManualConfirmation::human).orElse("unknown");
        }
    }
}
