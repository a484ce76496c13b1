package dev.drctl.runbooks.watch;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.FailoverMode;
import dev.drctl.topology.NodeName;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ClusterWatch} knows of its cluster after its latest round: for {@code drctl status}, the health
 * endpoint and the metrics. A value; a new one after every round.
 *
 * @param verdict   the verdict's kind, e.g. {@code PrimaryDead}; {@code none} before the first round
 * @param summary   the verdict's sentence
 * @param decision  the decision's sentence
 * @param running   the runbook this watch has running, e.g. {@code failover}, {@code fence pg-1}
 * @param lastRun   how the latest runbook this watch launched ended, e.g. {@code failover-…: COMPLETED}
 * @param replicaProblems the replicas in trouble, with what was first seen of each
 */
public record WatchState(ClusterName cluster, FailoverMode mode, String verdict, String summary, String decision,
                         Optional<String> running, Optional<String> lastRun, Map<NodeName, String> replicaProblems,
                         Instant updatedAt) {
    public WatchState {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(running, "running");
        Objects.requireNonNull(lastRun, "lastRun");
        replicaProblems = Map.copyOf(replicaProblems);
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
