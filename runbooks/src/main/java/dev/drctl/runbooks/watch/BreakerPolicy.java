package dev.drctl.runbooks.watch;

import dev.drctl.topology.AutomationSpec;
import dev.drctl.topology.DrctlConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The global circuit breaker: at most {@code maxFailovers} automatic failovers across all clusters within
 * {@code window} (config {@code automation: { max-failovers, window }}).
 */
public record BreakerPolicy(int maxFailovers, Duration window) {
    public BreakerPolicy {
        Objects.requireNonNull(window, "window");
        if (maxFailovers < 1) {
            throw new IllegalArgumentException("maxFailovers must be at least 1, was " + maxFailovers);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
    }

    /** One automatic failover per 10 minutes. */
    public static BreakerPolicy defaults() {
        return of(AutomationSpec.defaults());
    }

    public static BreakerPolicy of(AutomationSpec spec) {
        return new BreakerPolicy(spec.maxFailovers(), spec.window());
    }

    /** The breaker the config's {@code automation:} section asks for. */
    public static BreakerPolicy of(DrctlConfig config) {
        return of(config.automation());
    }
}
