package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What must survive a restart about one cluster.
 *
 * @param epoch          the fencing epoch of the current primary (raised by every promotion)
 * @param lastFailoverAt for the cooldown (safety rule 6)
 * @param activeRunId    the failover/switchover in progress, resumed after a crash
 * @param version        optimistic-lock counter: a save based on a stale read fails
 */
public record ClusterState(ClusterName cluster, long epoch, Optional<Instant> lastFailoverAt, Optional<String> activeRunId,
                           long version) {
    public ClusterState {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(lastFailoverAt, "lastFailoverAt");
        Objects.requireNonNull(activeRunId, "activeRunId");
    }

    /** A cluster drctl has never acted on. */
    public static ClusterState initial(ClusterName cluster) {
        return new ClusterState(cluster, 0, Optional.empty(), Optional.empty(), 0);
    }

    public ClusterState withEpoch(long value) {
        return new ClusterState(cluster, value, lastFailoverAt, activeRunId, version);
    }

    public ClusterState withLastFailoverAt(Instant value) {
        return new ClusterState(cluster, epoch, Optional.of(value), activeRunId, version);
    }

    public ClusterState withActiveRun(Optional<String> value) {
        return new ClusterState(cluster, epoch, lastFailoverAt, value, version);
    }
}
