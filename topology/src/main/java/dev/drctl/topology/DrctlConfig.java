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
        AutomationSpec automation,
        DaemonSpec daemon) {

    public DrctlConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(automation, "automation");
        Objects.requireNonNull(daemon, "daemon");
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(compliance, "compliance");
        clusters = List.copyOf(clusters);
        drills = List.copyOf(drills);
        Objects.requireNonNull(coordination, "coordination");
    }

    /**
     * A configuration without {@code coordination:} (one daemon), with the default {@code automation:} brakes and the
     * default {@code daemon:} endpoint (127.0.0.1:9187, no token).
     */
    public DrctlConfig(Path source, List<ClusterSpec> clusters, NotificationsSpec notifications,
                       ComplianceSpec compliance, List<DrillSpec> drills) {
        this(source, clusters, notifications, compliance, drills, Optional.empty(), AutomationSpec.defaults(),
                DaemonSpec.defaults());
    }

    /** With the default {@code automation:} brakes and {@code daemon:} endpoint. */
    public DrctlConfig(Path source, List<ClusterSpec> clusters, NotificationsSpec notifications,
                       ComplianceSpec compliance, List<DrillSpec> drills, Optional<CoordinationSpec> coordination) {
        this(source, clusters, notifications, compliance, drills, coordination, AutomationSpec.defaults(),
                DaemonSpec.defaults());
    }

    /** Without {@code coordination:}, with the default {@code daemon:} endpoint. */
    public DrctlConfig(Path source, List<ClusterSpec> clusters, NotificationsSpec notifications,
                       ComplianceSpec compliance, List<DrillSpec> drills, AutomationSpec automation) {
        this(source, clusters, notifications, compliance, drills, Optional.empty(), automation, DaemonSpec.defaults());
    }

    /** Without {@code coordination:}, with the default {@code automation:} brakes. */
    public DrctlConfig(Path source, List<ClusterSpec> clusters, NotificationsSpec notifications,
                       ComplianceSpec compliance, List<DrillSpec> drills, DaemonSpec daemon) {
        this(source, clusters, notifications, compliance, drills, Optional.empty(), AutomationSpec.defaults(), daemon);
    }

    /** With the default {@code daemon:} endpoint. */
    public DrctlConfig(Path source, List<ClusterSpec> clusters, NotificationsSpec notifications,
                       ComplianceSpec compliance, List<DrillSpec> drills, Optional<CoordinationSpec> coordination,
                       AutomationSpec automation) {
        this(source, clusters, notifications, compliance, drills, coordination, automation, DaemonSpec.defaults());
    }

    public Optional<ClusterSpec> cluster(ClusterName name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
