package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The latest {@code drctl ack} of a cluster: a cooldown started by a failover before {@code at} is over.
 *
 * @param at when the person acknowledged (the instant of its COOLDOWN_ACKED journal entry)
 */
public record CooldownAck(ClusterName cluster, Instant at, Actor by, Optional<String> reason) {
    public CooldownAck {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(reason, "reason");
    }

    /** Whether this ack ends the cooldown of a failover at {@code failover}: it came at or after it. */
    public boolean clears(Instant failover) {
        return !at.isBefore(failover);
    }
}
