package dev.drctl.runbooks;

import dev.drctl.compliance.ClusterState;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.promotion.ActionOutcome;
import dev.drctl.promotion.Promoter;
import dev.drctl.promotion.RejoinContext;
import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The steps failover, switchover and rejoin share: probing, and the acting steps that call a {@link Promoter} or
 * write the cluster's state. Each acting step is check-then-act through the promoter's contract (an operation already
 * done answers {@code AlreadyDone}), so a resumed run may repeat the one that was interrupted.
 */
public final class PromotionSteps {
    private PromotionSteps() {
    }

    /** Fact: comma-separated replicas to re-point to the new primary. */
    public static final String REPLICAS_TO_REPOINT = "replicasToRepoint";

    /** The probe rounds a run took, kept in the run's scratch space for the read-only steps after it. */
    public record ProbeBurst(ClusterHistory history) {
    }

    static NodeSpec node(RunContext context, String factKey) {
        var name = context.facts().node(factKey).orElseThrow(() -> new IllegalStateException("no " + factKey + " yet"));
        return context.cluster().node(name).orElseThrow(() -> new IllegalStateException(name + " is not in the config"));
    }

    static List<NodeSpec> replicasToRepoint(RunContext context) {
        var text = context.facts().get(REPLICAS_TO_REPOINT).orElse("");
        if (text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(NodeName::new)
                .flatMap(n -> context.cluster().node(n).stream()).toList();
    }

    static boolean writablePrimary(NodeObservation o) {
        return o.outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.PRIMARY && r.writable();
    }

    static String joined(List<NodeName> nodes) {
        return String.join(",", nodes.stream().map(NodeName::value).toList());
    }

    /** A promoter outcome as a step outcome; facts are prefixed with the step's name so steps never overwrite each other. */
    static StepOutcome outcome(String step, ActionOutcome action, Map<String, String> extraFacts) {
        return switch (action) {
            case ActionOutcome.Done d -> new StepOutcome.Succeeded(d.detail(), prefixed(step, d.facts(), extraFacts));
            case ActionOutcome.AlreadyDone a -> new StepOutcome.Succeeded("already done: " + a.detail(),
                    prefixed(step, a.facts(), extraFacts));
            case ActionOutcome.Unreachable u -> new StepOutcome.Failed(u.detail(), true);
            case ActionOutcome.Failed f -> new StepOutcome.Failed(f.detail(), f.retrySafe());
            case ActionOutcome.Refused r -> new StepOutcome.Refused(r.detail());
        };
    }

    private static Map<String, String> prefixed(String step, Map<String, String> facts, Map<String, String> extra) {
        var out = new LinkedHashMap<String, String>();
        facts.forEach((k, v) -> out.put(step + "." + k, v));
        out.putAll(extra);
        return out;
    }

    /**
     * Probes every node {@code rounds} times at the cluster's probe-interval (a failover confirms with
     * failure-threshold probes over failure-window, never one snapshot).
     */
    public static final class Probe implements Step {
        private final ProbeScheduler scheduler;
        private final int rounds;
        private final Optional<StateStore> memory;

        public Probe(ProbeScheduler scheduler, int rounds) {
            this(scheduler, rounds, Optional.empty());
        }

        /**
         * A burst that also records each round in the store ({@link StateStore#recordRound}): the primary's position
         * while it answers, the first failure once it does not, for decisions taken later without watching.
         */
        public Probe(ProbeScheduler scheduler, int rounds, StateStore store) {
            this(scheduler, rounds, Optional.of(store));
        }

        private Probe(ProbeScheduler scheduler, int rounds, Optional<StateStore> memory) {
            this.scheduler = scheduler;
            this.rounds = rounds;
            this.memory = memory;
        }

        /**
         * Rounds enough for the policy: failure-threshold probes spanning failure-window, plus one round so the
         * span is reached despite the jitter of the rounds' start times.
         */
        public static int roundsFor(ClusterSpec cluster) {
            var p = cluster.failover();
            long interval = Math.max(1, p.probeInterval().toMillis());
            long forWindow = (p.failureWindow().toMillis() + interval - 1) / interval + 1;
            return (int) Math.max(p.failureThreshold(), forWindow);
        }

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public boolean readOnly() {
            return true;
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(30).plus(Duration.ofSeconds(3).multipliedBy(rounds));
        }

        @Override
        public String describe(RunFacts facts) {
            return "probe every node " + rounds + (rounds == 1 ? " time" : " times at probe-interval");
        }

        @Override
        public StepOutcome run(RunContext context) throws InterruptedException {
            var cluster = context.cluster();
            long interval = cluster.failover().probeInterval().toNanos();
            long next = System.nanoTime();
            ClusterHistory last = null;
            Optional<String> unrecorded = Optional.empty();
            for (int i = 0; i < rounds; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += interval;
                var round = scheduler.probeRound(cluster);
                last = round.history();
                // A round voided by drctl's own stall says nothing of the nodes: never remembered as their failure.
                var failure = round.conclusive() ? record(last) : Optional.<String>empty();
                if (failure.isPresent()) {
                    unrecorded = failure;
                }
                // A writable primary in a round settles the question: no need for more rounds.
                if (last.byNode().values().stream().flatMap(List::stream).anyMatch(PromotionSteps::writablePrimary)
                        && rounds > 1) {
                    break;
                }
            }
            var history = scheduler.snapshot(cluster.name());
            context.keep(ProbeBurst.class, new ProbeBurst(history));
            var reached = last == null ? 0 : last.byNode().values().stream().flatMap(List::stream)
                    .filter(o -> o.reached()).count();
            return StepOutcome.Succeeded.of(rounds + (rounds == 1 ? " probe round" : " probe rounds") + "; in the last, "
                    + reached + " of " + cluster.nodes().size() + " nodes answered"
                    + unrecorded.map(e -> " (not recorded in the store: " + e + ")").orElse(""));
        }

        // The memory is an aid to later decisions: a store that cannot take it leaves them less known (refused
        // as unknown loss), never this run's probes wrong; the run's own journal writes fail on their own.
        private Optional<String> record(ClusterHistory round) {
            if (memory.isEmpty()) {
                return Optional.empty();
            }
            try {
                memory.get().recordRound(round);
                return Optional.empty();
            } catch (DrctlException e) {
                return Optional.of(e.getMessage());
            }
        }
    }

    /**
     * Records the decision before anything is changed: the cooldown starts (a failover that then fails is not retried
     * at once by the daemon, DESIGN mistake 9), the DECISION is journaled, and an accepted data loss is journaled as
     * a MANUAL_OVERRIDE with its figures.
     */
    public static final class Commit implements Step {
        private final StateStore store;
        private final String what;
        private final boolean startsCooldown;

        /** @param startsCooldown a failover starts the cooldown (rule 6); a planned switchover does not */
        public Commit(StateStore store, String what, boolean startsCooldown) {
            this.store = store;
            this.what = what;
            this.startsCooldown = startsCooldown;
        }

        @Override
        public String name() {
            return "commit";
        }

        @Override
        public String describe(RunFacts facts) {
            return "record the decision to " + what + " " + facts.get(RunFacts.NEW_PRIMARY).orElse("the candidate")
                    + (startsCooldown ? " (cooldown starts" + (facts.flag(RunFacts.DATA_LOSS_ACCEPTED)
                    ? "; accepted data loss journaled" : "") + (facts.flag(RunFacts.DEATH_ASSERTED)
                    ? "; operator's assertion journaled" : "") + ")" : "");
        }

        @Override
        public StepOutcome run(RunContext context) {
            var f = context.facts();
            var now = context.now();
            var cluster = context.cluster().name();
            for (int i = 0; startsCooldown && i < 5; i++) {
                var state = store.clusterStates().load(cluster);
                if (store.clusterStates().save(state.withLastFailoverAt(now)).isPresent()) {
                    break;
                }
            }
            long epoch = f.number(RunFacts.EPOCH_AT_START).orElse(0L);
            var decision = new LinkedHashMap<String, Object>();
            decision.put("decision", what);
            decision.put("candidate", f.get(RunFacts.NEW_PRIMARY).orElse(""));
            decision.put("oldPrimary", f.get(RunFacts.OLD_PRIMARY).orElse(""));
            decision.put("trigger", Trigger.of(f).fact());
            decision.put("reason", f.get("candidateReason").orElse(""));
            decision.put("verdict", f.get("verdict").orElse(""));
            decision.put("fencingToken", f.get(RunFacts.FENCING_TOKEN).orElse(""));
            decision.put("deathAsserted", f.flag(RunFacts.DEATH_ASSERTED));
            f.get(RunFacts.DETECTED_AT).ifPresent(v -> decision.put("outageStart", v));
            f.get(RunFacts.DETECTED_BASIS).ifPresent(v -> decision.put("outageStartBasis", v));
            store.journal().append(JournalDraft.of(context.actor(), JournalKind.DECISION, decision).cluster(cluster)
                    .run(context.runId()).epoch(epoch));
            if (f.flag(RunFacts.DEATH_ASSERTED)) {
                // The replicas could not confirm the death by a majority; a person vouched for it (rule 1).
                var assertion = new LinkedHashMap<String, Object>();
                assertion.put("override", "operator assertion");
                assertion.put("asserted", "former primary " + f.get(RunFacts.OLD_PRIMARY).orElse("") + " is dead");
                assertion.put("formerPrimary", f.get(RunFacts.OLD_PRIMARY).orElse(""));
                assertion.put("candidate", f.get(RunFacts.NEW_PRIMARY).orElse(""));
                assertion.put("verdict", f.get("verdict").orElse(""));
                store.journal().append(JournalDraft.of(context.actor(), JournalKind.MANUAL_OVERRIDE, assertion)
                        .cluster(cluster).run(context.runId()).epoch(epoch));
            }
            if (f.flag(RunFacts.DATA_LOSS_ACCEPTED)) {
                var override = new LinkedHashMap<String, Object>();
                override.put("override", "accepted data loss");
                override.put("candidate", f.get(RunFacts.NEW_PRIMARY).orElse(""));
                override.put("breaches", f.get("rpoBreaches").orElse(""));
                override.put("rpoEstimate", f.get(RunFacts.RPO_ESTIMATE).orElse(""));
                f.get(RunFacts.RPO_BYTES).ifPresent(b -> override.put("rpoBytes", Long.parseLong(b)));
                store.journal().append(JournalDraft.of(context.actor(), JournalKind.MANUAL_OVERRIDE, override)
                        .cluster(cluster).run(context.runId()).epoch(epoch));
            }
            return new StepOutcome.Succeeded("decision journaled" + (startsCooldown ? "; cooldown of " + cluster
                    + " starts now" : ""),
                    Map.of(RunFacts.DECIDED_AT, now.toString()));
        }
    }

    /** A node left unfenced because it did not answer: kept in the run's scratch space for the announcement. */
    public record SplitBrainRisk(NodeName node, String detail) {
    }

    /**
     * Fences the old primary through the {@link FenceLadder} (rule 4): SQL fence, then what makes it hold, then the
     * cluster's fence-command. A node that does not answer is skipped and reported as a split-brain risk (journaled
     * here, announced when notifications are configured); a live node that cannot be fenced fails the step, so
     * nothing is promoted while it may still take writes.
     */
    public static final class Fence implements Step {
        private final Function<ClusterSpec, FenceLadder> ladders;
        private final String factKey;
        private final boolean mustHold;

        /** The SQL fence, then the cluster's fence-command when one is configured. */
        public Fence(Promoter promoter, String factKey) {
            this(cluster -> FenceLadder.remote(promoter, cluster), factKey, false);
        }

        /**
         * @param mustHold whether a node that does not answer fails the step ({@code drctl fence}: it was asked to
         *                 fence that node, and did not) rather than being skipped as a split-brain risk (a failover:
         *                 a dead primary need not be fenced to promote)
         */
        public Fence(Function<ClusterSpec, FenceLadder> ladders, String factKey, boolean mustHold) {
            this.ladders = ladders;
            this.factKey = factKey;
            this.mustHold = mustHold;
        }

        @Override
        public String name() {
            return "fence";
        }

        @Override
        public RetryPolicy retry() {
            return RetryPolicy.attempts(3, Duration.ofSeconds(1));
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(90);
        }

        @Override
        public String describe(RunFacts facts) {
            return "fence " + facts.get(factKey).orElse("the old primary") + " if it answers (read-only, application "
                    + "logins revoked where the engine needs it, client sessions ended; fence-command when that does "
                    + "not hold)";
        }

        @Override
        public StepOutcome run(RunContext context) {
            var node = node(context, factKey);
            return switch (ladders.apply(context.cluster()).fence(node)) {
                case FenceLadder.Outcome.Held h -> new StepOutcome.Succeeded(h.detail(), prefixed(name(), h.facts(),
                        Map.of()));
                case FenceLadder.Outcome.NotHeldUnreachable u -> {
                    var detail = "split-brain risk: " + node.name() + " does not answer and could not be fenced ("
                            + u.detail() + "); drctl never writes to it again, fences it the moment it returns "
                            + "(drctl fence " + context.cluster().name() + " " + node.name() + "), and it can only "
                            + "come back as a replica (drctl rejoin)";
                    context.keep(SplitBrainRisk.class, new SplitBrainRisk(node.name(), detail));
                    yield mustHold ? new StepOutcome.Failed(detail, false) : new StepOutcome.Skipped(detail);
                }
                case FenceLadder.Outcome.NotHeldAlive a -> new StepOutcome.Failed(node.name() + " answers but could "
                        + "not be fenced (" + a.detail() + "); nothing is promoted while it may take writes",
                        a.retrySafe());
            };
        }
    }

    /** Waits until the candidate has applied everything it received. */
    public static final class AwaitApplied implements Step {
        private final Promoter promoter;
        private final Duration wait;

        public AwaitApplied(Promoter promoter, Duration wait) {
            this.promoter = promoter;
            this.wait = wait;
        }

        @Override
        public String name() {
            return "await-applied";
        }

        @Override
        public Duration timeout() {
            return wait.plusSeconds(20);
        }

        @Override
        public String describe(RunFacts facts) {
            return "wait up to " + RunbookEngine.human(wait) + " until " + facts.get(RunFacts.NEW_PRIMARY)
                    .orElse("the candidate") + " has applied everything it received";
        }

        @Override
        public StepOutcome run(RunContext context) {
            return outcome(name(), promoter.awaitApplied(node(context, RunFacts.NEW_PRIMARY), wait), Map.of());
        }
    }

    /** Promotes the candidate. Never retried: a failed promotion ends the run (no retry storm). */
    public static final class Promote implements Step {
        private final Promoter promoter;

        public Promote(Promoter promoter) {
            this.promoter = promoter;
        }

        @Override
        public String name() {
            return "promote";
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(120);
        }

        @Override
        public String describe(RunFacts facts) {
            return "promote " + facts.get(RunFacts.NEW_PRIMARY).orElse("the candidate") + " to primary";
        }

        @Override
        public StepOutcome run(RunContext context) {
            var action = promoter.promote(node(context, RunFacts.NEW_PRIMARY));
            var out = outcome(name(), action, Map.of(RunFacts.PROMOTED_AT, context.now().toString()));
            // The promoter's own answer decides; a retry here could only repeat a failure humans must look at.
            return out instanceof StepOutcome.Failed f ? new StepOutcome.Failed(f.detail(), false) : out;
        }
    }

    /** Proves the new primary takes writes (a real write); a promotion reported done but still read-only fails here. */
    public static final class VerifyWritable implements Step {
        private final Promoter promoter;

        public VerifyWritable(Promoter promoter) {
            this.promoter = promoter;
        }

        @Override
        public String name() {
            return "verify-writable";
        }

        @Override
        public RetryPolicy retry() {
            return RetryPolicy.attempts(3, Duration.ofMillis(500));
        }

        @Override
        public String describe(RunFacts facts) {
            return "write a heartbeat row on " + facts.get(RunFacts.NEW_PRIMARY).orElse("the new primary")
                    + " to prove it takes writes";
        }

        @Override
        public StepOutcome run(RunContext context) {
            var now = context.now().toString();
            var action = promoter.verifyWritable(node(context, RunFacts.NEW_PRIMARY));
            var extra = action.succeeded() ? Map.of(RunFacts.WRITABLE_AT, now, RunFacts.FIRST_WRITE_AT, now) : Map.<String, String>of();
            return outcome(name(), action, extra);
        }
    }

    /**
     * Raises the cluster's epoch to the run's epoch-at-start + 1 (once: a re-check finds it raised), after checking
     * that this run still holds the cluster (its fencing token is journaled with the intent).
     */
    public static final class AdvanceEpoch implements Step {
        private final StateStore store;

        public AdvanceEpoch(StateStore store) {
            this.store = store;
        }

        @Override
        public String name() {
            return "advance-epoch";
        }

        @Override
        public String describe(RunFacts facts) {
            var from = facts.number(RunFacts.EPOCH_AT_START).orElse(0L);
            return "raise the epoch of " + facts.get(RunFacts.CLUSTER).orElse("the cluster") + " from " + from + " to "
                    + (from + 1) + " for " + facts.get(RunFacts.NEW_PRIMARY).orElse("the new primary")
                    // a dry-run claims nothing, so it has no fencing token to name
                    + facts.get(RunFacts.FENCING_TOKEN).map(t -> " (fencing token " + t + ")").orElse("");
        }

        @Override
        public StepOutcome run(RunContext context) {
            var f = context.facts();
            long target = f.number(RunFacts.EPOCH_AT_START).orElse(0L) + 1;
            var cluster = context.cluster().name();
            for (int i = 0; i < 5; i++) {
                ClusterState state = store.clusterStates().load(cluster);
                if (!state.activeRunId().equals(Optional.of(context.runId()))) {
                    return new StepOutcome.Failed("the cluster is no longer claimed by this run (it is claimed by "
                            + state.activeRunId().orElse("nobody") + "): another actor took over; the epoch was not "
                            + "raised", false);
                }
                var facts = Map.of(RunFacts.EPOCH, Long.toString(Math.max(target, state.epoch())),
                        "epoch.fencingToken", f.get(RunFacts.FENCING_TOKEN).orElse(""));
                if (state.epoch() >= target) {
                    return new StepOutcome.Succeeded("epoch already " + state.epoch(), facts);
                }
                if (store.clusterStates().save(state.withEpoch(target)).isPresent()) {
                    return new StepOutcome.Succeeded("epoch " + state.epoch() + " -> " + target, facts);
                }
            }
            return new StepOutcome.Failed("cluster_state kept changing while the epoch was raised", true);
        }
    }

    /** Re-points every other replica to the new primary and verifies each streams from it. */
    public static final class RepointReplicas implements Step {
        private final Promoter promoter;
        private final Duration perReplica;

        public RepointReplicas(Promoter promoter, Duration perReplica) {
            this.promoter = promoter;
            this.perReplica = perReplica;
        }

        @Override
        public String name() {
            return "repoint-replicas";
        }

        @Override
        public Duration timeout() {
            return perReplica.plusSeconds(20).multipliedBy(4);
        }

        @Override
        public RetryPolicy retry() {
            return RetryPolicy.attempts(2, Duration.ofSeconds(1));
        }

        @Override
        public String describe(RunFacts facts) {
            var list = facts.get(REPLICAS_TO_REPOINT).orElse("");
            return list.isBlank() ? "re-point the other replicas (none)" : "re-point " + list.replace(",", ", ") + " to "
                    + facts.get(RunFacts.NEW_PRIMARY).orElse("the new primary") + " and verify they stream from it";
        }

        @Override
        public StepOutcome run(RunContext context) {
            var primary = node(context, RunFacts.NEW_PRIMARY);
            var replicas = replicasToRepoint(context);
            if (replicas.isEmpty()) {
                return new StepOutcome.Skipped("no other replica");
            }
            var done = new ArrayList<String>();
            var away = new ArrayList<String>();
            var failures = new ArrayList<String>();
            var pending = new ArrayList<String>();
            boolean retrySafe = true;
            var cluster = context.cluster().name();
            for (var replica : replicas) {
                var r = promoter.repoint(replica, primary);
                if (r instanceof ActionOutcome.Unreachable) {
                    away.add(replica.name().value());
                    continue;
                }
                if (!r.succeeded()) {
                    failures.add(replica.name() + ": " + r.detail());
                    pending.add(replica.name().value());
                    retrySafe &= !(r instanceof ActionOutcome.Failed f) || f.retrySafe();
                    continue;
                }
                var v = promoter.verifyStreaming(replica, primary, perReplica);
                if (v.succeeded()) {
                    done.add(replica.name().value());
                } else {
                    failures.add(replica.name() + ": " + v.detail());
                    pending.add(replica.name().value());
                }
            }
            if (!failures.isEmpty()) {
                return new StepOutcome.Failed("pending: " + String.join(", ", pending) + " (" + String.join("; ", failures)
                        + ")" + (done.isEmpty() ? "" : "; " + String.join(", ", done) + " stream from " + primary.name())
                        + "; finish with: " + String.join(" && ", pending.stream().map(n -> "drctl rejoin " + cluster
                        + " " + n).toList()), retrySafe);
            }
            var detail = (done.isEmpty() ? "" : String.join(", ", done) + " stream from " + primary.name())
                    + (away.isEmpty() ? "" : (done.isEmpty() ? "" : "; ") + String.join(", ", away)
                    + " unreachable: re-point with drctl rejoin " + cluster + " NODE when back");
            return new StepOutcome.Succeeded(detail, Map.of("repointed", String.join(",", done), "notRepointed",
                    String.join(",", away)));
        }

        /**
         * Replicas left un-pointed do not undo a promotion that stands with the writer name moved: the run ends
         * {@link RunStatus#PROMOTED_REPLICAS_PENDING} (exit 1) naming them, never FAILED (issue 10, item 8).
         */
        @Override
        public Optional<Tolerated> toleratedFailure(RunFacts facts) {
            return Optional.of(new Tolerated(RunStatus.PROMOTED_REPLICAS_PENDING, "the promotion stands ("
                    + facts.get(RunFacts.NEW_PRIMARY).orElse("the new primary") + " takes writes); the replicas named "
                    + "pending follow it once the command given is run"));
        }
    }

    /** Turns a former primary into a replica of the new one (pg_rewind or the commands for it; GTID re-pointing). */
    public static final class Rejoin implements Step {
        private final Promoter promoter;
        private final Function<NodeName, RejoinContext> contexts;
        private final String nodeKey;
        private final Duration streaming;

        public Rejoin(Promoter promoter, Function<NodeName, RejoinContext> contexts, String nodeKey, Duration streaming) {
            this.promoter = promoter;
            this.contexts = contexts;
            this.nodeKey = nodeKey;
            this.streaming = streaming;
        }

        @Override
        public String name() {
            return "rejoin";
        }

        @Override
        public Duration timeout() {
            return Duration.ofMinutes(5);
        }

        @Override
        public String describe(RunFacts facts) {
            return "turn " + facts.get(nodeKey).orElse("the old primary") + " into a replica of "
                    + facts.get(RunFacts.NEW_PRIMARY).orElse("the new primary") + " and verify it streams";
        }

        @Override
        public StepOutcome run(RunContext context) {
            var node = node(context, nodeKey);
            var primary = node(context, RunFacts.NEW_PRIMARY);
            var action = promoter.rejoin(node, primary, contexts.apply(node.name()));
            var out = outcome(name(), action, Map.of());
            if (!(out instanceof StepOutcome.Succeeded s)) {
                return out;
            }
            if (action.facts().containsKey(ActionOutcome.COMMANDS)) {
                return new StepOutcome.Succeeded(s.detail() + "; run the commands printed on " + node.name()
                        + "'s host, then check with drctl status " + context.cluster().name(), s.facts());
            }
            var v = promoter.verifyStreaming(node, primary, streaming);
            // a promoter whose rejoin already verified streaming said so in its detail: say it once
            var detail = s.detail().endsWith(v.detail()) ? s.detail() : s.detail() + "; " + v.detail();
            return v.succeeded() ? new StepOutcome.Succeeded(detail, s.facts())
                    : new StepOutcome.Failed(node.name() + " was rejoined but does not stream: " + v.detail(), true);
        }
    }


}
