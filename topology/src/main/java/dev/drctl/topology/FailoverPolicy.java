package dev.drctl.topology;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * When and how a cluster may fail over (DESIGN.md, safety rules 1, 3 and 6).
 *
 * @param failureThreshold consecutive failed probes before the primary is suspect...
 * @param failureWindow    ...spanning at least this long
 * @param maxLagBytes      RPO guard: a best candidate further behind is not promoted automatically
 * @param maxLagTime       RPO guard in replay delay
 * @param preferRegions    with equal data, a replica in the earliest listed region wins
 * @param allowedRegions   data residency: never promote outside these (empty = no restriction)
 * @param cooldown         no second automatic failover of this cluster inside it
 */
public record FailoverPolicy(
        FailoverMode mode,
        Duration probeInterval,
        Duration probeTimeout,
        int failureThreshold,
        Duration failureWindow,
        DataSize maxLagBytes,
        Duration maxLagTime,
        List<String> preferRegions,
        List<String> allowedRegions,
        Duration cooldown) {

    public FailoverPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(probeInterval, "probeInterval");
        Objects.requireNonNull(probeTimeout, "probeTimeout");
        Objects.requireNonNull(failureWindow, "failureWindow");
        Objects.requireNonNull(maxLagBytes, "maxLagBytes");
        Objects.requireNonNull(maxLagTime, "maxLagTime");
        Objects.requireNonNull(cooldown, "cooldown");
        preferRegions = List.copyOf(preferRegions);
        allowedRegions = List.copyOf(allowedRegions);
    }

    /**
     * Defaults chosen against a 30 s RTO: detection in about 3 s (3 probes at 1 s, each bounded
     * by 800 ms), never the naive 3 x 30 s.
     */
    public static FailoverPolicy defaults() {
        return new FailoverPolicy(FailoverMode.AUTO, Duration.ofSeconds(1), Duration.ofMillis(800), 3,
                Duration.ofSeconds(3), new DataSize(16L << 20), Duration.ofSeconds(10), List.of(), List.of(),
                Duration.ofMinutes(10));
    }

    /** Whether a node in {@code region} may ever be promoted. */
    public boolean regionAllowed(String region) {
        return allowedRegions.isEmpty() || allowedRegions.contains(region);
    }
}
