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
        Optional<CoordinationSpec> coordination,
        AutomationSpec automation) {

    public DrctlConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(automation, "automation");
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(compliance, "compliance");
        clusters = List.copyOf(clusters);
        drills = List.copyOf(drills);
        Objects.requireNonNull(coordination, "coordination");
    }

    /** A configuration without {@code coordination:} (one daemon) and with the default {@code automation:} brakes. */
    public DrctlConfig(Path source, List<ClusterSpec> clusters, NotificationsSpec notifications,
                       ComplianceSpec compliance, List<DrillSpec> drills) {
        this(source, clusters, notifications, compliance, drills, Optional.empty(), AutomationSpec.defaults());
    }

    /** A configuration with the default {@code automation:} brakes ({@link AutomationSpec#defaults()}). */
    public DrctlConfig(Path source, List<ClusterSpec> clusters, NotificationsSpec notifications,
                       ComplianceSpec compliance, List<DrillSpec> drills, Optional<CoordinationSpec> coordination) {
        this(source, clusters, notifications, compliance, drills, coordination, AutomationSpec.defaults());
    }

    /** A configuration without {@code coordination:}: one daemon (single-daemon mode). */
    public DrctlConfig(Path source, List<ClusterSpec> clusters, NotificationsSpec notifications,
                       ComplianceSpec compliance, List<DrillSpec> drills, AutomationSpec automation) {
        this(source, clusters, notifications, compliance, drills, Optional.empty(), automation);
    }

    public Optional<ClusterSpec> cluster(ClusterName name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
