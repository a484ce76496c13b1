package dev.drctl.promotion;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DataSize;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;

/**
 * Is the primary dead? A pure function from a cluster's observation history, its policy and "now" to a
 * {@link ClusterVerdict}. The rules run in order, first match wins; each names the incident it prevents.
 *
 * <p>Choices made here (safety rule 1), written down because they are the contract:
 * <ul>
 *   <li><b>drctl blind:</b> when drctl reaches no node at all, no verdict about the primary is possible and the
 *   fault is most likely drctl's own: every node rejecting its credentials points at the credentials, every node
 *   unreachable at drctl's network ({@code DrctlBlind}).</li>
 *   <li><b>Which node is the primary:</b> the node whose latest observation is a writable primary; if none
 *   answers writable now, the node most recently seen as one in the history; else the one the caller knows
 *   (what the store remembers, or what an operator asserts); else the only node that never answered while every
 *   other node answers as a replica. None of these: {@code NoPrimary}.</li>
 *   <li><b>What counts as a failed probe:</b> REFUSED, TIMEOUT (a hung node counts) and OTHER. OTHER counts
 *   because drctl cannot tell what it means (a protocol error, "too many connections", a server starting
 *   up); it can only make the primary <i>suspect</i>, and death still needs the replicas, which keep
 *   streaming from a merely overloaded primary. AUTH and BUSY ("too many connections") are proof of life:
 *   they break the streak. A slow answer
 *   is an answer.</li>
 *   <li><b>The window:</b> each failed probe stands for the interval before it, bounded by the last answer:
 *   the streak spans from max(last answer, first failure − probe-interval) to the latest failure, and meets the
 *   window within a tenth of a probe-interval (rounds start at a fixed rate but their timestamps jitter by
 *   milliseconds; without the tolerance a 3 s window is met at the third failure or the fourth by chance). With
 *   the defaults (3 over 3 s at 1 s) a killed primary is past the window at its third failed probe.</li>
 *   <li><b>Hard evidence, before the window:</b> when every failure of the streak is REFUSED (the connection was
 *   refused, reset or closed before the server said a word: nothing listens) and there are failure-threshold of
 *   them, a majority of the replicas reporting their stream from the primary down confirms the death without waiting
 *   out the window: two vantage points saw the server gone, neither only waited. A single TIMEOUT or OTHER in the
 *   streak (a black hole, a hung server, drctl's own network) takes the shortcut away, and short of the replicas'
 *   majority the verdict is the plain {@code FAILING} it was. A restart of the primary by hand is such an outage
 *   too: planned work goes under {@code drctl maintenance on}.</li>
 *   <li><b>Who must agree (the majority):</b> a strict majority of the configured replicas must each be reached
 *   and report its stream from the primary down. A replica's testimony counts when its latest observation was
 *   taken after the primary's first counted failure and within one failure-window of now. An unreachable or
 *   stale replica is no evidence and never counts towards the majority (it still counts in the number a majority
 *   is taken of); a replica that reports streaming from another known node (cascading) speaks only for that node
 *   and is left out of both; a replica seen with its stream down while the primary still answered lost it before
 *   the outage and is no evidence. Any replica still streaming from the primary means drctl is cut off
 *   ({@code DrctlPartitioned}). Short of a majority the verdict stays {@code PrimarySuspect}
 *   ({@code UNCONFIRMED}): an operator may assert the death ({@code --former-primary}), journaled as such.</li>
 *   <li><b>Staleness of the witnesses:</b> a replica notices a lost primary only when its receiver does
 *   (at once for a killed server, up to wal_receiver_timeout / slave_net_timeout for a black hole); until
 *   then it still says "streaming" and the verdict is {@code DrctlPartitioned}, which waits. Only latest
 *   observations are evidence.</li>
 *   <li><b>Matching a stream to the primary:</b> by host:port when the replica reports an address that is a
 *   configured node's; an address that is no configured node (a proxy) or none at all is taken as the
 *   primary's: streaming from somewhere, and not from another known node.</li>
 * </ul>
 */
public final class ClusterAnalyzer {
    private ClusterAnalyzer() {
    }

