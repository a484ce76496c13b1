package dev.drctl.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** One probe of one node: when it ran, how long it took, and what it found. */
public record NodeObservation(NodeName node, Instant at, Duration latency, ProbeOutcome outcome) {
    public NodeObservation {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(outcome, "outcome");
    }

    public boolean reached() {
        return outcome instanceof ProbeOutcome.Reached;
    }
}
