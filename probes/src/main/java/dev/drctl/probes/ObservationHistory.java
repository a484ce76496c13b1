package dev.drctl.probes;

import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last observations of each node of one cluster, oldest first, bounded so a daemon that runs for
 * months uses constant memory. Thread-safe: the scheduler records from many virtual threads while the
 * analysis takes snapshots.
 */
public final class ObservationHistory {
    /** Two minutes at the default 1 s interval: more than the analysis ever looks back. */
    public static final int MINIMUM_CAPACITY = 120;

    private final int capacity;
    private final Map<NodeName, ArrayDeque<NodeObservation>> byNode = new HashMap<>();

    public ObservationHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * How many observations per node a cluster keeps: at least {@link #MINIMUM_CAPACITY}, and at least
     * four failure windows' worth of probes and four times the failure threshold, so the analysis
     * always sees a full window with room to spare even with a short probe interval.
     */
    public static int capacityFor(FailoverPolicy policy) {
        long intervalMs = Math.max(1, policy.probeInterval().toMillis());
        long perWindow = (policy.failureWindow().toMillis() + intervalMs - 1) / intervalMs;
        long wanted = Math.max(4 * perWindow, 4L * policy.failureThreshold());
        return (int) Math.min(Math.max(MINIMUM_CAPACITY, wanted), 100_000);
    }

    public int capacity() {
        return capacity;
    }

    /** Appends one observation, dropping the node's oldest when full. */
    public synchronized void record(NodeObservation observation) {
        var deque = byNode.computeIfAbsent(observation.node(), n -> new ArrayDeque<>());
        if (deque.size() == capacity) {
            deque.removeFirst();
        }
        deque.addLast(observation);
    }

    /** The node's observations, oldest first (a copy). */
    public synchronized List<NodeObservation> of(NodeName node) {
        var deque = byNode.get(node);
        return deque == null ? List.of() : List.copyOf(deque);
    }

    /** An immutable snapshot for the analysis: every configured node, with an empty list if never probed. */
    public synchronized ClusterHistory snapshot(ClusterSpec cluster) {
        var out = new HashMap<NodeName, List<NodeObservation>>();
        for (var node : cluster.nodes()) {
            var deque = byNode.get(node.name());
            out.put(node.name(), deque == null ? List.of() : List.copyOf(deque));
        }
        return new ClusterHistory(cluster, out);
    }
}
