package dev.drctl.promotion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NodeName;

/**
 * The detector loop: fed a {@link ClusterHistory} snapshot after every probe round, it runs the
 * {@link DecisionPipeline} for {@link Request.Automatic} and tells its listeners about changes only.
 * It reads no clock and never sleeps: "now" comes with each snapshot. Safe to feed from several threads.
 *
 * <p>It keeps no cooldown of its own: the cooldown comes with the store's {@link ClusterMemory} each round (its one
 * source of truth, safety rule 6). The failover runbook records the failover there before it acts (its commit step),
 * so a failover that then fails is not retried every round (naive mistake 9), a restarted daemon or another process
 * sees the same cooldown, and {@code drctl ack} clears it for everyone at once.
 */
public final class Detector {
    private final List<Consumer<DetectorEvent>> listeners;
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

    public Detector(List<Consumer<DetectorEvent>> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** One probe round of one cluster, with nothing remembered by a store: {@link #accept(ClusterHistory, ClusterMemory, Instant)}. */
    public Assessment accept(ClusterHistory history, Instant now) {
        return accept(history, ClusterMemory.none(), now);
    }

    /**
     * One round assessed for a caller that decides itself whether a {@link FailoverDecision.Promote} is acted on (the
     * daemon's watch: it may follow another daemon's lead, wait for a quorum of daemons, or be held by the brakes).
     * The same as {@link #accept(ClusterHistory, ClusterMemory, Instant)}: a Promote starts no cooldown here, because
     * the cooldown is only the store's (recorded by the failover runbook when it commits). Issue 13: a daemon that saw
     * the primary dead while following, then became the leader, must still fail over.
     */
    public Assessment assess(ClusterHistory history, ClusterMemory remembered, Instant now) {
        return accept(history, remembered, now);
    }

    /**
     * One probe round of one cluster, with what the store remembers of it (the primary's last position, its first
     * recorded failure: so a loss is measured, not unknown, when the daemon started after the primary's last answer).
     * The cooldown is the store's ({@link ClusterMemory#lastFailoverAt}). Returns this round's assessment; listeners
     * hear of changes only.
     */
    public Assessment accept(ClusterHistory history, ClusterMemory remembered, Instant now) {
        var spec = history.cluster();
        var name = spec.name();
        List<DetectorEvent> events = new ArrayList<>();
        Assessment current;
        synchronized (this) {
            var cooldown = new Cooldown(remembered.lastFailoverAt(), spec.failover().cooldown());
            var assessment = DecisionPipeline.assess(history, remembered, new Request.Automatic(), now);
            var verdict = assessment.verdict();
            var ranking = assessment.ranking();
            var decision = assessment.decision();
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
