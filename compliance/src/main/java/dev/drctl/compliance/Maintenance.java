package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import java.time.Instant;
import java.util.Objects;

/**
 * A cluster in maintenance mode: nothing is automated on it until a person ends it ({@code drctl maintenance off}).
 *
 * @param reason what the person said, e.g. "kernel upgrade on pg-mum-1, CHG-4411"
 * @param by     who put it in maintenance
 * @param since  when (the instant of its MAINTENANCE_ON journal entry)
 */
public record Maintenance(ClusterName cluster, String reason, Actor by, Instant since) {
    public Maintenance {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(since, "since");
    }
}
