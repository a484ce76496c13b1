package dev.drctl.runbooks.watch;

import java.time.Duration;

/**
 * At most {@code maxFailovers} automatic failovers across all clusters within {@code window} (placeholder of the
 * brakes branch, which owns it).
 */
public record BreakerPolicy(int maxFailovers, Duration window) {
    public static BreakerPolicy defaults() {
        return new BreakerPolicy(1, Duration.ofMinutes(10));
    }
}
