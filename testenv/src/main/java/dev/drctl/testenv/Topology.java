package dev.drctl.testenv;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/**
 * A disposable real cluster (one primary, N replicas) that tests, drills and the demo run drctl against. The port
 * for local processes ({@link LocalTopology}) and containers ({@code dev.drctl.containers.ContainerTopology}).
 *
 * <p>Contract: every method that changes a server waits until the change is observable (a killed server's processes
 * are gone, a started one accepts connections) or fails with a {@code DrctlException} after a deadline; none sleeps a
 * fixed time. {@link #close()} is idempotent and leaves no server process behind.
 */
public interface Topology extends AutoCloseable {

    Engine engine();

    /** The cluster's name in the written config. */
    default ClusterName clusterName() {
        return clusterSpec().name();
    }

    /** The drctl user's password (tests that build their own connections need it; never print it). */
    String password();

    /**
     * Makes a fence of {@code node} survive a restart of its server where this environment can (see each
     * implementation); the returned line says what was done, or that it cannot be done here.
     */
    String holdReadOnly(NodeName node);

    /** Every node, in order: the initial primary first. PIDs are read now. */
    List<LocalNode> nodes();

    LocalNode node(NodeName name);

    /** The node started as primary (a failover run by a test may have changed who is primary since). */
    NodeName primary();

    /** The nodes started as replicas. */
    List<NodeName> replicas();

    /** The topology's directory: config, secrets, state file, DNS file, journal. */
    Path dir();

    /** The written drctl config ({@code DIR/drctl.yaml}). */
    Path configFile();

    /** The written config's cluster as records, for tests that need no YAML. */
    ClusterSpec clusterSpec();

    /** The written config as records (one cluster, the local compliance store). */
    DrctlConfig drctlConfig();

    /** A new JDBC connection as the drctl user straight to the node's server (never through a proxy). */
    Connection connect(NodeName node);

    /**
     * A new JDBC connection as the drctl user to the node's port in the config, the way drctl connects: through its
     * drctl link when proxied, so it feels that link's faults.
     */
    Connection connectViaConfigPort(NodeName node);

    /** SIGKILL to the node's server and its processes; returns when they are gone. */
    void kill(NodeName node);

    /** Stops the node's server cleanly; returns when it is down. */
    void stop(NodeName node);

    /** Starts a stopped or killed node's server; returns when it accepts connections. */
    void start(NodeName node);

    /** Waits until {@code replica}'s replication stream from its upstream is up. */
    void awaitStreaming(NodeName replica);

    /** The fault proxy between drctl and {@code node} (the port in the config); only when proxied. */
    FaultProxy drctlLink(NodeName node);

    /** The fault proxy {@code replica} replicates from the primary through; only when proxied. */
    FaultProxy replicationLink(NodeName replica);

    /** Stops every server and proxy and removes the server data. Idempotent. */
    @Override
    void close();
}