    public static ClusterVerdict analyze(ClusterHistory history, Instant now) {
        return analyze(history, Optional.empty(), now);
    }

    /**
     * @param knownPrimary the primary as the caller knows it when the history never saw one writable (what the store
     *                     remembers, or the node an operator asserts was the primary)
     */
    public static ClusterVerdict analyze(ClusterHistory history, Optional<NodeName> knownPrimary, Instant now) {
        var spec = history.cluster();
        var name = spec.name();
        var blind = blindness(history);
        if (blind.isPresent()) {
            return new ClusterVerdict.DrctlBlind(name, blind.get(), evidence(history, null));
        }
        var writableNow = NodeReading.names(spec).stream()
                .filter(n -> history.latest(n).map(NodeReading::writablePrimary).orElse(false))
                .toList();

        // Two writers (the old primary came back writable after a failover, or a hand promotion): never pick one.
        if (writableNow.size() >= 2) {
            return new ClusterVerdict.SplitBrain(name, writableNow, evidence(history, writableNow.getFirst()));
        }
        // A primary that answers writable is alive, whatever else is wrong: the false failover of an overloaded primary.
        if (writableNow.size() == 1) {
            return primaryAnswers(history, writableNow.getFirst());
        }
        var last = lastWritablePrimary(history)
                .or(() -> knownPrimary.filter(n -> spec.node(n).isPresent()))
                .or(() -> onlySilentNode(history));
        // drctl never saw a writer (started mid-outage, wrong config): it cannot know whose data is authoritative.
        if (last.isEmpty()) {
            return new ClusterVerdict.NoPrimary(name, Optional.empty(), Optional.empty(), evidence(history, null));
        }
        var primary = last.get();
        var latest = history.latest(primary).orElseThrow();
        // The old primary answers but refuses writes (fenced, demoted, mid-switchover): promoting would make a second writer.
        if (latest.outcome() instanceof ProbeOutcome.Reached r) {
            var as = r.role() == Role.REPLICA ? ClusterVerdict.AnswersAs.REPLICA : ClusterVerdict.AnswersAs.READ_ONLY_PRIMARY;
            return new ClusterVerdict.NoPrimary(name, Optional.of(primary), Optional.of(as), evidence(history, primary));
        }
        var policy = spec.failover();
        var failed = (ProbeOutcome.Failed) latest.outcome();
        // Wrong credentials on a live server is not an outage (naive mistake 1: treating "cannot look" as "dead").
        if (failed.kind().serverAnswered()) {
            return new ClusterVerdict.PrimarySuspect(name, primary, ClusterVerdict.Suspicion.UNVERIFIABLE, 0,
                    Duration.ZERO, policy.failureThreshold(), policy.failureWindow(), evidence(history, primary), 0, 0);
        }
        var streak = Streak.of(history.of(primary), policy.probeInterval());
        var failing = new ClusterVerdict.PrimarySuspect(name, primary, ClusterVerdict.Suspicion.FAILING,
                streak.count(), streak.span(), policy.failureThreshold(), policy.failureWindow(),
                evidence(history, primary), 0, 0);
        boolean repeated = streak.count() >= policy.failureThreshold();
        boolean windowMet = streak.span().plus(policy.probeInterval().dividedBy(10))
                .compareTo(policy.failureWindow()) >= 0;
        // Hard evidence may confirm before the window: every failure a refusal (the host said nothing listens),
        // never a timeout; it still takes failure-threshold of them and a majority of the replicas (below).
        boolean early = repeated && !windowMet && streak.refusedOnly();
        // A blip (one or two lost probes, a GC pause, a switch reboot) is not an outage.
        if (!repeated || (!windowMet && !early)) {
            return failing;
        }
        var testimony = testimony(history, primary, streak.firstFailure(), now);
        var still = testimony.stream().filter(t -> t.said() == Said.STREAMING).map(Testimony::node).toList();
        var lost = testimony.stream().filter(t -> t.said() == Said.LOST).map(Testimony::node).toList();
        // Cascaded replicas speak for their own upstream: they are neither evidence nor part of the majority's base.
        int replicas = (int) testimony.stream().filter(t -> t.said() != Said.ELSEWHERE).count();
        int needed = replicas / 2 + 1;
        // Before the window, only a confirmed death is news: anything short of it reads as it did before the rule.
        if (early && (!still.isEmpty() || lost.size() < needed)) {
            return failing;
        }
        var ev = new ArrayList<Evidence>();
        ev.add(new Evidence(primary, Wording.count(streak.count(), "consecutive failed probe", "consecutive failed probes")
                + " over " + Wording.duration(streak.span()) + ", latest " + NodeReading.describe(latest, spec, primary)
                + (early ? "; every one refused (nothing listens): confirmed by the replicas before failure-window "
                + Wording.duration(policy.failureWindow()) : "")));
        testimony.forEach(t -> ev.add(new Evidence(t.node(), t.detail())));
        // Replicas still stream from it: drctl is the one cut off (one vantage point must never decide; naive mistake 3).
        if (!still.isEmpty()) {
            return new ClusterVerdict.DrctlPartitioned(name, primary, streak.count(), streak.span(), still, ev);
        }
        // Short of a majority of the replicas, drctl does not declare death: unreachable replicas are no evidence.
        if (lost.size() < needed) {
            return new ClusterVerdict.PrimarySuspect(name, primary, ClusterVerdict.Suspicion.UNCONFIRMED,
                    streak.count(), streak.span(), policy.failureThreshold(), policy.failureWindow(), ev,
                    lost.size(), replicas);
        }
        return new ClusterVerdict.PrimaryDead(name, primary, streak.count(), streak.span(), lost, ev);
    }

