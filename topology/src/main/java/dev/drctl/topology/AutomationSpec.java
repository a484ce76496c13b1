package dev.drctl.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * The global brake on automation ({@code automation:} at the top level): at most {@code maxFailovers} automatic
 * failovers across all clusters within {@code window}; past it the daemon only pages. A brake against automation
 * itself spreading an outage (a network event that makes every primary look dead at once).
 */
public record AutomationSpec(int maxFailovers, Duration window) {
    public AutomationSpec {
        Objects.requireNonNull(window, "window");
        if (maxFailovers < 1) {
            throw new IllegalArgumentException("maxFailovers must be at least 1, was " + maxFailovers);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
    }

    /** One automatic failover per 10 minutes across all clusters. */
    public static AutomationSpec defaults() {
        return new AutomationSpec(1, Duration.ofMinutes(10));
    }
}
