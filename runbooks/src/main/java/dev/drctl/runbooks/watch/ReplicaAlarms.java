package dev.drctl.runbooks.watch;

import dev.drctl.promotion.ClusterVerdict;
import dev.drctl.promotion.Evidence;
import dev.drctl.topology.NodeName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When a replica problem is told: once when it starts and once when it clears, never every round. Pure: the replicas
 * in trouble before, and this round's verdict, give the replicas in trouble now and what to tell.
 *
 * <p>Only a verdict with a writable primary says anything about the replicas: {@link ClusterVerdict.Healthy} clears
 * them all, {@link ClusterVerdict.ReplicaProblems} names the troubled ones. Any other verdict (the primary suspect or
 * dead, split brain, drctl blind) keeps the alarms as they were: that round cannot tell a replica's health.
 */
public final class ReplicaAlarms {
    private ReplicaAlarms() {
    }

    /** A replica's problem began: what drctl observed. */
    public record Started(NodeName node, String detail) {
        public Started {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** A replica's problem ended; {@code was} is what it had been. */
    public record Cleared(NodeName node, String was) {
        public Cleared {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(was, "was");
        }
    }

    /** @param troubled the replicas in trouble now, with what each was first seen to have */
    public record Change(Map<NodeName, String> troubled, List<Started> started, List<Cleared> cleared) {
        public Change {
            troubled = Map.copyOf(troubled);
            started = List.copyOf(started);
            cleared = List.copyOf(cleared);
        }
    }

    public static Change next(Map<NodeName, String> before, ClusterVerdict verdict) {
        List<Evidence> problems = switch (verdict) {
            case ClusterVerdict.Healthy h -> List.of();
            case ClusterVerdict.ReplicaProblems p -> p.problems();
            case ClusterVerdict.PrimarySuspect s -> null;
            case ClusterVerdict.PrimaryDead d -> null;
            case ClusterVerdict.DrctlPartitioned p -> null;
            case ClusterVerdict.DrctlBlind b -> null;
            case ClusterVerdict.NoPrimary n -> null;
            case ClusterVerdict.SplitBrain b -> null;
        };
        if (problems == null) {
            return new Change(before, List.of(), List.of());
        }
        var now = new LinkedHashMap<NodeName, String>();
        var started = new ArrayList<Started>();
        for (var e : problems) {
            // a problem already told keeps its first wording: changing figures are not news
            var known = before.get(e.node());
            now.put(e.node(), known != null ? known : e.said());
            if (known == null) {
                started.add(new Started(e.node(), e.said()));
            }
        }
        var cleared = new ArrayList<Cleared>();
        before.forEach((node, was) -> {
            if (!now.containsKey(node)) {
                cleared.add(new Cleared(node, was));
            }
        });
        return new Change(now, started, cleared);
    }
}
