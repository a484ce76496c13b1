package dev.drctl.runbooks.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.testenv.ConfigFile;
import dev.drctl.testenv.FaultProxy;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.testenv.PostgresBinarySource;
import dev.drctl.testenv.Topology;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The {@code local} drill environment: a proxied {@link LocalTopology} (server processes on 127.0.0.1 from the
 * installed binaries), a client link per node for the writer workload, and the drill's config written beside the
 * topology's own ({@code drill.yaml}: the mirrored failover policy, the {@code file} DNS provider, the topology's
 * SQLite store).
 */
public final class LocalDrillEnvironment implements DrillEnvironment {
    static final String CONFIG_FILE = "drill.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Topology topology;
    private final Map<NodeName, FaultProxy> clientLinks;
    private final Path configFile;
    private final DrctlConfig config;
    private final Map<NodeName, List<Long>> frozen = new LinkedHashMap<>();
    private boolean closed;

    private LocalDrillEnvironment(Topology topology, Map<NodeName, FaultProxy> clientLinks, Path configFile,
                                  DrctlConfig config) {
        this.topology = topology;
        this.clientLinks = clientLinks;
        this.configFile = configFile;
        this.config = config;
    }

    /** Starts the topology and writes the drill's config; on failure everything started is torn down again. */
    public static LocalDrillEnvironment provision(EnvironmentRequest request) {
        return provision(request, false);
    }

    /**
     * As {@link #provision(EnvironmentRequest)}; with {@code synchronous}, the primary's commits wait for a replica
     * (testenv's {@link LocalTopology#makeSynchronous()}): {@code drctl demo --sync} and the RPO-0 benchmark.
     */
    public static LocalDrillEnvironment provision(EnvironmentRequest request, boolean synchronous) {
        return provision(request, synchronous, PostgresBinarySource.INSTALLED);
    }

    /**
     * As {@link #provision(EnvironmentRequest, boolean)}, PostgreSQL's programs taken from {@code binaries} (the
     * demo's fallback to the embedded build on a machine without PostgreSQL).
     */
    public static LocalDrillEnvironment provision(EnvironmentRequest request, boolean synchronous,
                                                  PostgresBinarySource binaries) {
        var cluster = request.cluster();
        var topology = LocalTopology.builder(cluster.engine())
                .postgresBinaries(binaries)
                .replicas(request.replicas())
                .regions(request.regions())
                .dir(request.dir().resolve("env"))
                .proxied(true)
                .clusterName(cluster.name().value())
                .start();
        if (synchronous) {
            try {
                topology.makeSynchronous();
            } catch (RuntimeException e) {
                topology.close();
                throw e;
            }
        }
        return around(request, topology);
    }

    /**
     * The drill's client links and config around {@code topology}, started (proxied, on 127.0.0.1) by another
     * environment: the testcontainers one builds on this. On failure the topology is closed.
     */
    public static LocalDrillEnvironment around(EnvironmentRequest request, Topology topology) {
        var cluster = request.cluster();
        var links = new LinkedHashMap<NodeName, FaultProxy>();
        try {
            for (var n : topology.nodes()) {
                links.put(n.name(), FaultProxy.start("client-" + n.name(), n.host(), n.serverPort()));
            }
            var mirrored = mirror(topology.clusterSpec(), cluster);
            var file = topology.dir().resolve(CONFIG_FILE);
            var yaml = ConfigFile.render(mirrored, topology.drctlConfig().compliance(),
                    "drill " + request.drill().name() + ": a disposable copy of cluster " + cluster.name()
                            + " (written by drctl drill run; removed with the environment)");
            if (request.pages().isPresent()) {
                yaml += "notifications:\n  webhooks: [ { url: " + ConfigFile.quote(request.pages().get())
                        + ", format: json } ]\n";
            }
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            return new LocalDrillEnvironment(topology, links, file, ConfigLoader.load(file));
        } catch (IOException | RuntimeException e) {
            links.values().forEach(FaultProxy::close);
            topology.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot write the drill's config: " + e.getMessage());
        }
    }

