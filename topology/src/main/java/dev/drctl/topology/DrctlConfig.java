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
        DaemonSpec daemon) {

    public DrctlConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(daemon, "daemon");
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(compliance, "compliance");
        clusters = List.copyOf(clusters);
        drills = List.copyOf(drills);
    }

    /** A config without a {@code daemon:} section: the endpoint on 127.0.0.1:9187 without a token. */
    public DrctlConfig(Path source, List<ClusterSpec> clusters, NotificationsSpec notifications, ComplianceSpec compliance,
                       List<DrillSpec> drills) {
        this(source, clusters, notifications, compliance, drills, DaemonSpec.defaults());
    }

    public Optional<ClusterSpec> cluster(ClusterName name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
