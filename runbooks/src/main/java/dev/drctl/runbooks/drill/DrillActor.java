package dev.drctl.runbooks.drill;

import dev.drctl.topology.DrctlConfig;

/**
 * The supervision that acts on the drill's environment: the daemon's own per-cluster watch (probe rounds, detector,
 * decision pipeline, failover runbook, fencing of a returning primary, notifications) run on the environment's config.
 * The drill only injects and measures; whatever is decided is decided here, exactly as in production.
 */
@FunctionalInterface
public interface DrillActor {

    /**
     * Starts watching every cluster of {@code config}; returns once it watches (the drill waits for its first probe
     * round in the environment's store before injecting anything).
     */
    Watching start(DrctlConfig config);

    /** A running watch; closing it stops the watch (and its process, when it runs in one) and waits for that. */
    interface Watching extends AutoCloseable {
        @Override
        void close();
    }
}
