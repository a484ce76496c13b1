package dev.drctl.runbooks.drill;

import dev.drctl.testenv.Topology;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrillSpec;
import dev.drctl.topology.NodeName;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Optional;

/**
 * A provisioned disposable environment a drill runs in: a real cluster shaped like the configured one, its own writer
 * DNS target (the {@code file} provider or the Route53-protocol test server, never the production zone) and its own
 * state store, and the means to inject failures. {@code local} ({@link LocalDrillEnvironment}) and
 * {@code testcontainers} implement it; the drill runner knows nothing else of either.
 *
 * <p>Contract: every fault method returns once the fault is in effect; {@link #close()} is idempotent, undoes every
 * fault (a frozen server is thawed first) and leaves no server, container or proxy behind.
 */
public interface DrillEnvironment extends AutoCloseable {

    /** The cluster's servers: kill, stop, start, the drctl and replication links. */
    Topology topology();

    /** The config the actor runs on: the mirrored cluster with this environment's DNS target and store. */
    DrctlConfig config();

    /** That config's file (the actor may run as a separate process). */
    Path configFile();

    /** The node the environment's writer DNS record names now, as an application resolving it would see it. */
    Optional<NodeName> writerRecord();

    /** A new connection as an application reaches {@code node}: through the node's client link. */
    Connection clientConnection(NodeName node);

    /** Cuts (or restores) the applications' link to {@code node}. */
    void cutClients(NodeName node, boolean cut);

    /** SIGSTOP (container: pause) to every process of {@code node}'s server: it accepts TCP and never answers. */
    void freeze(NodeName node);

    /** Undoes {@link #freeze}. */
    void thaw(NodeName node);

    /** The cluster's engine. */
    default dev.drctl.topology.Engine engine() {
        return topology().engine();
    }

    /** A connection to {@code node}'s server as drctl reaches it (not through the client link): to count writes. */
    default Connection serverConnection(NodeName node) {
        return topology().connect(node);
    }

    /** A short description for the report, e.g. "local: 3 PostgreSQL 15 servers on 127.0.0.1". */
    String describe();

    @Override
    void close();

    /** How an environment of one kind is provisioned for a drill. */
    @FunctionalInterface
    interface Provisioner {
        /**
         * Builds and starts an environment mirroring {@code request}'s cluster (engine, node count, regions, failover
         * policy) in {@code dir}; returns once every replica streams.
         */
        DrillEnvironment provision(EnvironmentRequest request);
    }

    /**
     * A provisioner shipped in a jar of its own beside drctl's ({@code testcontainers}: drctl-containers.jar, which
     * carries Testcontainers), found through {@link java.util.ServiceLoader} when that jar is on the class path.
     */
    interface AddOn extends Provisioner {
        /** The environment it provisions. */
        DrillSpec.Environment environment();
    }
}
