package dev.drctl.topology;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the state store remembers about one cluster, for a decision taken by something that did not watch the
 * primary fail (a one-shot command, a daemon just started). Pure data: the decision pipeline reads it, the store
 * writes it.
 *
 * @param lastPrimary       the last node known as the writable primary (seen by a probe round, or made primary by a
 *                          completed failover/switchover)
 * @param lastPosition      the last data position recorded for that primary
 * @param lastPositionAt    when that position was recorded
 * @param firstFailureAt    the first failed probe of that primary recorded after it was last seen writable (the start
 *                          of the outage as drctl knows it); empty while it answers or when nobody probed it failing
 * @param epoch             the fencing epoch of the current primary
 * @param lastFailoverAt    the last failover, for the cooldown
 */
public record ClusterMemory(Optional<NodeName> lastPrimary, Optional<DataPosition> lastPosition,
                            Optional<Instant> lastPositionAt, Optional<Instant> firstFailureAt, long epoch,
                            Optional<Instant> lastFailoverAt) {
    public ClusterMemory {
        Objects.requireNonNull(lastPrimary, "lastPrimary");
        Objects.requireNonNull(lastPosition, "lastPosition");
        Objects.requireNonNull(lastPositionAt, "lastPositionAt");
        Objects.requireNonNull(firstFailureAt, "firstFailureAt");
        Objects.requireNonNull(lastFailoverAt, "lastFailoverAt");
    }

    /** A cluster the store knows nothing about. */
    public static ClusterMemory none() {
        return new ClusterMemory(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0,
                Optional.empty());
    }
}