    /** The topology's cluster with the configured one's failover policy, priorities and no-failover marks. */
    static ClusterSpec mirror(ClusterSpec local, ClusterSpec configured) {
        var nodes = new ArrayList<NodeSpec>();
        for (int i = 0; i < local.nodes().size(); i++) {
            var n = local.nodes().get(i);
            var c = configured.nodes().get(i);
            nodes.add(new NodeSpec(n.name(), n.host(), n.port(), n.region(), c.priority(), c.noFailover()));
        }
        return new ClusterSpec(local.name(), local.engine(), local.credentials(), nodes, configured.failover(),
                local.dns(), local.replication(), List.of());
    }

    @Override
    public Topology topology() {
        return topology;
    }

    @Override
    public DrctlConfig config() {
        return config;
    }

    @Override
    public Path configFile() {
        return configFile;
    }

    @Override
    public Optional<NodeName> writerRecord() {
        var file = config.clusters().getFirst().dns().flatMap(d -> d.file());
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            return Optional.empty();
        }
        try {
            var node = JSON.readTree(file.get().toFile()).path("node").asText("");
            return node.isEmpty() ? Optional.empty() : Optional.of(new NodeName(node));
        } catch (IOException e) {
            return Optional.empty(); // replaced atomically; a read that fails is retried by the caller's next write
        }
    }

    @Override
    public Connection clientConnection(NodeName node) {
        var link = clientLinks.get(node);
        var props = new Properties();
        props.setProperty("user", "drctl");
        props.setProperty("password", topology.password());
        try {
            return switch (topology.engine()) {
                case POSTGRESQL -> {
                    props.setProperty("connectTimeout", "2");
                    props.setProperty("socketTimeout", "3");
                    props.setProperty("loginTimeout", "3");
                    yield DriverManager.getConnection("jdbc:postgresql://" + link.host() + ":" + link.port()
                            + "/postgres", props);
                }
                case MARIADB, MYSQL -> {
                    props.setProperty("connectTimeout", "2000");
                    props.setProperty("socketTimeout", "3000");
                    props.setProperty("sslMode", "DISABLED");
                    props.setProperty("allowPublicKeyRetrieval", "true");
                    var c = new com.mysql.cj.jdbc.Driver().connect("jdbc:mysql://" + link.host() + ":" + link.port()
                            + "/", props);
                    if (c == null) {
                        throw new SQLException("the MySQL driver did not accept the URL");
                    }
                    yield c;
                }
            };
        } catch (SQLException e) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot reach " + node + " as a client: "
                    + e.getMessage());
        }
    }

    @Override
    public void cutClients(NodeName node, boolean cut) {
        var link = clientLinks.get(node);
        if (cut) {
            link.refuse();
            link.cutExisting();
        } else {
            link.pass();
        }
    }

    @Override
    public synchronized void freeze(NodeName node) {
        var pid = topology.node(node).pid().orElseThrow(() -> new DrctlException(DrillErrorCode.ENVIRONMENT,
                node + " is not running; nothing to freeze"));
        var pids = new ArrayList<Long>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        signal("STOP", pids);
        frozen.put(node, pids);
    }

    @Override
    public synchronized void thaw(NodeName node) {
        var pids = frozen.remove(node);
        if (pids != null) {
            signal("CONT", pids);
        }
    }

    private static void signal(String signal, List<Long> pids) {
        var command = new ArrayList<String>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        try {
            var p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DrctlException(DrillErrorCode.ENVIRONMENT, "kill -" + signal + " did not return");
            }
        } catch (IOException e) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot run kill -" + signal + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "interrupted while sending SIG" + signal);
        }
    }

    @Override
    public String describe() {
        return "local: " + topology.nodes().size() + " " + topology.engine().configName() + " servers on 127.0.0.1 in "
                + topology.dir();
    }

    /** The cluster's name in the environment (the configured one's). */
    public ClusterName clusterName() {
        return topology.clusterName();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            // a stopped process ignores the shutdown signal until it continues
            List.copyOf(frozen.keySet()).forEach(this::thaw);
        }
        try {
            clientLinks.values().forEach(FaultProxy::close);
        } finally {
            topology.close();
        }
    }
}
