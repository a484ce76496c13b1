package dev.drctl.promotion;

import java.util.Objects;

import dev.drctl.topology.NodeName;

/**
 * What one node said, in words: the unit of evidence a verdict carries so that it can be printed,
 * journaled and argued with later.
 *
 * @param node the node
 * @param said what its latest observation (or history, where the verdict needs it) showed
 */
public record Evidence(NodeName node, String said) {
    public Evidence {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(said, "said");
    }

    @Override
    public String toString() {
        return node + ": " + said;
    }
}
