package dev.drctl.containers;

import dev.drctl.runbooks.drill.DrillEnvironment;
import dev.drctl.runbooks.drill.DrillErrorCode;
import dev.drctl.runbooks.drill.EnvironmentRequest;
import dev.drctl.runbooks.drill.LocalDrillEnvironment;
import dev.drctl.testenv.TestenvErrorCode;
import dev.drctl.testenv.Topology;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.DrillSpec;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code testcontainers} drill environment: a proxied {@link ContainerTopology} on the host network (every server
 * on its own 127.0.0.1 port, so the fault proxies between drctl, the replicas and the applications sit on every link
 * as in the local environment), with the local environment's client links, writer DNS file and drill config around it
 * ({@link LocalDrillEnvironment#around}). What differs is the container's: kill and stop are the engine's, a freeze is
 * the engine's pause. Images as {@link ContainerSettings#configured} says; the network is always the host's.
 */
public final class ContainerDrillEnvironment implements DrillEnvironment {
    private final ContainerTopology topology;
    private final LocalDrillEnvironment around;
    private final Set<NodeName> paused = new LinkedHashSet<>();

    private ContainerDrillEnvironment(ContainerTopology topology, LocalDrillEnvironment around) {
        this.topology = topology;
        this.around = around;
    }

    /**
     * Starts the containers mirroring the request's cluster (engine, node count, regions) and writes the drill's
     * config; fails fast with the reason when no engine answers or the image cannot be had. On failure every
     * container started is removed again.
     */
    public static ContainerDrillEnvironment provision(EnvironmentRequest request) {
        var cluster = request.cluster();
        // before the settings, whose defaults ask the engine for images (a failed first attempt hides its reason)
        ContainerEngine.require();
        var settings = settings(cluster.engine(), System.getenv());
        var topology = ContainerTopology.builder(cluster.engine())
                .replicas(request.replicas())
                .regions(request.regions())
                .dir(request.dir().resolve("env"))
                .proxied(true)
                .clusterName(cluster.name().value())
                .image(settings.image())
                .network(settings.network())
                .start();
        return new ContainerDrillEnvironment(topology, LocalDrillEnvironment.around(request, topology));
    }

    /**
     * A drill's settings: the configured image; the host network, which the fault proxies on 127.0.0.1 need (a
     * configured {@code user-defined} is refused, saying so).
     */
    static ContainerSettings settings(Engine engine, Map<String, String> env) {
        var network = env.getOrDefault(ContainerSettings.NETWORK_VARIABLE, "");
        if (!network.isBlank() && ContainerSettings.ContainerNetwork.parse(network)
                != ContainerSettings.ContainerNetwork.HOST) {
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST, ContainerSettings.NETWORK_VARIABLE + "=" + network
                    + ": drills need the host network (their fault proxies listen on 127.0.0.1); unset it or set host");
        }
        var withHost = new HashMap<>(env);
        withHost.put(ContainerSettings.NETWORK_VARIABLE, ContainerSettings.ContainerNetwork.HOST.configName());
        return ContainerSettings.configured(engine, withHost);
    }

    @Override
    public Topology topology() {
        return topology;
    }

    @Override
    public DrctlConfig config() {
        return around.config();
    }

    @Override
    public Path configFile() {
        return around.configFile();
    }

    @Override
    public Optional<NodeName> writerRecord() {
        return around.writerRecord();
    }

    @Override
    public Connection clientConnection(NodeName node) {
        return around.clientConnection(node);
    }

    @Override
    public void cutClients(NodeName node, boolean cut) {
        around.cutClients(node, cut);
    }

    /** The engine's pause: it freezes the container's cgroup, whoever owns its processes. */
    @Override
    public synchronized void freeze(NodeName node) {
        try {
            topology.pause(node);
        } catch (RuntimeException e) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot pause the container of " + node + ": "
                    + e.getMessage());
        }
        paused.add(node);
    }

    @Override
    public synchronized void thaw(NodeName node) {
        if (paused.remove(node)) {
            topology.unpause(node);
        }
    }

    @Override
    public String describe() {
        var settings = topology.settings();
        return "testcontainers: " + topology.nodes().size() + " " + topology.engine().configName() + " servers in "
                + settings.image() + " containers, " + settings.network().configName() + " network, on 127.0.0.1 ("
                + topology.dir() + ")";
    }

    @Override
    public void close() {
        List<NodeName> frozen;
        synchronized (this) {
            frozen = List.copyOf(paused);
        }
        try {
            // a paused container ignores the engine's stop until it is unpaused
            for (var node : frozen) {
                try {
                    thaw(node);
                } catch (RuntimeException e) {
                    // removed by force below all the same
                }
            }
        } finally {
            around.close();
        }
    }

    /** The {@code testcontainers} environment as {@link java.util.ServiceLoader} finds it in drctl-containers.jar. */
    public static final class AddOn implements DrillEnvironment.AddOn {
        @Override
        public DrillSpec.Environment environment() {
            return DrillSpec.Environment.TESTCONTAINERS;
        }

        @Override
        public DrillEnvironment provision(EnvironmentRequest request) {
            return ContainerDrillEnvironment.provision(request);
        }
    }
}
