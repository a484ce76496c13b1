package dev.drctl.runbooks;

import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.StateStore;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.promotion.PositionReading;
import dev.drctl.promotion.Promoter;
import dev.drctl.promotion.RejoinContext;
import dev.drctl.promotion.DecisionPipeline;
import dev.drctl.promotion.FailoverDecision;
import dev.drctl.promotion.Request;
import dev.drctl.topology.Comparison;
import dev.drctl.topology.NodeName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The planned switchover: no acknowledged write is lost.
 *
 * <pre>
 * probe → check → commit → demote → catch-up → repoint-replicas → promote → verify-writable → advance-epoch → rejoin
 * </pre>
 * The primary is made read-only first (its clients' writes stop), the candidate must then reach the demoted primary's
 * exact position within {@code catch-up} (else the demotion is undone and the run fails), and only then is it
 * promoted. The write unavailability is demote → writable on the new primary, recorded as the run's RTO.
 */
public final class SwitchoverRunbook {
    public static final String NAME = "switchover";
    public static final String CHECK = "check";
    public static final String DEMOTE = "demote";
    public static final String CATCH_UP = "catch-up";

    private SwitchoverRunbook() {
    }

    public static Map<String, String> request(Optional<NodeName> to) {
        var m = new LinkedHashMap<String, String>();
        to.ifPresent(n -> m.put(FailoverRunbook.TARGET, n.value()));
        m.put(RunFacts.TRIGGER, Trigger.MANUAL.fact());
        return m;
    }

    /**
     * @param rejoinContexts how each node's server may be reached for a rejoin (local testenv servers, else remote)
     * @param catchUp        how long the candidate may take to reach the demoted primary's position
     */
    public static Runbook create(ProbeScheduler probes, Promoter promoter, StateStore store,
                                 Function<NodeName, RejoinContext> rejoinContexts, Duration catchUp) {
        return new Runbook(NAME, RunKind.SWITCHOVER, List.of(
                new PromotionSteps.Probe(probes, 1, store),
                new Check(store),
                new PromotionSteps.Commit(store, "switch over to", false),
                new Demote(promoter),
                new CatchUp(promoter, catchUp),
                // Before the promotion: the other replicas cascade from the candidate, so they never hold WAL the
                // demoted primary wrote after the candidate's fork point, and follow its new timeline by themselves.
                new PromotionSteps.RepointReplicas(promoter, Duration.ofSeconds(60)),
                new PromotionSteps.Promote(promoter),
                new PromotionSteps.VerifyWritable(promoter),
                new PromotionSteps.AdvanceEpoch(store),
                new PromotionSteps.Rejoin(promoter, rejoinContexts, RunFacts.OLD_PRIMARY, Duration.ofSeconds(60))));
    }

    /**
     * One writable primary, and a candidate that is healthy, streaming and within max-lag: the pipeline decides
     * ({@link Request.Switchover}); this step reports it.
     */
    static final class Check implements Step {
        private final StateStore store;

        Check(StateStore store) {
            this.store = store;
        }

        @Override
        public String name() {
            return CHECK;
        }

        @Override
        public boolean readOnly() {
            return true;
        }

        @Override
        public String describe(RunFacts facts) {
            return "check the primary answers writable and " + facts.get(FailoverRunbook.TARGET).orElse("the best replica")
                    + " is healthy, streaming and within max-lag";
        }

        @Override
        public StepOutcome run(RunContext context) {
            var cluster = context.cluster();
            var history = FailoverRunbook.burst(context).history();
            var request = new Request.Switchover(context.facts().node(FailoverRunbook.TARGET));
            var a = DecisionPipeline.assess(history, store.memory(cluster.name()), request,
                    context.now());
            return switch (a.decision()) {
                case FailoverDecision.Refuse r -> new StepOutcome.Refused(r.reason());
                case FailoverDecision.Wait w -> new StepOutcome.Refused(w.reason() + "; switchover refused");
                case FailoverDecision.Promote p -> {
                    var chosen = a.ranking().ranked().stream().filter(r -> r.node().equals(p.candidate())).findFirst()
                            .orElseThrow();
                    var others = new ArrayList<NodeName>();
                    cluster.nodes().forEach(n -> {
                        if (!n.name().equals(p.fenced()) && !n.name().equals(p.candidate())) {
                            others.add(n.name());
                        }
                    });
                    var facts = new LinkedHashMap<String, String>();
                    facts.put(RunFacts.OLD_PRIMARY, p.fenced().value());
                    facts.put(RunFacts.NEW_PRIMARY, p.candidate().value());
                    facts.put("candidateReason", chosen.reason());
                    facts.put(PromotionSteps.REPLICAS_TO_REPOINT, PromotionSteps.joined(others));
                    yield new StepOutcome.Succeeded(p.reason(), facts);
                }
            };
        }
    }

    /** Makes the primary read-only and ends its client sessions; its final position is what the candidate must reach. */
    static final class Demote implements Step {
        private final Promoter promoter;

        Demote(Promoter promoter) {
            this.promoter = promoter;
        }

        @Override
        public String name() {
            return DEMOTE;
        }

        @Override
        public String describe(RunFacts facts) {
            return "make " + facts.get(RunFacts.OLD_PRIMARY).orElse("the primary") + " read-only and end its client sessions";
        }

        @Override
        public StepOutcome run(RunContext context) {
            var now = context.now().toString();
            var action = promoter.demote(PromotionSteps.node(context, RunFacts.OLD_PRIMARY));
            var demotedAt = context.facts().get(RunFacts.CONFIRMED_AT).orElse(now);
            return PromotionSteps.outcome(name(), action, Map.of(RunFacts.CONFIRMED_AT, demotedAt));
        }
    }

    /**
     * Waits until the candidate has applied exactly what the demoted primary holds; past the deadline, makes the old
     * primary writable again and fails (no write was lost, the switchover simply did not happen).
     */
    static final class CatchUp implements Step {
        private final Promoter promoter;
        private final Duration deadline;

        CatchUp(Promoter promoter, Duration deadline) {
            this.promoter = promoter;
            this.deadline = deadline;
        }

        @Override
        public String name() {
            return CATCH_UP;
        }

        @Override
        public Duration timeout() {
            return deadline.plusSeconds(60);
        }

        @Override
        public String describe(RunFacts facts) {
            return "wait up to " + RunbookEngine.human(deadline) + " until " + facts.get(RunFacts.NEW_PRIMARY)
                    .orElse("the candidate") + " has applied everything " + facts.get(RunFacts.OLD_PRIMARY)
                    .orElse("the primary") + " holds (zero lag, same position); else undo the demotion";
        }

        @Override
        public StepOutcome run(RunContext context) throws InterruptedException {
            var old = PromotionSteps.node(context, RunFacts.OLD_PRIMARY);
            var candidate = PromotionSteps.node(context, RunFacts.NEW_PRIMARY);
            long end = System.nanoTime() + deadline.toNanos();
            String last = "not read yet";
            while (System.nanoTime() < end) {
                var o = promoter.position(old);
                var c = promoter.position(candidate);
                if (o instanceof PositionReading.Read or && c instanceof PositionReading.Read cr) {
                    if (cr.writable() && !or.writable()) {
                        return StepOutcome.Succeeded.of(candidate.name() + " is already writable (promoted before a "
                                + "restart)");
                    }
                    var cmp = cr.applied().compareWith(or.applied());
                    if (cmp == Comparison.EQUAL || cmp == Comparison.AHEAD) {
                        return new StepOutcome.Succeeded(candidate.name() + " applied " + cr.applied().display() + ", "
                                + old.name() + " holds " + or.applied().display(),
                                Map.of("catchUp.position", cr.applied().display()));
                    }
                    last = candidate.name() + " at " + cr.applied().display() + ", " + old.name() + " at "
                            + or.applied().display();
                } else {
                    last = (o instanceof PositionReading.NotRead n ? old.name() + ": " + n.why().detail() : "")
                            + (c instanceof PositionReading.NotRead n ? " " + candidate.name() + ": " + n.why().detail() : "");
                }
                // writes are down while this waits: look again soon (each look is two short reads)
                TimeUnit.MILLISECONDS.sleep(20);
            }
            var undo = promoter.promote(old);
            var verified = undo.succeeded() ? promoter.verifyWritable(old) : undo;
            var undone = verified.succeeded() ? "demotion undone: " + old.name() + " takes writes again"
                    : "the demotion could NOT be undone (" + verified.detail() + "): " + old.name()
                    + " is read-only; make it writable by hand or run drctl switchover again";
            return new StepOutcome.Failed(candidate.name() + " did not catch up within " + RunbookEngine.human(deadline)
                    + " (" + last + "); " + undone, false);
        }
    }

}
