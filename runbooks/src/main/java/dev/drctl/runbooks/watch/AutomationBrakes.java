package dev.drctl.runbooks.watch;

import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ClusterSpec;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether automation may act on a cluster now: maintenance, cooldown, the global circuit breaker. Placeholder with
 * the contract's signatures (the brakes branch owns the real one, which wins at merge): it never holds.
 */
public final class AutomationBrakes {
    private final StateStore store;
    private final BreakerPolicy breaker;

    public AutomationBrakes(StateStore store, BreakerPolicy breaker) {
        this.store = Objects.requireNonNull(store, "store");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
    }

    public Optional<AutomationHold> hold(ClusterSpec cluster, Instant now) {
        return Optional.empty();
    }
}
