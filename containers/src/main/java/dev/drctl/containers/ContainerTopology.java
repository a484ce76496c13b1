package dev.drctl.containers;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.drctl.testenv.Deadline;
import dev.drctl.testenv.FaultLinks;
import dev.drctl.testenv.FaultProxy;
import dev.drctl.testenv.FirstTransaction;
import dev.drctl.testenv.LocalMariadbTopology;
import dev.drctl.testenv.LocalNode;
import dev.drctl.testenv.LocalPostgresTopology;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.testenv.LoopbackPorts;
import dev.drctl.testenv.Teardown;
import dev.drctl.testenv.TestenvErrorCode;
import dev.drctl.testenv.Topology;
import dev.drctl.testenv.TopologyBuilder;
import dev.drctl.testenv.TopologyFiles;
import dev.drctl.testenv.TopologyShape;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NotificationsSpec;
import dev.drctl.topology.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A primary and N replicas in containers of a Docker-compatible engine, with the same {@link Topology} contract as
 * {@link LocalTopology}, the same builder choices ({@link TopologyBuilder}), node names and fault proxies
 * ({@link TopologyShape}) and the same config, secrets and DNS file ({@link TopologyFiles}): PostgreSQL streaming
 * replicas (each with its own slot, {@code pg_basebackup} in the replica's container), MariaDB GTID replicas ({@code MASTER_USE_GTID=slave_pos}) or MySQL GTID replicas
 * ({@code SOURCE_AUTO_POSITION=1}). The server settings are the local environment's (short replication timeouts,
 * {@code fsync=off}), passed as server arguments; accounts as there ({@code drctl}, and {@code replicator} /
 * {@code repl} for replication), made with binary logging off so no MariaDB/MySQL node starts with a GTID of its own.
 *
 * <p>Every server listens on a distinct free 127.0.0.1 port, which is also its port on the host: with
 * {@link ContainerSettings.ContainerNetwork#HOST} the containers share the host's network and all traffic stays on
 * loopback; with {@code USER_DEFINED} the engine publishes the port on 127.0.0.1 and replicas reach their primary by
 * node name on the topology's own network. (drctl re-points replicas at the addresses in its config, 127.0.0.1, which
 * a container on its own network cannot reach: failover drills need the host network.)
 *
 * <p>What a container cannot do like a local process: {@link #kill} is the engine's SIGKILL to the container (the
 * server is its PID 1, so every server process goes); {@link #stop} is the engine's stop (SIGINT for PostgreSQL's
 * fast shutdown, SIGTERM for MariaDB/MySQL); {@link #start} starts the same container again on the same data.
 * {@link #holdReadOnly} cannot edit a container's server arguments (see there). Containers carry the label
 * {@code dev.drctl.testenv=<cluster>}; {@link #close()} removes them (and their anonymous volumes) by id, never
 * anyone else's.
 */
public final class ContainerTopology implements Topology {
    static final String USER = "drctl";
    public static final String LABEL = "dev.drctl.testenv";
    private static final String DATA = "/var/lib/postgresql/data/replica";
    /** MariaDB/MySQL root's password: the images' entrypoints make root, and drctl's accounts are made as root. */
    private static final String ROOT_PASSWORD = "root-password";
    private static final List<String> SECRETS = List.of(TopologyFiles.DB_PASSWORD,
            TopologyFiles.REPLICATION_PASSWORD, ROOT_PASSWORD);

    private final Engine engine;
    private final ClusterName cluster;
    private final Path dir;
    private final TopologyFiles files;
    private final boolean dirOwned;
    private final ContainerSettings settings;
    private final List<Node> nodes;
    private final FaultLinks links;
    private final Teardown teardown;
    private final Duration readyTimeout;
    private Network network;

    /** One server: where it listens and the container it runs in (null until created). */
    private static final class Node {
        final NodeName name;
        final Role role;
        final String region;
        final int serverId;
        final int serverPort;
        /** The port drctl uses: the drctl link's when proxied. */
        final int port;
        /** Where a replica streams from on 127.0.0.1: the primary's port, or its replication link's. */
        final int upstreamPort;
        GenericContainer<?> container;

        Node(TopologyShape.WiredNode wired) {
            this.name = wired.name();
            this.role = wired.role();
            this.region = wired.region();
            this.serverId = wired.serverId();
            this.serverPort = wired.serverPort();
            this.port = wired.port();
            this.upstreamPort = wired.upstreamPort();
        }
    }

    private ContainerTopology(Engine engine, ClusterName cluster, Path dir, boolean dirOwned,
                              ContainerSettings settings, TopologyShape.Wiring wiring, Duration readyTimeout) {
        this.engine = engine;
        this.cluster = cluster;
        this.dir = dir;
        this.files = new TopologyFiles(dir);
        this.dirOwned = dirOwned;
        this.settings = settings;
        this.nodes = wiring.nodes().stream().map(Node::new).toList();
        this.links = wiring.links();
        this.teardown = new Teardown(links);
        this.readyTimeout = readyTimeout;
    }

    /** A builder for a topology of {@code engine} in containers. */
    public static Builder builder(Engine engine) {
        return new Builder(engine);
    }

    /** What a drill provisions: {@code engine}, one primary and {@code replicas} replicas, default settings. */
    public static ContainerTopology start(Engine engine, int replicas) {
        return builder(engine).replicas(replicas).start();
    }

    // --- Topology -------------------------------------------------------------------------------------------------

    @Override
    public Engine engine() {
        return engine;
    }

    public ClusterName clusterName() {
        return cluster;
    }

    /** The image and network the containers run with. */
    public ContainerSettings settings() {
        return settings;
    }

    @Override
    public List<LocalNode> nodes() {
        return nodes.stream().map(this::view).toList();
    }

    @Override
    public LocalNode node(NodeName name) {
        return view(node0(name));
    }

    private LocalNode view(Node n) {
        return new LocalNode(n.name, LoopbackPorts.HOST, n.port, n.serverPort, n.region, n.role, pid(n));
    }

    /** The server's PID on this machine (the container's PID 1), empty while the container is not running. */
    private OptionalLong pid(Node n) {
        if (n.container == null || n.container.getContainerId() == null) {
            return OptionalLong.empty();
        }
        try {
            var state = n.container.getDockerClient().inspectContainerCmd(n.container.getContainerId()).exec()
                    .getState();
            return Boolean.TRUE.equals(state.getRunning()) && state.getPidLong() != null && state.getPidLong() > 0
                    ? OptionalLong.of(state.getPidLong()) : OptionalLong.empty();
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public NodeName primary() {
        return nodes.getFirst().name;
    }

    @Override
    public List<NodeName> replicas() {
        return nodes.stream().filter(n -> n.role == Role.REPLICA).map(n -> n.name).toList();
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public Path configFile() {
        return files.configFile();
    }

    public Path passwordFile() {
        return files.secret(TopologyFiles.DB_PASSWORD);
    }

    public Path replicationPasswordFile() {
        return files.secret(TopologyFiles.REPLICATION_PASSWORD);
    }

    private Path rootPasswordFile() {
        return files.secret(ROOT_PASSWORD);
    }

    /** The drctl user's password (tests that build their own connections need it; never print it). */
    @Override
    public String password() {
        return LocalTopology.readSecret(passwordFile());
    }

    public String replicationUser() {
        return engine == Engine.POSTGRESQL ? LocalPostgresTopology.REPLICATION_USER
                : LocalMariadbTopology.REPLICATION_USER;
    }

    /** The container id of {@code node} (for an operator's {@code podman logs ID}). */
    public String containerId(NodeName node) {
        var n = node0(node);
        return n.container == null ? "" : n.container.getContainerId();
    }

    @Override
    public ClusterSpec clusterSpec() {
        var specs = nodes.stream().map(n -> TopologyFiles.nodeSpec(n.name, n.port, n.region)).toList();
        return files.clusterSpec(cluster, engine, specs, replicationUser());
    }

    @Override
    public DrctlConfig drctlConfig() {
        return new DrctlConfig(configFile(), List.of(clusterSpec()), NotificationsSpec.none(), files.compliance(),
                List.of());
    }

    @Override
    public Connection connect(NodeName node) {
        var n = node0(node);
        try {
            return open(n.serverPort, USER, password());
        } catch (SQLException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "cannot connect to " + node + " on port "
                    + n.serverPort + ": " + e.getMessage());
        }
    }

    @Override
    public Connection connectViaConfigPort(NodeName node) {
        var n = node0(node);
        try {
            return open(n.port, USER, password());
        } catch (SQLException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "cannot connect to " + node + " on port "
                    + n.port + ": " + e.getMessage());
        }
    }

    @Override
    public void kill(NodeName node) {
        var n = running(node0(node), "kill");
        n.container.getDockerClient().killContainerCmd(n.container.getContainerId()).withSignal("SIGKILL").exec();
        awaitStopped(n, Deadline.in(Duration.ofSeconds(60)));
    }

    @Override
    public void stop(NodeName node) {
        var n = running(node0(node), "stop");
        n.container.getDockerClient().stopContainerCmd(n.container.getContainerId()).withTimeout(60).exec();
        awaitStopped(n, Deadline.in(Duration.ofSeconds(90)));
    }

    @Override
    public void start(NodeName node) {
        var n = node0(node);
        if (n.container == null || n.container.getContainerId() == null) {
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST, node + " has no container");
        }
        if (pid(n).isPresent()) {
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST, node + " is running already");
        }
        n.container.getDockerClient().startContainerCmd(n.container.getContainerId()).exec();
        awaitAccepting(n, Deadline.in(readyTimeout));
    }

    /**
     * Freezes every process of {@code node}'s container (the engine's pause: the cgroup freezer): the server accepts
     * TCP connections in the kernel and never answers. Returns once the engine reports it paused.
     */
    public void pause(NodeName node) {
        var n = running(node0(node), "pause");
        n.container.getDockerClient().pauseContainerCmd(n.container.getContainerId()).exec();
        awaitPaused(n, true);
    }

    /** Undoes {@link #pause}; returns once the engine reports the container running again. */
    public void unpause(NodeName node) {
        var n = node0(node);
        if (n.container == null || n.container.getContainerId() == null) {
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST, node + " has no container");
        }
        n.container.getDockerClient().unpauseContainerCmd(n.container.getContainerId()).exec();
        awaitPaused(n, false);
    }

    private void awaitPaused(Node n, boolean paused) {
        Deadline.in(Duration.ofSeconds(30)).await(n.name + "'s container " + (paused ? "paused" : "unpaused"), () -> {
            var state = n.container.getDockerClient().inspectContainerCmd(n.container.getContainerId()).exec()
                    .getState();
            return paused == Boolean.TRUE.equals(state.getPaused()) ? Deadline.Attempt.done()
                    : Deadline.Attempt.<Boolean>notYet("status " + state.getStatus());
        });
    }

    private Node running(Node n, String what) {
        if (pid(n).isEmpty()) {
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST, "cannot " + what + " " + n.name
                    + ": its container is not running");
        }
        return n;
    }

    private void awaitStopped(Node n, Deadline deadline) {
        deadline.await(n.name + "'s container stopped", () -> pid(n).isEmpty() ? Deadline.Attempt.done()
                : Deadline.Attempt.notYet("still running"));
    }

    @Override
    public void awaitStreaming(NodeName replica) {
        var n = node0(replica);
        if (n.role != Role.REPLICA) {
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST, replica + " was started as the primary");
        }
        awaitStreaming(n, Deadline.in(Duration.ofSeconds(60)));
    }

    @Override
    public FaultProxy drctlLink(NodeName node) {
        node0(node);
        return links.drctlLink(node);
    }

    @Override
    public FaultProxy replicationLink(NodeName replica) {
        node0(replica);
        return links.replicationLink(replica, replicas());
    }

    /**
     * A fence that survives a restart, as {@link LocalTopology#holdReadOnly} makes one. PostgreSQL persists its fence
     * itself; a MariaDB/MySQL container's server arguments are fixed when it is created, so nothing here can make a
     * restarted one come back read-only: the outcome says so, and drctl must fence it again when it returns.
     */
    @Override
    public String holdReadOnly(NodeName node) {
        node0(node);
        return switch (engine) {
            case POSTGRESQL -> "the fence of " + node + " is persisted by PostgreSQL itself (ALTER SYSTEM, role"
                    + " attributes)";
            case MARIADB, MYSQL -> "not held: " + node + " runs in a container whose server options are fixed at"
                    + " creation; after a restart it is writable until drctl fences it again";
        };
    }

    private Node node0(NodeName name) {
        return nodes.stream().filter(n -> n.name.equals(name)).findFirst()
                .orElseThrow(() -> new DrctlException(TestenvErrorCode.BAD_REQUEST, "no node " + name + " in "
                        + cluster + "; its nodes are " + nodes.stream().map(n -> n.name.value()).toList()));
    }

    /** Removes every container of this topology by id (with its anonymous volumes), its network and its files. */
    @Override
    public void close() {
        if (!teardown.begin()) {
            return;
        }
        var failures = new ArrayList<String>();
        for (var n : nodes) {
            if (n.container != null && n.container.getContainerId() != null) {
                try {
                    n.container.getDockerClient().removeContainerCmd(n.container.getContainerId()).withForce(true)
                            .withRemoveVolumes(true).exec();
                } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
                    // removed already
                } catch (RuntimeException e) {
                    failures.add(n.name + ": " + e.getMessage());
                }
                try {
                    n.container.stop();
                } catch (RuntimeException e) {
                    // the container is gone; Testcontainers' own bookkeeping may complain
                }
            }
        }
        if (network != null) {
            try {
                network.close();
            } catch (RuntimeException e) {
                failures.add("network: " + e.getMessage());
            }
        }
        if (dirOwned) {
            LocalTopology.delete(dir);
        } else {
            LocalTopology.delete(dir.resolve("secrets"));
        }
        if (!failures.isEmpty()) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "could not remove " + failures);
        }
    }

    // --- bring-up -------------------------------------------------------------------------------------------------

    private void bootstrap(Deadline deadline) {
        if (settings.network() == ContainerSettings.ContainerNetwork.USER_DEFINED) {
            network = Network.newNetwork();
        }
        var primary = nodes.getFirst();
        switch (engine) {
            case POSTGRESQL -> {
                create(primary, postgresPrimary(primary), deadline);
                try (var c = open(primary.serverPort, USER, password()); var s = c.createStatement()) {
                    s.execute("CREATE ROLE " + replicationUser() + " WITH REPLICATION LOGIN PASSWORD '"
                            + LocalTopology.readSecret(replicationPasswordFile()) + "'");
                } catch (SQLException e) {
                    throw new DrctlException(TestenvErrorCode.SERVER_FAILED,
                            "creating the replication role on " + primary.name + ": " + e.getMessage());
                }
                for (var replica : nodes.subList(1, nodes.size())) {
                    create(replica, postgresReplica(replica, primary), deadline);
                }
            }
            case MARIADB, MYSQL -> {
                for (var n : nodes) {
                    create(n, mysqlFamily(n), deadline);
                    createAccounts(n);
                }
                for (var replica : nodes.subList(1, nodes.size())) {
                    follow(replica, primary);
                }
            }
        }
        for (var replica : nodes.subList(1, nodes.size())) {
            awaitStreaming(replica, deadline);
        }
        if (engine != Engine.POSTGRESQL) {
            seedFirstTransaction(primary, deadline);
        }
    }

    private void create(Node n, GenericContainer<?> container, Deadline deadline) {
        container.withLabel(LABEL, cluster.value()).withLabel(LABEL + ".node", n.name.value())
                .withStartupTimeout(deadline.remaining())
                // readiness is judged below, by connecting, the same way for every image
                .waitingFor(new AbstractWaitStrategy() {
                    @Override
                    protected void waitUntilReady() {
                    }
                });
        switch (settings.network()) {
            case HOST -> container.withNetworkMode("host");
            case USER_DEFINED -> container.withNetwork(network).withNetworkAliases(n.name.value())
                    .withCreateContainerCmdModifier(cmd -> {
                        var port = ExposedPort.tcp(n.serverPort);
                        var bindings = new Ports();
                        bindings.bind(port, Ports.Binding.bindIpAndPort(LoopbackPorts.HOST, n.serverPort));
                        cmd.withExposedPorts(port);
                        cmd.getHostConfig().withPortBindings(bindings);
                    });
        }
        n.container = container;
        try {
            container.start();
        } catch (RuntimeException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "starting the container of " + n.name + " ("
                    + settings.image() + ") failed: " + rootMessage(e) + logTail(n));
        }
        awaitAccepting(n, deadline);
    }

    private void awaitAccepting(Node n, Deadline deadline) {
        // root on MariaDB/MySQL: the drctl account is made after the server first accepts connections
        var user = engine == Engine.POSTGRESQL ? USER : "root";
        var password = engine == Engine.POSTGRESQL ? password() : LocalTopology.readSecret(rootPasswordFile());
        deadline.await(n.name + " accepting connections on " + n.serverPort, () -> {
            if (pid(n).isEmpty()) {
                throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "the container of " + n.name
                        + " exited" + logTail(n));
            }
            try (var c = open(n.serverPort, user, password); var s = c.createStatement()) {
                s.execute("SELECT 1");
                return Deadline.Attempt.done();
            } catch (SQLException e) {
                return Deadline.Attempt.notYet(e.getMessage());
            }
        });
    }

    private String logTail(Node n) {
        try {
            var lines = n.container.getLogs().lines().toList();
            var tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
            // a failed statement echoed by a client may quote a password: never into a message
            for (var secret : SECRETS) {
                var file = files.secret(secret);
                if (Files.exists(file)) {
                    tail = tail.replace(LocalTopology.readSecret(file), "********");
                }
            }
            return "; end of its log:\n" + tail;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private boolean hostNetwork() {
        return settings.network() == ContainerSettings.ContainerNetwork.HOST;
    }

    /** Where a replica reaches its upstream: on loopback (host network), or by name on the topology's network. */
    private String upstreamHost(Node primary) {
        return hostNetwork() ? LoopbackPorts.HOST : primary.name.value();
    }

    private int upstreamPort(Node replica, Node primary) {
        return hostNetwork() ? replica.upstreamPort : primary.serverPort;
    }

    private GenericContainer<?> container() {
        return new GenericContainer<>(DockerImageName.parse(settings.image()));
    }

    /** The local environment's PostgreSQL settings (see {@link LocalPostgresTopology}), as server arguments. */
    private List<String> postgresSettings(Node n) {
        var args = new ArrayList<String>();
        for (var setting : List.of("listen_addresses=" + (hostNetwork() ? LoopbackPorts.HOST : "*"),
                "port=" + n.serverPort, "cluster_name=" + n.name, "max_connections=60", "shared_buffers=32MB",
                "wal_level=replica", "max_wal_senders=10", "max_replication_slots=10", "wal_keep_size=128MB",
                "wal_log_hints=on", "hot_standby=on", "hot_standby_feedback=on", "wal_sender_timeout=5s",
                "wal_receiver_timeout=5s", "wal_receiver_status_interval=1s", "wal_retrieve_retry_interval=1s",
                "fsync=off")) {
            args.add("-c");
            args.add(setting);
        }
        return args;
    }

    /** The image's own entrypoint makes the primary from the official environment variables. */
    private GenericContainer<?> postgresPrimary(Node n) {
        var command = new ArrayList<>(List.of("postgres"));
        command.addAll(postgresSettings(n));
        // the official image lets every host in for every database, which does not cover replication connections
        var hba = "echo 'host replication all all scram-sha-256' >>\"$PGDATA/pg_hba.conf\"\n";
        return container().withEnv("POSTGRES_USER", USER).withEnv("POSTGRES_PASSWORD", password())
                .withEnv("POSTGRES_DB", USER)
                .withCopyToContainer(Transferable.of(hba, 0644), "/docker-entrypoint-initdb.d/10-drctl-replication.sh")
                .withCommand(command.toArray(String[]::new));
    }

    /**
     * A replica: as the postgres user, {@code pg_basebackup} from the primary on first start (its own slot), a
     * {@code standby.signal}, {@code primary_conninfo} in {@code postgresql.auto.conf} (where drctl's ALTER SYSTEM
     * re-points it later), then the server; a restarted container finds its data and only starts the server.
     */
    private GenericContainer<?> postgresReplica(Node n, Node primary) {
        var slot = LocalPostgresTopology.slotName(n.name);
        var script = """
                set -e
                D=%1$s
                if [ ! -s "$D/PG_VERSION" ]; then
                  pg_basebackup -h "$UPSTREAM_HOST" -p "$UPSTREAM_PORT" -U %2$s -D "$D" -X stream -C -S %3$s \\
                    -c fast --no-sync
                  touch "$D/standby.signal"
                  printf "primary_conninfo = 'host=%%s port=%%s user=%2$s password=%%s application_name=%4$s connect_timeout=5'\\nprimary_slot_name = '%3$s'\\n" \\
                    "$UPSTREAM_HOST" "$UPSTREAM_PORT" "$PGPASSWORD" >>"$D/postgresql.auto.conf"
                fi
                unset PGPASSWORD
                exec postgres -D "$D" "$@"
                """.formatted(DATA, replicationUser(), slot, n.name);
        var command = new ArrayList<>(List.of("-c", script, "replica-start"));
        command.addAll(postgresSettings(n));
        return container().withEnv("PGPASSWORD", LocalTopology.readSecret(replicationPasswordFile()))
                .withEnv("UPSTREAM_HOST", upstreamHost(primary))
                .withEnv("UPSTREAM_PORT", Integer.toString(upstreamPort(n, primary)))
                .withCreateContainerCmdModifier(cmd -> cmd.withUser("postgres").withEntrypoint("bash"))
                .withCommand(command.toArray(String[]::new));
    }

    /** A MariaDB or MySQL node: the image's entrypoint makes it from the official variables, with these options. */
    private GenericContainer<?> mysqlFamily(Node n) {
        var mysql = engine == Engine.MYSQL;
        var args = new ArrayList<>(List.of("--port=" + n.serverPort,
                "--bind-address=" + (hostNetwork() ? LoopbackPorts.HOST : "0.0.0.0"), "--skip-name-resolve",
                "--server-id=" + n.serverId, "--log-bin=" + n.name + "-bin", "--relay-log=" + n.name + "-relay",
                "--relay-log-recovery=ON", "--report-host=" + LoopbackPorts.HOST, "--report-port=" + n.serverPort,
                "--max-connections=60", "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=2",
                "--sync-binlog=0", "--performance-schema=OFF"));
        if (mysql) {
            // MySQL's X plugin would take port 33060 in every container of the host network
            args.addAll(List.of("--mysqlx=OFF", "--gtid-mode=ON", "--enforce-gtid-consistency=ON",
                    "--log-replica-updates=ON", "--replica-net-timeout=5"));
        } else {
            args.addAll(List.of("--binlog-format=ROW", "--log-slave-updates=ON", "--gtid-strict-mode=ON",
                    "--slave-net-timeout=5"));
        }
        if (n.role == Role.REPLICA) {
            args.add("--read-only=ON");
        }
        var root = LocalTopology.readSecret(rootPasswordFile());
        var rootHost = hostNetwork() ? LoopbackPorts.HOST : "%";
        var c = container().withCommand(args.toArray(String[]::new));
        return mysql ? c.withEnv("MYSQL_ROOT_PASSWORD", root).withEnv("MYSQL_ROOT_HOST", rootHost)
                : c.withEnv("MARIADB_ROOT_PASSWORD", root).withEnv("MARIADB_ROOT_HOST", rootHost);
    }

    /** drctl's account and the replication account, on every node, with binary logging off (as the local one). */
    private void createAccounts(Node n) {
        var host = hostNetwork() ? LoopbackPorts.HOST : "%";
        var repl = LocalTopology.readSecret(replicationPasswordFile());
        try (var c = open(n.serverPort, "root", LocalTopology.readSecret(rootPasswordFile()));
             var s = c.createStatement()) {
            s.execute("SET SESSION sql_log_bin = 0");
            s.execute("CREATE USER '" + USER + "'@'" + host + "' IDENTIFIED BY '" + password() + "'");
            s.execute("GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'" + host + "' WITH GRANT OPTION");
            s.execute("CREATE USER '" + replicationUser() + "'@'" + host + "' IDENTIFIED BY '" + repl + "'");
            s.execute("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + replicationUser() + "'@'"
                    + host + "'");
        } catch (SQLException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "creating accounts on " + n.name + ": "
                    + e.getMessage());
        }
    }

    private void follow(Node replica, Node primary) {
        var repl = LocalTopology.readSecret(replicationPasswordFile());
        try (var c = open(replica.serverPort, USER, password()); var s = c.createStatement()) {
            if (engine == Engine.MYSQL) {
                s.execute("CHANGE REPLICATION SOURCE TO SOURCE_HOST='" + upstreamHost(primary) + "', SOURCE_PORT="
                        + upstreamPort(replica, primary) + ", SOURCE_USER='" + replicationUser()
                        + "', SOURCE_PASSWORD='" + repl + "', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1,"
                        + " SOURCE_CONNECT_RETRY=1, SOURCE_HEARTBEAT_PERIOD=1");
                s.execute("START REPLICA");
            } else {
                s.execute("CHANGE MASTER TO MASTER_HOST='" + upstreamHost(primary) + "', MASTER_PORT="
                        + upstreamPort(replica, primary) + ", MASTER_USER='" + replicationUser()
                        + "', MASTER_PASSWORD='" + repl + "', MASTER_USE_GTID=slave_pos,"
                        + " MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1");
                s.execute("START SLAVE");
            }
        } catch (SQLException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED,
                    "setting up replication on " + replica.name + ": " + e.getMessage());
        }
    }

    /** See {@link FirstTransaction}: a fresh MariaDB/MySQL node has an empty GTID position. */
    private void seedFirstTransaction(Node primary, Deadline deadline) {
        var replicas = new LinkedHashMap<NodeName, Integer>();
        nodes.subList(1, nodes.size()).forEach(n -> replicas.put(n.name, n.serverPort));
        FirstTransaction.of(engine).seed(primary.name, primary.serverPort, replicas,
                port -> open(port, USER, password()), deadline);
    }

    private void awaitStreaming(Node replica, Deadline deadline) {
        deadline.await(replica.name + " streaming from its upstream", () -> {
            try (var c = open(replica.serverPort, USER, password())) {
                var why = notStreaming(c);
                return why.isEmpty() ? Deadline.Attempt.done() : Deadline.Attempt.<Boolean>notYet(why.get());
            } catch (SQLException e) {
                return Deadline.Attempt.notYet(e.getMessage());
            }
        });
    }

    private Optional<String> notStreaming(Connection replica) throws SQLException {
        var query = switch (engine) {
            case POSTGRESQL -> "SELECT status FROM pg_stat_wal_receiver";
            case MARIADB -> "SHOW SLAVE STATUS";
            case MYSQL -> "SHOW REPLICA STATUS";
        };
        try (var s = replica.createStatement(); var rs = s.executeQuery(query)) {
            if (!rs.next()) {
                return Optional.of(engine == Engine.POSTGRESQL ? "no WAL receiver running" : "replication not configured");
            }
            return switch (engine) {
                case POSTGRESQL -> "streaming".equals(rs.getString(1)) ? Optional.empty()
                        : Optional.of("WAL receiver " + rs.getString(1));
                case MARIADB -> threads(rs.getString("Slave_IO_Running"), rs.getString("Slave_SQL_Running"),
                        rs.getString("Last_IO_Error"));
                case MYSQL -> threads(rs.getString("Replica_IO_Running"), rs.getString("Replica_SQL_Running"),
                        rs.getString("Last_IO_Error"));
            };
        }
    }

    private static Optional<String> threads(String io, String sql, String lastError) {
        return "Yes".equals(io) && "Yes".equals(sql) ? Optional.empty()
                : Optional.of("IO thread " + io + ", SQL thread " + sql + ", last IO error: " + lastError);
    }

    private Connection open(int port, String user, String password) throws SQLException {
        var props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        if (engine == Engine.POSTGRESQL) {
            props.setProperty("connectTimeout", "10");
            props.setProperty("socketTimeout", "60");
            props.setProperty("ApplicationName", "drctl-testenv");
            return new org.postgresql.Driver().connect(
                    "jdbc:postgresql://" + LoopbackPorts.HOST + ":" + port + "/postgres", props);
        }
        props.setProperty("connectTimeout", "10000");
        props.setProperty("socketTimeout", "60000");
        props.setProperty("sslMode", "DISABLED");
        props.setProperty("allowPublicKeyRetrieval", "true");
        return new com.mysql.cj.jdbc.Driver().connect("jdbc:mysql://" + LoopbackPorts.HOST + ":" + port + "/", props);
    }

    private void writeFiles() {
        var header = "A " + engine.configName() + " topology in containers (" + settings.image() + ", "
                + settings.network().configName() + " network) started by drctl testenv in " + dir + ".";
        files.writeConfig(clusterSpec(), header);
        var primary = nodes.getFirst();
        files.writeWriterRecord(cluster, primary.name, primary.port);
    }

    // --- builder --------------------------------------------------------------------------------------------------

    /**
     * How to build a containers topology; {@link #start()} returns once every server is ready and replicas stream.
     * The cluster is named {@code testenv-pg-ct}, {@code testenv-mdb-ct}, {@code testenv-my-ct} unless told
     * otherwise; bring-up may take 180 s by default; {@link #proxied} needs the host network.
     */
    public static final class Builder extends TopologyBuilder<Builder> {
        private String image;
        private ContainerSettings.ContainerNetwork network;

        private Builder(Engine engine) {
            super(engine, Duration.ofSeconds(180));
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The server image (default: see {@link ContainerSettings#configured}). */
        public Builder image(String image) {
            this.image = image;
            return this;
        }

        /** The network mode (default: see {@link ContainerSettings#configured}). */
        public Builder network(ContainerSettings.ContainerNetwork network) {
            this.network = network;
            return this;
        }

        /**
         * Starts the containers and returns once each server accepts connections and each replica streams. Fails
         * fast ({@link TestenvErrorCode#CONTAINER_ENGINE_MISSING}) when no engine answers; on any failure what was
         * started is removed again.
         */
        public ContainerTopology start() {
            var shape = shape();
            var engine = engine();
            ContainerEngine.require();
            var defaults = image == null || network == null ? ContainerSettings.configured(engine, System.getenv())
                    : null;
            var settings = new ContainerSettings(image != null ? image : defaults.image(),
                    network != null ? network : defaults.network());
            if (shape.proxied() && settings.network() != ContainerSettings.ContainerNetwork.HOST) {
                throw new DrctlException(TestenvErrorCode.BAD_REQUEST,
                        "fault proxies run on this machine's loopback: a proxied topology needs the host network");
            }
            var missing = ContainerEngine.obtain(settings.image(), Duration.ofMinutes(5));
            if (missing.isPresent()) {
                throw new DrctlException(TestenvErrorCode.IMAGE_UNAVAILABLE, missing.get());
            }
            boolean dirOwned = chosenDir().isEmpty();
            Path root;
            try {
                root = dirOwned ? Files.createTempDirectory("drctl-testenv-ct-") : chosenDir().get().toAbsolutePath();
            } catch (IOException e) {
                throw new DrctlException(TestenvErrorCode.IO, "cannot create the topology's directory: "
                        + e.getMessage());
            }
            var files = new TopologyFiles(root);
            files.create();
            files.generateSecrets(SECRETS);
            var cluster = new ClusterName(clusterNameOr("testenv-" + shape.nodePrefix() + "-ct"));
            var topology = new ContainerTopology(engine, cluster, root, dirOwned, settings, shape.wire(),
                    readyTimeout());
            return bringUp(topology, t -> {
                t.teardown.atExit("testenv-containers-" + cluster, t::close);
                t.bootstrap(Deadline.in(readyTimeout()));
                t.writeFiles();
            });
        }
    }
}
