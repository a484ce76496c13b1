package dev.drctl.promotion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DataSize;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.ReplicationStream;
import dev.drctl.topology.Role;

/**
 * The one decision path (DESIGN: "every command, the daemon and drills run this one pipeline"): observations and what
 * the store remembers → verdict → ranking with its data-loss estimate → decision, for one {@link Request}. Pure: no
 * I/O, no clock; "now" comes in as a value. {@code drctl candidates}, {@code failover}, {@code switchover}, the
 * {@link Detector} and the runbooks all call {@link #assess}; none re-implements a rule.
 *
 * <p>How the requests differ, and nothing else differs:
 * <ul>
 *   <li>{@link Request.Automatic}: the policy's mode and the cooldown apply; nothing can be accepted or asserted.</li>
 *   <li>{@link Request.ManualFailover}: no cooldown (a person decided); {@code --to} picks the candidate among the
 *   eligible; a loss over max-lag or unknown is refused unless {@code --accept-data-loss}, and then the decision says
 *   it was accepted; a death the replicas cannot confirm by a majority may be asserted with {@code --former-primary},
 *   and then the decision says it rests on the operator's word. A partition of drctl is refused whatever is asserted:
 *   a replica streaming from the primary proves it alive.</li>
 *   <li>{@link Request.Switchover}: the primary must answer writable and the candidate stream and apply from it
 *   within max-lag.</li>
 *   <li>{@link Request.Look}: exactly what a plain {@code drctl failover} would decide.</li>
 * </ul>
 */
public final class DecisionPipeline {
    private DecisionPipeline() {
    }

    public static Assessment assess(ClusterHistory observations, ClusterMemory memory, Request request, Instant now) {
        var spec = observations.cluster();
        var asserted = switch (request) {
            case Request.ManualFailover m -> m.formerPrimary();
            case Request.Automatic a -> Optional.<NodeName>empty();
            case Request.Switchover s -> Optional.<NodeName>empty();
            case Request.Look l -> Optional.<NodeName>empty();
        };
        var verdict = ClusterAnalyzer.analyze(observations, asserted.or(memory::lastPrimary), now);
        var ranking = switch (verdict) {
            // Two writers: there is no one primary to rank replacements against.
            case ClusterVerdict.SplitBrain b -> ReplicaRanking.none();
            // Nothing reached: every node is listed, excluded as unreachable, so a person sees what drctl saw.
            case ClusterVerdict.DrctlBlind b -> ReplicaRanker.rankWithoutPrimary(observations, now);
            // The store's memory gives the failed primary's last position (and its first failure) to measure the loss
            // against; without it a one-shot command never saw the primary and every loss reads unknown.
            case ClusterVerdict.NoPrimary n -> n.lastPrimary().map(p -> ReplicaRanker.rank(observations, p, memory, now))
                    .orElseGet(() -> ReplicaRanker.rankWithoutPrimary(observations, now));
            case ClusterVerdict.Healthy h -> ReplicaRanker.rank(observations, h.primary(), memory, now);
            case ClusterVerdict.ReplicaProblems p -> ReplicaRanker.rank(observations, p.primary(), memory, now);
            case ClusterVerdict.PrimarySuspect p -> ReplicaRanker.rank(observations, p.primary(), memory, now);
            case ClusterVerdict.PrimaryDead d -> ReplicaRanker.rank(observations, d.primary(), memory, now);
            case ClusterVerdict.DrctlPartitioned p -> ReplicaRanker.rank(observations, p.primary(), memory, now);
        };
        var decision = switch (request) {
            case Request.Automatic a -> FailoverDecider.decide(verdict, ranking,
                    new Cooldown(memory.lastFailoverAt(), spec.failover().cooldown()), spec.failover(), now);
            case Request.ManualFailover m -> manual(spec, memory, verdict, ranking, m);
            case Request.Look l -> manual(spec, memory, verdict, ranking, Request.ManualFailover.plain());
            case Request.Switchover s -> switchover(spec, observations, verdict, ranking, s);
        };
        var outage = switch (decision) {
            case FailoverDecision.Promote p when !(request instanceof Request.Switchover) ->
                    outageStart(observations, memory, p.fenced());
            case FailoverDecision.Promote p -> Optional.<OutageStart>empty();
            case FailoverDecision.Wait w -> Optional.<OutageStart>empty();
            case FailoverDecision.Refuse r -> Optional.<OutageStart>empty();
        };
        return new Assessment(request, verdict, ranking, decision, outage, now);
    }

