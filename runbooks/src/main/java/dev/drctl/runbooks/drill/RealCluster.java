package dev.drctl.runbooks.drill;

import dev.drctl.compliance.RunRecord;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.NodeName;
import java.sql.Connection;
import java.util.Optional;

/**
 * The configured cluster a game day ({@code environment: cluster}) runs on: no copy, no injected failure, only the
 * planned switchover that {@code drctl switchover} runs, there and back, and connections as an application makes
 * them. The composition root builds it (the cluster's secrets, promoter and DNS provider are its concern).
 */
public interface RealCluster extends AutoCloseable {

    /** A new connection to {@code node} with the cluster's credentials, as an application makes it. */
    Connection connect(NodeName node);

    /** The primary the probes see now. */
    NodeName primary();

    /**
     * The node the cluster's writer record names now, as an application resolving it reaches it; empty when no
     * record is configured or its value cannot tell the nodes apart (then the writer moves when a switchover returns).
     */
    default Optional<NodeName> writerRecord() {
        return Optional.empty();
    }

    /**
     * The planned switchover to {@code to} (the best replica when empty), through the same runbook as
     * {@code drctl switchover}, journaled in the operator's store as a SWITCHOVER run; returns that run's final record.
     */
    RunRecord switchover(Optional<NodeName> to);

    @Override
    void close();

    /** Opens the cluster named by a drill. */
    @FunctionalInterface
    interface Opener {
        RealCluster open(DrctlConfig config, ClusterSpec cluster);
    }
}
