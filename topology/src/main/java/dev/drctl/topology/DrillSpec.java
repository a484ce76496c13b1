package dev.drctl.topology;

import java.util.Objects;

/**
 * A scheduled DR drill.
 *
 * @param schedule    a cron expression (5 fields, Unix style)
 * @param environment {@code local} (testenv processes) or {@code containers} (Testcontainers)
 * @param failure     the fault injected, e.g. {@code kill-primary}
 */
public record DrillSpec(String name, ClusterName cluster, String schedule, String environment, String failure) {
    public DrillSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(failure, "failure");
    }
}