    private static FailoverDecision manual(ClusterSpec spec, ClusterMemory memory, ClusterVerdict verdict,
                                           ReplicaRanking ranking, Request.ManualFailover m) {
        var cluster = spec.name();
        var refused = "; failover refused";
        return switch (verdict) {
            case ClusterVerdict.Healthy h -> alive(cluster, h.primary());
            case ClusterVerdict.ReplicaProblems p -> alive(cluster, p.primary());
            case ClusterVerdict.SplitBrain b -> refuse(Refusal.SPLIT_BRAIN, b.summary() + refused + ": fence all but one"
                    + " by hand (read-only or stopped), then drctl rejoin " + cluster + " NODE for the others",
                    "drctl fence " + cluster + " NODE");
            case ClusterVerdict.DrctlBlind b -> refuse(Refusal.DRCTL_BLIND, b.summary() + refused
                    + ": with no node reached, drctl can judge neither the primary nor the replicas", "drctl status " + cluster);
            case ClusterVerdict.DrctlPartitioned p -> refuse(Refusal.DRCTL_PARTITIONED, p.summary() + refused
                    + " (safety rule 1): drctl is partitioned from " + p.primary() + ". Check drctl's network path to "
                    + p.primary(), "drctl status " + cluster);
            case ClusterVerdict.PrimarySuspect s -> switch (s.why()) {
                case FAILING -> refuse(Refusal.PRIMARY_SUSPECT, s.summary() + refused + ": run it again to confirm",
                        "drctl failover " + cluster);
                case UNVERIFIABLE -> refuse(Refusal.PRIMARY_UNVERIFIABLE, s.summary() + refused
                        + ". Fix drctl's credentials and look again", "drctl status " + cluster);
                case UNCONFIRMED -> m.formerPrimary().filter(s.primary()::equals).isPresent()
                        ? act(spec, memory, s.summary() + "; the operator asserts " + s.primary() + " is dead (--former-primary)",
                        s.primary(), ranking, m, true)
                        : refuse(Refusal.UNCONFIRMED, s.summary() + refused + " (safety rule 1). If " + s.primary()
                        + " is known to be gone (a lost data centre), drctl failover " + cluster + " --to NODE"
                        + " --former-primary " + s.primary() + " asserts it, journaled as your assertion",
                        "drctl failover " + cluster + " --to NODE --former-primary " + s.primary());
            };
            case ClusterVerdict.NoPrimary n when n.lastPrimary().isPresent()
                    && n.nowAnswersAs().equals(Optional.of(ClusterVerdict.AnswersAs.READ_ONLY_PRIMARY)) ->
                    // Fenced already (read-only), not dead: it takes no writes, so promoting makes no second writer.
                    act(spec, memory, cluster + ": old primary " + n.lastPrimary().get() + " answers read-only (fenced); it"
                            + " takes no writes", n.lastPrimary().get(), ranking, m, false);
            case ClusterVerdict.NoPrimary n when n.lastPrimary().isPresent() -> refuse(Refusal.NO_PRIMARY, n.summary()
                    + refused + ": there is no failed primary to replace. Look with drctl status " + cluster,
                    "drctl status " + cluster);
            case ClusterVerdict.NoPrimary n -> refuse(Refusal.NO_PRIMARY, n.summary() + refused + ": drctl cannot tell"
                    + " which node was the primary (none answers as one, the store remembers none, and more than one"
                    + " node is silent). If you know, drctl failover " + cluster + " --to NODE --former-primary NODE"
                    + " asserts it, journaled as your assertion",
                    "drctl failover " + cluster + " --to NODE --former-primary NODE");
            case ClusterVerdict.PrimaryDead d -> act(spec, memory, d.summary(), d.primary(), ranking, m, false);
        };
    }

