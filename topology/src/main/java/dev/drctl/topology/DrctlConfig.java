package dev.drctl.topology;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The whole configuration file, validated and immutable. Passed down by constructor; never static. */
public record DrctlConfig(
        Path source,
        List<ClusterSpec> clusters,
        NotificationsSpec notifications,
        ComplianceSpec compliance,
        List<DrillSpec> drills,
        Optional<CoordinationSpec> coordination) {

    public DrctlConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(compliance, "compliance");
        clusters = List.copyOf(clusters);
        drills = List.copyOf(drills);
        Objects.requireNonNull(coordination, "coordination");
    }

    /** A configuration without {@code coordination:}: one daemon (single-daemon mode). */
    public DrctlConfig(Path source, List<ClusterSpec> clusters, NotificationsSpec notifications,
                       ComplianceSpec compliance, List<DrillSpec> drills) {
        this(source, clusters, notifications, compliance, drills, Optional.empty());
    }

    public Optional<ClusterSpec> cluster(ClusterName name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
