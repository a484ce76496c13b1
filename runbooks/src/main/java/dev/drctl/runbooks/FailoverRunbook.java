package dev.drctl.runbooks;

import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.StateStore;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.promotion.Assessment;
import dev.drctl.promotion.DecisionPipeline;
import dev.drctl.promotion.FailoverDecision;
import dev.drctl.promotion.Promoter;
import dev.drctl.promotion.Refusal;
import dev.drctl.promotion.Request;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.NodeName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The unplanned failover: the primary is gone; promote the best (or the named) replica.
 *
 * <pre>
 * probe → analyse → rank → rpo-guard → commit → fence → await-applied → promote → verify-writable → advance-epoch
 *       → repoint-replicas
 * </pre>
 * The first four only look (they also run in a dry-run) and may refuse; {@code commit} is the point from which the
 * run acts. They decide nothing themselves: {@code analyse} runs the {@link DecisionPipeline} once over the probe
 * burst and what the store remembers, for the run's {@link Request} (manual or automatic, typed), and each of the
 * three reports its part of that one decision, refusing at the step the refusal belongs to. DNS and notification
 * steps are added with {@link Runbook#withStepAfter}, e.g. after {@link #VERIFY_WRITABLE}.
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
    /** Fact: the node named by {@code --former-primary} (the operator asserts it was the primary and is dead). */
    public static final String FORMER_PRIMARY = "formerPrimaryAsserted";

    private FailoverRunbook() {
    }

    /** The request as run facts (journaled with the run, so a resumed run keeps the original request). */
    public static Map<String, String> request(Optional<NodeName> to, boolean acceptDataLoss, Trigger trigger) {
        return request(to, acceptDataLoss, Optional.empty(), trigger);
    }

    /** @param formerPrimary the operator's assertion of which node was the primary and is dead */
    public static Map<String, String> request(Optional<NodeName> to, boolean acceptDataLoss,
                                              Optional<NodeName> formerPrimary, Trigger trigger) {
        var m = new HashMap<String, String>();
        to.ifPresent(n -> m.put(TARGET, n.value()));
        m.put(ACCEPT_DATA_LOSS, Boolean.toString(acceptDataLoss));
        formerPrimary.ifPresent(n -> m.put(FORMER_PRIMARY, n.value()));
        m.put(RunFacts.TRIGGER, trigger.fact());
        return m;
    }

    /** The pipeline's request, from the run's facts. */
    static Request requestOf(RunFacts f) {
        return switch (Trigger.of(f)) {
            case AUTOMATIC -> new Request.Automatic();
            case MANUAL -> new Request.ManualFailover(f.node(TARGET), f.flag(ACCEPT_DATA_LOSS), f.node(FORMER_PRIMARY));
        };
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
        return create(probes, probeRounds, promoter, store, cluster -> FenceLadder.remote(promoter, cluster));
    }

    /**
     * The failover with the cluster's whole fence ladder: where drctl can act on the old primary's files (a server
     * it started on this machine), an old primary that does not answer is held while down, so it never restarts
     * writable.
     */
    public static Runbook create(ProbeScheduler probes, int probeRounds, Promoter promoter, StateStore store,
                                 Function<ClusterSpec, FenceLadder> ladders) {
        return new Runbook(NAME, RunKind.FAILOVER, List.of(
                new PromotionSteps.Probe(probes, probeRounds, store),
                new Analyse(store),
                new Rank(),
                new RpoGuard(),
                new PromotionSteps.Commit(store, "promote", true),
                new PromotionSteps.Fence(ladders, RunFacts.OLD_PRIMARY, false),
                new PromotionSteps.AwaitApplied(promoter, Duration.ofSeconds(60)),
                new PromotionSteps.Promote(promoter),
                new PromotionSteps.VerifyWritable(promoter),
                new PromotionSteps.AdvanceEpoch(store),
                new PromotionSteps.RepointReplicas(promoter, Duration.ofSeconds(60))));
    }


    static PromotionSteps.ProbeBurst burst(RunContext context) {
        return context.kept(PromotionSteps.ProbeBurst.class)
                .orElseThrow(() -> new IllegalStateException("no probe burst in this process"));
    }

    static Assessment assessment(RunContext context) {
        return context.kept(Assessment.class)
                .orElseThrow(() -> new IllegalStateException("no assessment in this process"));
    }

    /** The read-only step a refusal is reported at: the one whose question the rule answers. */
    static String stepOf(Refusal refusal) {
        return switch (refusal) {
            case PRIMARY_ALIVE, PRIMARY_SUSPECT, PRIMARY_UNVERIFIABLE, DRCTL_PARTITIONED, DRCTL_BLIND, UNCONFIRMED,
                 ASSERTION_CONTRADICTED, SPLIT_BRAIN, NO_PRIMARY, COOLDOWN, MODE_MANUAL, MODE_DRY_RUN -> ANALYSE;
            case TARGET_NOT_ELIGIBLE, NO_CANDIDATE, CANDIDATE_NOT_STREAMING -> RANK;
            case RPO_GUARD, DATA_LOSS_UNKNOWN -> RPO_GUARD;
        };
    }

    /** The decision's refusal when it belongs to {@code step}. */
    static Optional<StepOutcome> refusedAt(String step, FailoverDecision decision) {
        return switch (decision) {
            case FailoverDecision.Refuse r when stepOf(r.refusal()).equals(step) ->
                    Optional.of(new StepOutcome.Refused(r.reason()));
            case FailoverDecision.Refuse r -> Optional.empty();
            // The daemon's "nothing to do": a run started on it has nothing to fail over.
            case FailoverDecision.Wait w when step.equals(ANALYSE) ->
                    Optional.of(new StepOutcome.Refused(w.reason() + "; failover refused"));
            case FailoverDecision.Wait w -> Optional.empty();
            case FailoverDecision.Promote p -> Optional.empty();
        };
    }

    /** Is the primary gone? The pipeline decides, over the burst and the store's memory, for the run's request. */
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
            return "confirm the primary is gone (failure-threshold failed probes over failure-window, a majority of "
                    + "the replicas without a stream from it" + facts.get(FORMER_PRIMARY)
                    .map(p -> ", or the operator's assertion that " + p + " is gone").orElse("") + ")";
        }

        @Override
        public StepOutcome run(RunContext context) {
            var history = burst(context).history();
            var now = context.now();
            var cluster = context.cluster().name();
            var a = DecisionPipeline.assess(history, store.memory(cluster), requestOf(context.facts()), now);
            context.keep(Assessment.class, a);
            var refused = refusedAt(ANALYSE, a.decision());
            if (refused.isPresent()) {
                return refused.get();
            }
            var facts = new LinkedHashMap<String, String>();
            var old = switch (a.decision()) {
                case FailoverDecision.Promote p -> p.fenced();
                case FailoverDecision.Refuse r -> a.verdict().primaryNode().orElseThrow();
                case FailoverDecision.Wait w -> a.verdict().primaryNode().orElseThrow();
            };
            facts.put(RunFacts.OLD_PRIMARY, old.value());
            facts.put(RunFacts.CONFIRMED_AT, now.toString());
            a.outage().ifPresent(o -> {
                facts.put(RunFacts.DETECTED_AT, o.at().toString());
                facts.put(RunFacts.DETECTED_BASIS, o.basis().name().toLowerCase(java.util.Locale.ROOT));
            });
            facts.put("verdict", a.verdict().summary());
            if (a.decision() instanceof FailoverDecision.Promote p && p.deathAsserted()) {
                facts.put(RunFacts.DEATH_ASSERTED, "true");
                return new StepOutcome.Succeeded(a.verdict().summary() + "; the operator asserts " + old
                        + " is dead (--former-primary): the replicas could not confirm it by a majority", facts);
            }
            return new StepOutcome.Succeeded(a.verdict().summary(), facts);
        }
    }

    /** Who replaces it: the pipeline's choice (the best, or the {@code --to} node if it may be promoted at all). */
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
            var a = assessment(context);
            var refused = refusedAt(RANK, a.decision());
            if (refused.isPresent()) {
                return refused.get();
            }
            var target = context.facts().node(TARGET);
            var chosenNode = switch (a.decision()) {
                case FailoverDecision.Promote p -> p.candidate();
                // Refused later (RPO guard): the candidate it would have been, for the record.
                case FailoverDecision.Refuse r -> target.or(() -> a.ranking().best().map(b -> b.node())).orElseThrow();
                case FailoverDecision.Wait w -> target.or(() -> a.ranking().best().map(b -> b.node())).orElseThrow();
            };
            var chosen = a.ranking().ranked().stream().filter(r -> r.node().equals(chosenNode)).findFirst().orElseThrow();
            var old = context.facts().node(RunFacts.OLD_PRIMARY).orElseThrow();
            var others = new ArrayList<NodeName>();
            context.cluster().nodes().forEach(n -> {
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
    }

    /**
     * The RPO guard's outcome (rule 3), as the pipeline decided it: a loss over max-lag or unknown is refused unless
     * {@code --accept-data-loss}, which the commit step journals as a MANUAL_OVERRIDE with these figures.
     */
    static final class RpoGuard implements Step {
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
            var a = assessment(context);
            var refused = refusedAt(RPO_GUARD, a.decision());
            if (refused.isPresent()) {
                return refused.get();
            }
            if (!(a.decision() instanceof FailoverDecision.Promote p)) {
                throw new IllegalStateException("the decision " + a.decision() + " was not refused at any step");
            }
            var facts = new LinkedHashMap<String, String>();
            var loss = p.loss();
            facts.put(RunFacts.RPO_ESTIMATE, "data loss " + loss.words());
            loss.bytes().ifPresent(b -> facts.put(RunFacts.RPO_BYTES, Long.toString(b)));
            var policy = context.cluster().failover();
            if (p.acceptedBlock().isEmpty()) {
                return new StepOutcome.Succeeded("within max-lag " + policy.maxLagBytes() + " / "
                        + RunbookEngine.human(policy.maxLagTime()) + "; data loss " + loss.words(), facts);
            }
            facts.put(RunFacts.DATA_LOSS_ACCEPTED, "true");
            facts.put("rpoBreaches", p.acceptedBlock().get());
            return new StepOutcome.Succeeded(p.acceptedBlock().get() + "; accepted with --accept-data-loss", facts);
        }
    }
}
