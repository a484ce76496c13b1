package dev.drctl.topology;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The recent observations of every node of one cluster, oldest first per node: the input of the
 * analysis. An immutable snapshot; the probe scheduler keeps the live, bounded history.
 */
public record ClusterHistory(ClusterSpec cluster, Map<NodeName, List<NodeObservation>> byNode) {
    public ClusterHistory {
        Objects.requireNonNull(cluster, "cluster");
        byNode = Map.copyOf(byNode);
        byNode.values().forEach(Objects::requireNonNull);
    }

    public List<NodeObservation> of(NodeName node) {
        return byNode.getOrDefault(node, List.of());
    }

    public Optional<NodeObservation> latest(NodeName node) {
        var list = of(node);
        return list.isEmpty() ? Optional.empty() : Optional.of(list.getLast());
    }
}
