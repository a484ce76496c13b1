package dev.drctl.runbooks.drill;

import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrillSpec;
import dev.drctl.topology.NodeSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a drill asks of an environment: the configured cluster to mirror and a directory of its own.
 *
 * @param cluster the configured cluster: its engine, node count, regions (in node order), priorities, no-failover
 *                marks and failover policy are mirrored; its hosts, credentials and DNS never are
 * @param pages   a webhook ({@code format: json}) the environment's config sends every notification to, so the drill
 *                sees who would have been paged; never a real person's channel
 */
public record EnvironmentRequest(DrillSpec drill, ClusterSpec cluster, Path dir, Optional<String> pages) {
    public EnvironmentRequest {
        Objects.requireNonNull(pages, "pages");
        Objects.requireNonNull(drill, "drill");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(dir, "dir");
    }

    /** The regions of the configured nodes, in config order (the first node becomes the environment's primary). */
    public List<String> regions() {
        return cluster.nodes().stream().map(NodeSpec::region).toList();
    }

    public int replicas() {
        return cluster.nodes().size() - 1;
    }
}