    private static FailoverDecision alive(ClusterName cluster, NodeName primary) {
        return refuse(Refusal.PRIMARY_ALIVE, cluster + ": primary " + primary + " is alive: it answers as a writable"
                + " primary; failover refused (it would make two writers). For a planned change of primary use drctl"
                + " switchover " + cluster + " [--to NODE]", "drctl switchover " + cluster);
    }

    private static FailoverDecision.Refuse refuse(Refusal rule, String reason, String next) {
        return new FailoverDecision.Refuse(rule, reason, Optional.of(next));
    }

    /** The primary is gone (or fenced): choose the candidate, apply the guard, say what is accepted or asserted. */
    private static FailoverDecision act(ClusterSpec spec, ClusterMemory memory, String why, NodeName primary,
                                        ReplicaRanking ranking, Request.ManualFailover m, boolean deathAsserted) {
        var cluster = spec.name();
        if (m.formerPrimary().isPresent() && !m.formerPrimary().get().equals(primary)) {
            return refuse(Refusal.ASSERTION_CONTRADICTED, why + "; failover refused: --former-primary "
                    + m.formerPrimary().get() + " contradicts what drctl observes (" + primary + " was the primary)",
                    "drctl failover " + cluster + " --former-primary " + primary);
        }
        // The store saw another primary last: an assertion against it is a mistake until a person looks again.
        var remembered = memory.lastPrimary().filter(p -> !p.equals(primary));
        if (m.formerPrimary().isPresent() && remembered.isPresent()) {
            return refuse(Refusal.ASSERTION_CONTRADICTED, why + "; failover refused: --former-primary " + primary
                    + " contradicts the store, which last knew " + remembered.get() + " as the primary",
                    "drctl failover " + cluster + " --to NODE --former-primary " + remembered.get());
        }
        ReplicaRanking.Ranked chosen;
        if (m.to().isPresent()) {
            var t = m.to().get();
            if (spec.node(t).isEmpty()) {
                return refuse(Refusal.TARGET_NOT_ELIGIBLE, "--to " + t + ": no such node in " + cluster + " (its nodes: "
                        + spec.nodes().stream().map(n -> n.name().value()).collect(Collectors.joining(", ")) + ")",
                        "drctl failover " + cluster);
            }
            var excluded = ranking.excluded().stream().filter(e -> e.node().equals(t)).findFirst();
            if (excluded.isPresent()) {
                var e = excluded.get();
                return refuse(Refusal.TARGET_NOT_ELIGIBLE, "--to " + t + " refused: " + e.detail()
                        + exclusionAdvice(e.why(), cluster.value(), ranking), "drctl failover " + cluster);
            }
            chosen = ranking.ranked().stream().filter(r -> r.node().equals(t)).findFirst().orElseThrow();
        } else if (ranking.ranked().isEmpty()) {
            return refuse(Refusal.NO_CANDIDATE, why + "; no eligible replica to promote in " + cluster + ": "
                    + ranking.excluded().stream().filter(e -> e.why() != Exclusion.FAILED_PRIMARY)
                            .map(ReplicaRanking.Excluded::toString).collect(Collectors.joining("; "))
                    + "; nothing was changed. Bring a replica back, then run the failover again",
                    "drctl failover " + cluster);
        } else {
            chosen = ranking.ranked().getFirst();
        }
        // Rule 3 on the ranker's own estimate for this candidate (the --to node's, not only the best's).
        var blocked = DataLossGuard.refusal(chosen);
        var again = "drctl failover " + cluster + m.to().map(t -> " --to " + t).orElse("")
                + m.formerPrimary().map(p -> " --former-primary " + p).orElse("") + " --accept-data-loss";
        if (blocked.isPresent() && !m.acceptDataLoss()) {
            return refuse(blocked.get(), why + "; " + chosen.rpoBreach().orElseThrow()
                    + "; failover refused unless --accept-data-loss: nothing was changed. "
                    + again + " promotes it anyway and is journaled as accepted data loss", again);
        }
        var accepted = blocked.isPresent() ? chosen.rpoBreach() : Optional.<String>empty();
        return new FailoverDecision.Promote(chosen.node(), primary, chosen.loss(), accepted, deathAsserted, why
                + "; promote " + chosen.node() + " (fencing " + primary + "): " + chosen.reason() + "; data loss "
                + chosen.loss().words() + accepted.map(b -> "; " + b + "; accepted with --accept-data-loss").orElse(""));
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

    /** A planned switchover: one writable primary, and a candidate streaming and applying from it within max-lag. */
    private static FailoverDecision switchover(ClusterSpec spec, ClusterHistory history, ClusterVerdict verdict,
                                               ReplicaRanking ranking, Request.Switchover s) {
        var cluster = spec.name();
        var noWriter = cluster + ": no node answers as a writable primary, so there is nothing to switch over from;"
                + " switchover refused. If the primary is down, drctl failover " + cluster + " is the command";
        var noWriterRefusal = refuse(Refusal.NO_PRIMARY, noWriter, "drctl failover " + cluster);
        return switch (verdict) {
            case ClusterVerdict.Healthy h -> switchoverTo(spec, history, h.primary(), ranking, s);
            case ClusterVerdict.ReplicaProblems p -> switchoverTo(spec, history, p.primary(), ranking, s);
            case ClusterVerdict.SplitBrain b -> refuse(Refusal.SPLIT_BRAIN, b.summary()
                    + "; switchover refused: fence all but one by hand first", "drctl fence " + cluster + " NODE");
            case ClusterVerdict.DrctlBlind b -> refuse(Refusal.DRCTL_BLIND, b.summary() + "; switchover refused",
                    "drctl status " + cluster);
            case ClusterVerdict.PrimarySuspect p -> noWriterRefusal;
            case ClusterVerdict.PrimaryDead p -> noWriterRefusal;
            case ClusterVerdict.DrctlPartitioned p -> noWriterRefusal;
            case ClusterVerdict.NoPrimary p -> noWriterRefusal;
        };
    }

    private static FailoverDecision switchoverTo(ClusterSpec spec, ClusterHistory history, NodeName p,
                                                 ReplicaRanking ranking, Request.Switchover s) {
        var cluster = spec.name();
        ReplicaRanking.Ranked chosen;
        if (s.to().isPresent()) {
            var t = s.to().get();
            if (t.equals(p)) {
                return refuse(Refusal.TARGET_NOT_ELIGIBLE, "--to " + t + " is already the primary; nothing to do",
                        "drctl status " + cluster);
            }
            var excluded = ranking.excluded().stream().filter(e -> e.node().equals(t)).findFirst();
            if (excluded.isPresent()) {
                return refuse(Refusal.TARGET_NOT_ELIGIBLE, "--to " + t + " refused: " + excluded.get().detail(),
                        "drctl switchover " + cluster);
            }
            var found = ranking.ranked().stream().filter(r -> r.node().equals(t)).findFirst();
            if (found.isEmpty()) {
                return refuse(Refusal.TARGET_NOT_ELIGIBLE, "--to " + t + ": no such node in " + cluster,
                        "drctl switchover " + cluster);
            }
            chosen = found.get();
        } else if (ranking.ranked().isEmpty()) {
            return refuse(Refusal.NO_CANDIDATE, "no replica of " + cluster + " may take over: "
                    + ranking.excluded().stream().map(ReplicaRanking.Excluded::toString)
                            .collect(Collectors.joining("; ")) + "; switchover refused", "drctl status " + cluster);
        } else {
            chosen = ranking.ranked().getFirst();
        }
        var latest = history.latest(chosen.node()).orElseThrow();
        var stream = latest.outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.REPLICA
                ? r.stream() : Optional.<ReplicationStream>empty();
        if (stream.isEmpty() || !stream.get().receiving() || !stream.get().applying()
                || !NodeReading.upstream(stream.get(), spec, p).equals(p)) {
            var said = latest.outcome() instanceof ProbeOutcome.Reached x ? NodeReading.describe(latest, spec, p)
                    : "unreachable";
            return refuse(Refusal.CANDIDATE_NOT_STREAMING, chosen.node() + " is not streaming and applying from " + p
                    + " (" + said + "); switchover refused: a planned switchover needs a healthy replica; check with"
                    + " drctl status " + cluster + " and try again", "drctl status " + cluster);
        }
        var policy = spec.failover();
        var lagBreaches = new ArrayList<String>();
        var lag = chosen.lag();
        if (lag.time().isEmpty() && lag.bytes().isEmpty()) {
            lagBreaches.add("has an unknown lag (never treated as 0)");
        }
        lag.time().filter(t -> t.compareTo(policy.maxLagTime()) > 0).ifPresent(t -> lagBreaches.add("lags "
                + Wording.duration(t) + ", over max-lag " + Wording.duration(policy.maxLagTime())));
        lag.bytes().filter(b -> b > policy.maxLagBytes().bytes()).ifPresent(b -> lagBreaches.add("lags "
                + new DataSize(b) + " not yet applied, over max-lag " + policy.maxLagBytes()));
        if (!lagBreaches.isEmpty()) {
            return refuse(Refusal.RPO_GUARD, chosen.node() + " " + String.join(", ", lagBreaches)
                    + "; switchover refused: wait until it catches up", "drctl switchover " + cluster);
        }
        // Nothing is lost by construction: the candidate must reach the demoted primary's exact position first.
        var primarySeen = history.latest(p).orElseThrow();
        var basis = primarySeen.outcome() instanceof ProbeOutcome.Reached r ? NodeReading.position(r)
                .map(pos -> new DataLoss.Basis(pos, DataLoss.Source.PROBED, p, Optional.of(primarySeen.at())))
                : Optional.<DataLoss.Basis>empty();
        var none = new DataLoss.None(basis.orElseGet(() -> new DataLoss.Basis(chosen.position(),
                DataLoss.Source.REPLICA, chosen.node(), Optional.of(latest.at()))));
        return new FailoverDecision.Promote(chosen.node(), p, none, Optional.empty(), false,
                p + " is the writable primary; " + chosen.node() + " streams"
                        + stream.get().upstreamPort().map(port -> " (port " + port + ")").orElse("") + ": "
                        + chosen.reason());
    }

    /**
     * When the outage began: the earliest known of the store's first recorded failure of this primary, the replicas'
     * last contact with it (when they lost it) and the first failed probe in the observations at hand.
     */
    static Optional<OutageStart> outageStart(ClusterHistory history, ClusterMemory memory, NodeName primary) {
        var known = new ArrayList<OutageStart>();
        if (memory.lastPrimary().map(primary::equals).orElse(true)) {
            memory.firstFailureAt().ifPresent(t -> known.add(new OutageStart(t, OutageStart.Basis.STORE_FIRST_FAILURE)));
        }
        // The primary was alive at the latest contact any replica had with it: that is when they lost it.
        history.cluster().nodes().stream().map(n -> n.name()).filter(n -> !n.equals(primary))
                .flatMap(n -> history.latest(n).stream())
                .flatMap(o -> o.outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.REPLICA
                        ? r.stream().stream() : Stream.<ReplicationStream>empty())
                .filter(st -> !st.receiving() && NodeReading.upstream(st, history.cluster(), primary).equals(primary))
                .flatMap(st -> st.lastContact().stream())
                .max(Comparator.naturalOrder())
                .ifPresent(t -> known.add(new OutageStart(t, OutageStart.Basis.REPLICA_LAST_CONTACT)));
        firstFailedProbe(history, primary)
                .ifPresent(t -> known.add(new OutageStart(t, OutageStart.Basis.FIRST_FAILED_PROBE)));
        return known.stream().min(Comparator.comparing(OutageStart::at));
    }

    /** The first probe of the primary's current run of failures (AUTH is an answer, and ends a run). */
    private static Optional<Instant> firstFailedProbe(ClusterHistory history, NodeName primary) {
        var list = history.of(primary);
        Optional<Instant> first = Optional.empty();
        for (int i = list.size() - 1; i >= 0; i--) {
            NodeObservation o = list.get(i);
            if (o.outcome() instanceof ProbeOutcome.Failed f && f.kind() != FailureKind.AUTH) {
                first = Optional.of(o.at());
            } else {
                break;
            }
        }
        return first;
    }
}
