package dev.drctl.runbooks.watch;

import dev.drctl.runbooks.RunResult;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.NodeName;

/**
 * How a {@link ClusterWatch} has a runbook run, blocking until it ends: implemented where the runbooks are composed
 * (the CLI's daemon, a drill), so this package needs neither. Each run takes the cluster's one-actor lock; a run left
 * unfinished in the store is resumed from its journal instead of starting a new one (the engine's rule).
 */
public interface RunbookLauncher {

    /** The failover runbook, triggered automatically (the mode and the cooldown apply). */
    RunResult failover(ClusterSpec cluster);

    /** The fence runbook on {@code node}: a returning old primary, a second writer. */
    RunResult fence(ClusterSpec cluster, NodeName node);
}