    /**
     * The node most recently seen as a writable primary in the history (by observation time; ties broken by
     * config order), if any.
     */
    public static Optional<NodeName> lastWritablePrimary(ClusterHistory history) {
        NodeName best = null;
        Instant bestAt = null;
        for (var node : NodeReading.names(history.cluster())) {
            var seen = history.of(node).stream().filter(NodeReading::writablePrimary)
                    .map(NodeObservation::at).max(Comparator.naturalOrder());
            if (seen.isPresent() && (bestAt == null || seen.get().isAfter(bestAt))) {
                best = node;
                bestAt = seen.get();
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Why drctl reaches no node, when it reaches none (every node's latest probe failed): then no verdict about the
     * primary is possible, and the fault is most likely drctl's.
     */
    private static Optional<ClusterVerdict.Blindness> blindness(ClusterHistory history) {
        var kinds = new ArrayList<FailureKind>();
        for (var node : NodeReading.names(history.cluster())) {
            var latest = history.latest(node);
            if (latest.isEmpty() || !(latest.get().outcome() instanceof ProbeOutcome.Failed f)) {
                return Optional.empty();
            }
            kinds.add(f.kind());
        }
        if (kinds.isEmpty()) {
            return Optional.empty();
        }
        boolean auth = kinds.stream().allMatch(k -> k == FailureKind.AUTH);
        boolean unreachable = kinds.stream().noneMatch(k -> k == FailureKind.AUTH);
        return Optional.of(auth ? ClusterVerdict.Blindness.CREDENTIALS_REJECTED
                : unreachable ? ClusterVerdict.Blindness.ALL_UNREACHABLE : ClusterVerdict.Blindness.MIXED);
    }

    /**
     * The primary by elimination: the only node that never answered in the history while every other node answers
     * as a replica (a command's burst taken after the primary died, with nothing remembered). A cluster has one
     * primary, and every other node says it is not it.
     */
    private static Optional<NodeName> onlySilentNode(ClusterHistory history) {
        var names = NodeReading.names(history.cluster());
        var silent = names.stream().filter(n -> history.of(n).stream().noneMatch(NodeObservation::reached)).toList();
        if (silent.size() != 1) {
            return Optional.empty();
        }
        boolean othersReplicas = names.stream().filter(n -> !n.equals(silent.getFirst())).allMatch(n -> history.latest(n)
                .map(o -> o.outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.REPLICA).orElse(false));
        return othersReplicas ? Optional.of(silent.getFirst()) : Optional.empty();
    }

    private static ClusterVerdict primaryAnswers(ClusterHistory history, NodeName primary) {
        var spec = history.cluster();
        var problems = new ArrayList<Evidence>();
        for (var node : NodeReading.names(spec)) {
            if (node.equals(primary)) {
                continue;
            }
            var latest = history.latest(node);
            if (latest.isEmpty()) {
                problems.add(new Evidence(node, "not probed yet"));
                continue;
            }
            var problem = switch (latest.get().outcome()) {
                case ProbeOutcome.Failed f -> Optional.of(NodeReading.describe(latest.get(), spec, primary));
                case ProbeOutcome.Reached r when r.role() == Role.PRIMARY ->
                        Optional.of("answers as a read-only primary, not replicating");
                case ProbeOutcome.Reached r -> replicaProblem(r, spec, primary);
            };
            problem.ifPresent(p -> problems.add(new Evidence(node, p)));
        }
        var ev = evidence(history, primary);
        return problems.isEmpty()
                ? new ClusterVerdict.Healthy(spec.name(), primary, ev)
                : new ClusterVerdict.ReplicaProblems(spec.name(), primary, problems, ev);
    }

    private static Optional<String> replicaProblem(ProbeOutcome.Reached r, ClusterSpec spec, NodeName primary) {
        var policy = spec.failover();
        if (r.stream().isEmpty() || !r.stream().get().receiving()) {
            return Optional.of(NodeReading.streamPhrase(r, spec, primary));
        }
        var issues = new ArrayList<String>();
        if (!r.stream().get().applying()) {
            issues.add("apply stopped");
        }
        var lag = r.lag();
        if (lag.bytes().isEmpty() && lag.time().isEmpty()) {
            issues.add("lag unknown");
        } else {
            lag.time().filter(t -> t.compareTo(policy.maxLagTime()) > 0).ifPresent(t -> issues.add(
                    "lag " + Wording.duration(t) + " over max-lag " + Wording.duration(policy.maxLagTime())));
            lag.bytes().filter(b -> b > policy.maxLagBytes().bytes()).ifPresent(b -> issues.add(
                    "lag " + new DataSize(b) + " over max-lag " + policy.maxLagBytes()));
        }
        return issues.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", issues));
    }

    /** What each node's latest observation showed; {@code primary} first when given, then config order. */
    private static List<Evidence> evidence(ClusterHistory history, NodeName primary) {
        var spec = history.cluster();
        var out = new ArrayList<Evidence>();
        var assumed = primary != null ? primary : NodeReading.names(spec).getFirst();
        for (var node : NodeReading.names(spec)) {
            var said = history.latest(node).map(o -> NodeReading.describe(o, spec, assumed)).orElse("not probed yet");
            var e = new Evidence(node, said);
            if (node.equals(primary)) {
                out.addFirst(e);
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The primary's current run of counted failures.
     *
     * @param refusedOnly every failure of the run was REFUSED (refused, reset, closed before a word): hard evidence that
     *                    nothing listens, where a timeout is only the absence of an answer
     */
    private record Streak(int count, Instant firstFailure, Duration span, boolean refusedOnly) {
        static Streak of(List<NodeObservation> observations, Duration interval) {
            int count = 0;
            Instant first = null;
            Instant latest = null;
            Instant lastAnswer = null;
            boolean refusedOnly = true;
            for (int i = observations.size() - 1; i >= 0; i--) {
                var o = observations.get(i);
                if (o.outcome() instanceof ProbeOutcome.Failed f && !f.kind().serverAnswered()) {
                    count++;
                    refusedOnly &= f.kind() == FailureKind.REFUSED;
                    first = o.at();
                    if (latest == null) {
                        latest = o.at();
                    }
                } else {
                    lastAnswer = o.at();
                    break;
                }
            }
            if (count == 0) {
                return new Streak(0, null, Duration.ZERO, false);
            }
            var start = first.minus(interval);
            if (lastAnswer != null && lastAnswer.isAfter(start)) {
                start = lastAnswer;
            }
            return new Streak(count, first, Duration.between(start, latest), refusedOnly);
        }
    }

    /** What a replica's testimony says: ELSEWHERE (it streams from another known node) leaves it out of the count. */
    private enum Said { STREAMING, LOST, NO_EVIDENCE, ELSEWHERE }

    private record Testimony(NodeName node, Said said, String detail) {
    }

    private static List<Testimony> testimony(ClusterHistory history, NodeName primary, Instant failingSince, Instant now) {
        var spec = history.cluster();
        var primaryLastAnswer = history.of(primary).stream().filter(NodeObservation::reached).map(NodeObservation::at)
                .max(Comparator.naturalOrder());
        var freshAfter = now.minus(spec.failover().failureWindow());
        var out = new ArrayList<Testimony>();
        for (var node : NodeReading.names(spec)) {
            if (node.equals(primary)) {
                continue;
            }
            var latest = history.latest(node);
            if (latest.isEmpty()) {
                out.add(new Testimony(node, Said.NO_EVIDENCE, "not probed yet: no evidence"));
                continue;
            }
            var o = latest.get();
            if (o.at().isBefore(failingSince) || o.at().isBefore(freshAfter)) {
                out.add(new Testimony(node, Said.NO_EVIDENCE, "latest observation at " + Wording.instant(o.at())
                        + " is older than the primary's failures: no evidence"));
                continue;
            }
            out.add(switch (o.outcome()) {
                case ProbeOutcome.Failed f -> new Testimony(node, Said.NO_EVIDENCE,
                        "itself " + NodeReading.describe(o, spec, primary) + ": no evidence either way");
                case ProbeOutcome.Reached r when r.role() == Role.PRIMARY -> new Testimony(node, Said.NO_EVIDENCE,
                        "answers as a read-only primary, not replicating: no evidence");
                case ProbeOutcome.Reached r when NodeReading.receiving(r) -> {
                    var from = NodeReading.upstream(r.stream().orElseThrow(), spec, primary);
                    yield from.equals(primary)
                            ? new Testimony(node, Said.STREAMING, NodeReading.streamPhrase(r, spec, primary))
                            : new Testimony(node, Said.ELSEWHERE, "streams from " + from + ", not from " + primary
                                    + ": no evidence about " + primary);
                }
                case ProbeOutcome.Reached r when r.stream().isPresent()
                        && !NodeReading.upstream(r.stream().get(), spec, primary).equals(primary) ->
                        new Testimony(node, Said.ELSEWHERE, NodeReading.streamPhrase(r, spec, primary) + ", from "
                                + NodeReading.upstream(r.stream().get(), spec, primary) + ", not from " + primary
                                + ": no evidence about " + primary);
                case ProbeOutcome.Reached r when lostBefore(history.of(node), primaryLastAnswer) ->
                        new Testimony(node, Said.NO_EVIDENCE, NodeReading.streamPhrase(r, spec, primary)
                                + ", and had no stream already while " + primary + " still answered: no evidence");
                case ProbeOutcome.Reached r -> new Testimony(node, Said.LOST, NodeReading.streamPhrase(r, spec, primary)
                        + ": lost " + primary);
            });
        }
        return out;
    }

    /**
     * The replica was seen without a stream before the primary's last answer (its probe over before the primary's
     * began), and never receiving since: it lost its stream before the outage, so its losing it says nothing about
     * the primary now.
     */
    private static boolean lostBefore(List<NodeObservation> history, Optional<Instant> primaryLastAnswer) {
        if (primaryLastAnswer.isEmpty()) {
            return false;
        }
        boolean downWhilePrimaryAnswered = false;
        for (var o : history) {
            if (!(o.outcome() instanceof ProbeOutcome.Reached r) || r.role() != Role.REPLICA) {
                continue;
            }
            if (NodeReading.receiving(r)) {
                downWhilePrimaryAnswered = false;
            } else if (o.at().plus(o.latency()).isBefore(primaryLastAnswer.get())) {
                // the replica had said "no stream" before the primary's last probe even began: it lost it while the
                // primary lived. The same round is no such proof: its probes run together, and a primary killed
                // between them answers one and has already lost its replicas in the other.
                downWhilePrimaryAnswered = true;
            }
        }
        return downWhilePrimaryAnswered;
    }
}
