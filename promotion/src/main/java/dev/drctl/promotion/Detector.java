package dev.drctl.promotion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NodeName;

/**
 * The detector loop: fed a {@link ClusterHistory} snapshot after every probe round, it runs the
 * {@link DecisionPipeline} for {@link Request.Automatic}, keeps each cluster's cooldown as data, and tells its listeners about changes only.
 * It reads no clock and never sleeps: "now" comes with each snapshot. Safe to feed from several threads.
 *
 * <p>The cooldown starts when a {@link FailoverDecision.Promote} is made (not when a runbook finishes): a
 * failover that fails must not be retried every round (naive mistake 9). A manual failover starts it too
 * ({@link #failedOver}); a restarted daemon passes the last failover times it has in its store.
 */
public final class Detector {
    private final List<Consumer<DetectorEvent>> listeners;
    private final Map<ClusterName, Instant> lastFailover;
    private final Map<ClusterName, Assessment> latest = new HashMap<>();

    /** The outcome of one round for one cluster. */
    public record Assessment(ClusterVerdict verdict, ReplicaRanking ranking, FailoverDecision decision,
                             Cooldown cooldown, Instant at) {
        public Assessment {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(ranking, "ranking");
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(cooldown, "cooldown");
            Objects.requireNonNull(at, "at");
        }
    }

    public Detector(Map<ClusterName, Instant> lastFailovers, List<Consumer<DetectorEvent>> listeners) {
        this.lastFailover = new HashMap<>(lastFailovers);
        this.listeners = List.copyOf(listeners);
    }

    public Detector(List<Consumer<DetectorEvent>> listeners) {
        this(Map.of(), listeners);
    }

    /** One probe round of one cluster, with nothing remembered by a store: {@link #accept(ClusterHistory, ClusterMemory, Instant)}. */
    public Assessment accept(ClusterHistory history, Instant now) {
        return accept(history, ClusterMemory.none(), now);
    }

    /**
     * One probe round of one cluster, with what the store remembers of it (the primary's last position, its first
     * recorded failure: so a loss is measured, not unknown, when the daemon started after the primary's last answer).
     * The cooldown is the later of the detector's own last failover and the store's. Returns this round's assessment;
     * listeners hear of changes only.
     */
    public Assessment accept(ClusterHistory history, ClusterMemory remembered, Instant now) {
        return accept(history, remembered, now, true);
    }

    /**
     * One round assessed for a caller that decides itself whether a {@link FailoverDecision.Promote} is acted on (the
     * daemon's watch: it may follow another daemon's lead, wait for a quorum of daemons, or be held by the brakes).
     * Here a Promote starts no cooldown; the caller calls {@link #failedOver} when it launches the failover. Otherwise
     * a Promote not acted on would start a cooldown that refuses the failover when it can act (issue 13: a daemon that
     * saw the primary dead while following, then became the leader, never failed over).
     */
    public Assessment assess(ClusterHistory history, ClusterMemory remembered, Instant now) {
        return accept(history, remembered, now, false);
    }

    private Assessment accept(ClusterHistory history, ClusterMemory remembered, Instant now, boolean promoteStartsCooldown) {
        var spec = history.cluster();
        var name = spec.name();
        List<DetectorEvent> events = new ArrayList<>();
        Assessment current;
        synchronized (this) {
            var last = Stream.concat(Stream.ofNullable(lastFailover.get(name)), remembered.lastFailoverAt().stream())
                    .max(Comparator.naturalOrder());
            var cooldown = new Cooldown(last, spec.failover().cooldown());
            var memory = new ClusterMemory(remembered.lastPrimary(), remembered.lastPosition(),
                    remembered.lastPositionAt(), remembered.firstFailureAt(), remembered.epoch(), last);
            var assessment = DecisionPipeline.assess(history, memory, new Request.Automatic(), now);
            var verdict = assessment.verdict();
            var ranking = assessment.ranking();
            var decision = assessment.decision();
            if (promoteStartsCooldown && decision instanceof FailoverDecision.Promote) {
                lastFailover.put(name, now);
            }
            current = new Assessment(verdict, ranking, decision, cooldown, now);
            var previous = Optional.ofNullable(latest.put(name, current));
            if (previous.isEmpty() || !situation(previous.get().verdict()).equals(situation(verdict))) {
                events.add(new DetectorEvent.VerdictChanged(name, previous.map(Assessment::verdict), verdict, now));
            }
            if (previous.isEmpty() || !kind(previous.get().decision()).equals(kind(decision))) {
                events.add(new DetectorEvent.DecisionMade(name, decision, verdict, ranking, now));
            }
        }
        // Listeners run outside the lock: a slow journal must not stall other clusters' rounds.
        for (var e : events) {
            listeners.forEach(l -> l.accept(e));
        }
        return current;
    }

    /** A failover happened outside the detector (manual, or recovered from the store): start the cooldown. */
    public synchronized void failedOver(ClusterName cluster, Instant at) {
        lastFailover.put(cluster, at);
    }

    /** The latest assessment of a cluster, if it has been fed one. */
    public synchronized Optional<Assessment> latest(ClusterName cluster) {
        return Optional.ofNullable(latest.get(cluster));
    }

    // Same kind about the same nodes is the same situation; changing counts and figures are not news.
    private static String situation(ClusterVerdict v) {
        return switch (v) {
            case ClusterVerdict.Healthy h -> "Healthy " + h.primary();
            case ClusterVerdict.PrimarySuspect s -> "PrimarySuspect " + s.primary() + " " + s.why();
            case ClusterVerdict.PrimaryDead d -> "PrimaryDead " + d.primary();
            case ClusterVerdict.DrctlPartitioned p -> "DrctlPartitioned " + p.primary();
            case ClusterVerdict.DrctlBlind b -> "DrctlBlind " + b.why();
            case ClusterVerdict.NoPrimary n -> "NoPrimary " + n.lastPrimary().map(NodeName::value).orElse("-");
            case ClusterVerdict.SplitBrain b -> "SplitBrain " + b.writablePrimaries();
            case ClusterVerdict.ReplicaProblems p -> "ReplicaProblems " + p.primary() + " "
                    + p.problems().stream().map(e -> e.node().value()).collect(Collectors.joining(","));
        };
    }

    private static String kind(FailoverDecision d) {
        return switch (d) {
            case FailoverDecision.Wait w -> "Wait";
            case FailoverDecision.Promote p -> "Promote " + p.candidate() + " " + p.fenced();
            case FailoverDecision.Refuse r -> "Refuse " + r.refusal();
        };
    }
}
