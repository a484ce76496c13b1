package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the daemon knows of one cluster, as it left it in the store for {@code drctl status}.
 *
 * @param daemon  which daemon, e.g. {@code daemon:db-admin-1:4242}
 * @param mode    the cluster's failover mode as the daemon runs it, e.g. {@code auto}
 * @param verdict the verdict's kind, e.g. {@code PrimaryDead}
 * @param summary the verdict's sentence
 * @param running the runbook the daemon has running on the cluster, e.g. {@code failover}
 */
public record DaemonClusterView(ClusterName cluster, String daemon, String mode, String verdict, String summary,
                                Optional<String> running, Instant updatedAt) {
    public DaemonClusterView {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(daemon, "daemon");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(running, "running");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
