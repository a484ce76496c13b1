package dev.drctl.testenv;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NotificationsSpec;
import dev.drctl.topology.Role;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A primary and N replicas started from the server binaries installed on this machine, on free 127.0.0.1 ports, in
 * one directory. Built by {@link #builder(Engine)}; found again by a later process with {@link #attach(Path)}.
 *
 * <p>The directory holds {@code drctl.yaml} (the config drctl uses), {@code secrets/db-password} (the drctl user's
 * generated password, mode 600), {@code testenv.json} (the state a later {@code drctl testenv down} reads),
 * {@code dns/} (the file DNS provider's record) and {@code servers/} (data directories and server logs; when the
 * servers run as another OS user that cannot reach the directory, e.g. root's home, they live in a temporary
 * directory recorded in {@code testenv.json} instead).
 *
 * <p>A topology started from Java is stopped by {@link #close()} or, failing that, by a JVM shutdown hook; one started
 * with {@link Builder#keepRunningAfterExit(boolean)} (the shell's {@code drctl testenv up}) outlives the JVM.
 * Fault proxies ({@link Builder#proxied(boolean)}) live in the JVM that started the topology, so a proxied topology
 * cannot outlive it.
 */
public abstract sealed class LocalTopology implements Topology permits LocalPostgresTopology, LocalMariadbTopology {
    static final String USER = "drctl";
    public static final String CONFIG_FILE = TopologyFiles.CONFIG_FILE;

    final TopologyLayout layout;
    final ServerAccount account;
    private final TopologyFiles files;
    private final FaultLinks links;
    /** The JVM holding the proxies (when proxied); an attached view keeps what the starting process recorded. */
    private final long ownerPid;
    private final Teardown teardown;
    /** Extra listen addresses and connection limit, given by the builder before bootstrap; see {@link ServerReach}. */
    ServerReach reach = ServerReach.DEFAULT;

    LocalTopology(TopologyLayout layout, FaultLinks links, long ownerPid) {
        this.layout = layout;
        this.ownerPid = ownerPid;
        this.account = layout.account();
        this.files = new TopologyFiles(layout.dir());
        this.links = links;
        this.teardown = new Teardown(links);
    }

    /** A builder for a topology of {@code engine} (PostgreSQL or MariaDB). */
    public static Builder builder(Engine engine) {
        return new Builder(engine);
    }

    /**
     * The topology recorded in {@code dir} by an earlier process, to stop, kill, start or tear down its servers. It
     * has no shutdown hook (closing it is the caller's decision) and no proxies (they lived in the other JVM).
     *
     * @throws DrctlException {@link TestenvErrorCode#NOT_UP} when {@code dir} holds no topology
     */
    public static LocalTopology attach(Path dir) {
        var state = TestenvState.read(dir.toAbsolutePath());
        var engine = Arrays.stream(Engine.values()).filter(e -> e.configName().equals(state.engine())).findFirst()
                .orElseThrow(() -> new DrctlException(TestenvErrorCode.IO,
                        "unknown engine '" + state.engine() + "' in " + TestenvState.file(dir)));
        var layout = new TopologyLayout(engine, new ClusterName(state.cluster()), Path.of(state.dir()),
                Path.of(state.serverRoot()), state.separateRoot(), false,
                new ServerAccount(Optional.ofNullable(state.runAs())), state.programs(), state.proxied(),
                state.nodes().stream().map(TestenvState.Node::layout).toList());
        return create(layout, FaultLinks.none("proxies live in the JVM that started the topology"),
                state.ownerPid());
    }

    /** Whether {@code dir} records a topology (running or not). */
    public static boolean recordedIn(Path dir) {
        return TestenvState.exists(dir.toAbsolutePath());
    }

    private static LocalTopology create(TopologyLayout layout, FaultLinks links, long ownerPid) {
        return switch (layout.engine()) {
            case POSTGRESQL -> new LocalPostgresTopology(layout, links, ownerPid);
            case MARIADB -> new LocalMariadbTopology(layout, links, ownerPid);
            case MYSQL -> throw new DrctlException(TestenvErrorCode.BAD_REQUEST,
                    "local topologies run postgresql or mariadb; MySQL needs containers");
        };
    }

    // --- what each engine does -------------------------------------------------------------------------------

    /** Creates, configures and starts every server, then waits until every replica streams. */
    abstract void bootstrap(Deadline deadline);

    /**
     * Makes the current primary's commits wait for a replica (PostgreSQL {@code synchronous_standby_names =
     * 'ANY 1 (*)'}, MariaDB semi-synchronous replication) and returns once one replica acknowledges synchronously.
     * Only the current primary is set: a promoted replica runs asynchronously until it is made synchronous in turn
     * (its commits would otherwise wait for replicas the failover re-points only after checking it takes writes).
     *
     * @throws DrctlException {@link TestenvErrorCode#NOT_READY} when no replica acknowledges within 60 s
     */
    public void makeSynchronous() {
        synchronous(Deadline.in(Duration.ofSeconds(60)));
    }

    abstract void synchronous(Deadline deadline);

    /** The node's running server process, read from its pid file. */
    abstract Optional<ServerProcess> process(NodeLayout node);

    /** Starts the node's server and waits until it accepts connections. */
    abstract void startServer(NodeLayout node, Deadline deadline);

    /** Stops the node's server cleanly and waits until it is gone. */
    abstract void stopServer(NodeLayout node, ServerProcess process, Deadline deadline);

    /** Stops the node's server as fast as possible (its data is thrown away next) and waits until it is gone. */
    abstract void discardServer(NodeLayout node, ServerProcess process, Deadline deadline);

    /** A JDBC connection as drctl to {@code port} on 127.0.0.1. */
    abstract Connection open(int port) throws SQLException;

    Connection open(NodeLayout node) throws SQLException {
        return open(node.serverPort());
    }

    /** Why {@code replica} is not streaming from its upstream yet, or empty when it is. */
    abstract Optional<String> notStreaming(Connection replica) throws SQLException;

    // --- Topology ---------------------------------------------------------------------------------------------

    @Override
    public Engine engine() {
        return layout.engine();
    }

    public ClusterName clusterName() {
        return layout.cluster();
    }

    @Override
    public List<LocalNode> nodes() {
        return layout.nodes().stream().map(this::view).toList();
    }

    @Override
    public LocalNode node(NodeName name) {
        return view(layout(name));
    }

    private LocalNode view(NodeLayout n) {
        return new LocalNode(n.name(), LoopbackPorts.HOST, n.port(), n.serverPort(), n.region(), n.role(),
                ServerProcess.pidOf(process(n)));
    }

    @Override
    public NodeName primary() {
        return layout.nodes().getFirst().name();
    }

    @Override
    public List<NodeName> replicas() {
        return layout.nodes().stream().filter(n -> n.role() == Role.REPLICA).map(NodeLayout::name).toList();
    }

    @Override
    public Path dir() {
        return layout.dir();
    }

    /** Where the server data directories and logs live (inside {@link #dir()} unless the server user cannot reach it). */
    public Path serverRoot() {
        return layout.serverRoot();
    }

    @Override
    public Path configFile() {
        return files.configFile();
    }

    /** The file holding the drctl user's password (mode 600), referenced by the config as {@code ${file:…}}. */
    public Path passwordFile() {
        return files.secret(TopologyFiles.DB_PASSWORD);
    }

    Path secrets() {
        return files.secrets();
    }

    /** The drctl user's password (tests that build their own connections need it; never print it). */
    public String password() {
        return readSecret(passwordFile());
    }

    public static String readSecret(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot read the secret " + file + ": " + e.getMessage());
        }
    }

    /** The account replicas stream as ({@code replicator} on PostgreSQL, {@code repl} on MariaDB); not drctl's. */
    public abstract String replicationUser();

    /** The replication account's password (a file under {@code secrets/}). */
    public Path replicationPasswordFile() {
        return files.secret(TopologyFiles.REPLICATION_PASSWORD);
    }

    /** Where {@code node}'s server lives on this machine (data directory, programs, OS account, log). */
    public LocalServerFiles serverFiles(NodeName node) {
        var n = layout(node);
        return new LocalServerFiles(n.dataDir(), Path.of(layout.programs().getFirst()), account.user(), n.log());
    }

    /**
     * Makes a fence of {@code node} survive a restart of its server, for a server this machine runs (what an operator
     * does on a real host when the engine cannot persist its read-only switch). Idempotent.
     *
     * @return what was done, one line
     */
    public abstract String holdReadOnly(NodeName node);

    /**
     * Fences {@code node} while its server is down, so that any restart brings it back non-writable (safety rule 4:
     * an old primary that could not be reached at failover must never take a write when it returns). Refused while
     * the server runs: a file does not stop a running server from writing. Idempotent.
     *
     * @return what was done, one line
     */
    public String holdWhileDown(NodeName node) {
        var n = layout(node);
        if (process(n).isPresent()) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "the server of " + node + " runs on this "
                    + "machine (it does not answer): a file cannot hold it");
        }
        return holdOnRestart(n);
    }

    /** Writes what keeps {@code node}'s stopped server non-writable when it starts again. */
    abstract String holdOnRestart(NodeLayout node);

    public boolean proxied() {
        return layout.proxied();
    }

    @Override
    public ClusterSpec clusterSpec() {
        var nodes = layout.nodes().stream().map(n -> TopologyFiles.nodeSpec(n.name(), n.port(), n.region())).toList();
        return files.clusterSpec(layout.cluster(), layout.engine(), nodes, replicationUser());
    }

    @Override
    public DrctlConfig drctlConfig() {
        return new DrctlConfig(configFile(), List.of(clusterSpec()), NotificationsSpec.none(), files.compliance(),
                List.of(), ConfigFile.DAEMON);
    }

    @Override
    public Connection connect(NodeName node) {
        var n = layout(node);
        try {
            return open(n);
        } catch (SQLException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED,
                    "cannot connect to " + node + " at " + LoopbackPorts.HOST + ":" + n.serverPort() + " as " + USER
                            + ": " + e.getMessage());
        }
    }

    @Override
    public Connection connectViaConfigPort(NodeName node) {
        var n = layout(node);
        try {
            return open(n.port());
        } catch (SQLException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED,
                    "cannot connect to " + node + " at " + LoopbackPorts.HOST + ":" + n.port() + " as " + USER
                            + ": " + e.getMessage());
        }
    }

    @Override
    public void kill(NodeName node) {
        var n = layout(node);
        // the port is free until the node is started again: kept from other drctl processes meanwhile
        LoopbackPorts.claim(n.serverPort());
        process(n).ifPresent(p -> ServerProcess.awaitGone(p.kill(), "killing " + node, Duration.ofSeconds(30)));
        writeState();
    }

    @Override
    public void stop(NodeName node) {
        var n = layout(node);
        LoopbackPorts.claim(n.serverPort());
        process(n).ifPresent(p -> stopServer(n, p, Deadline.in(Duration.ofSeconds(60))));
        writeState();
    }

    @Override
    public void start(NodeName node) {
        var n = layout(node);
        if (process(n).isEmpty()) {
            startServer(n, Deadline.in(Duration.ofSeconds(90)));
        }
        writeState();
    }

    @Override
    public void awaitStreaming(NodeName replica) {
        awaitStreaming(layout(replica), Deadline.in(Duration.ofSeconds(60)));
    }

    void awaitStreaming(NodeLayout replica, Deadline deadline) {
        deadline.await(replica.name() + " streaming from its primary", () -> {
            try (var c = open(replica)) {
                return notStreaming(c).<Deadline.Attempt<Boolean>>map(Deadline.Attempt::notYet)
                        .orElseGet(Deadline.Attempt::done);
            } catch (SQLException e) {
                return Deadline.Attempt.notYet(e.getMessage());
            }
        });
    }

    /** Waits until the node's server accepts a connection as drctl and answers a query. */
    void awaitAccepting(NodeLayout node, Deadline deadline, Runnable checkAlive) {
        deadline.await(node.name() + " accepting connections on port " + node.serverPort(), () -> {
            checkAlive.run();
            try (var c = open(node); var s = c.createStatement()) {
                s.execute("SELECT 1");
                return Deadline.Attempt.done();
            } catch (SQLException e) {
                return Deadline.Attempt.notYet(e.getMessage());
            }
        });
    }

    @Override
    public FaultProxy drctlLink(NodeName node) {
        layout(node);
        return links.drctlLink(node);
    }

    @Override
    public FaultProxy replicationLink(NodeName replica) {
        layout(replica);
        return links.replicationLink(replica, replicas());
    }

    NodeLayout layout(NodeName node) {
        return layout.nodes().stream().filter(n -> n.name().equals(node)).findFirst()
                .orElseThrow(() -> new DrctlException(TestenvErrorCode.BAD_REQUEST, "no node " + node + " in "
                        + layout.cluster() + "; its nodes are "
                        + layout.nodes().stream().map(n -> n.name().value()).toList()));
    }

    /**
     * Stops every proxy and server (fast: the data is thrown away), waits until their processes are gone, and
     * removes the server data, the state file and the secrets; the config, logs and journal stay (the whole directory
     * goes when testenv created it). Idempotent; also run by the shutdown hook.
     */
    @Override
    public void close() {
        if (!teardown.begin()) {
            return;
        }
        var failures = new ConcurrentHashMap<NodeName, RuntimeException>();
        var threads = new ArrayList<Thread>();
        for (var n : layout.nodes()) {
            threads.add(Thread.ofVirtual().name("testenv-down-" + n.name()).start(() -> {
                try {
                    process(n).ifPresent(p -> discardServer(n, p, Deadline.in(Duration.ofSeconds(60))));
                } catch (RuntimeException e) {
                    failures.put(n.name(), e);
                }
            }));
        }
        for (var t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!failures.isEmpty()) {
            teardown.failed();
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "could not stop " + failures.keySet() + ": "
                    + failures.values().iterator().next().getMessage() + "; data kept in " + layout.serverRoot());
        }
        if (layout.dirOwned()) {
            delete(layout.dir());
            if (layout.separateRoot()) {
                delete(layout.serverRoot());
            }
            return;
        }
        delete(layout.serverRoot());
        delete(secrets());
        delete(TestenvState.file(layout.dir()));
    }

    // --- state, config, files ---------------------------------------------------------------------------------

    void writeState() {
        if (teardown.begun()) {
            return;
        }
        var nodes = layout.nodes().stream()
                .map(n -> TestenvState.Node.of(n, process(n).map(ServerProcess::pid).orElse(0L))).toList();
        new TestenvState(1, layout.engine().configName(), layout.cluster().value(), layout.dir().toString(),
                layout.serverRoot().toString(), layout.separateRoot(), account.user().orElse(null), layout.programs(),
                layout.proxied(), ownerPid, nodes).write();
    }

    public static final int WRITER_TTL = TopologyFiles.WRITER_TTL;

    void writeWriterRecord() {
        var primary = layout.nodes().stream().filter(n -> n.role() == Role.PRIMARY).findFirst().orElseThrow();
        files.writeWriterRecord(layout.cluster(), primary.name(), primary.port());
    }

    void writeConfig() {
        var header = "A local " + layout.engine().configName() + " topology started by drctl testenv in "
                + layout.dir() + (layout.proxied() ? " (through fault proxies in JVM " + ProcessHandle.current().pid()
                + ")" : "") + ".\nRewritten by the next `drctl testenv up`; `drctl testenv down` stops its servers.";
        files.writeConfig(clusterSpec(), header);
    }

    private void registerShutdownHook() {
        teardown.atExit("testenv-shutdown-" + layout.cluster(), this::close);
    }

    public static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot write " + file + ": " + e.getMessage());
        }
    }

    static void appendString(Path file, String text) {
        try {
            Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot write " + file + ": " + e.getMessage());
        }
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot create " + dir + ": " + e.getMessage());
        }
    }

    public static void delete(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot remove " + path + ": " + e.getMessage());
        }
    }

    /** A secret of 24 letters and digits: safe inside SQL literals, conninfo strings and YAML without escaping. */
    public static String generatePassword(SecureRandom random) {
        var alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    public static void writeSecret(Path file, String value) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, value + "\n");
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot write the secret " + file + ": " + e.getMessage());
        }
    }

    // --- builder ----------------------------------------------------------------------------------------------

    /**
     * How to build a local topology; {@link #start()} returns once every server is ready and every replica streams.
     * The cluster is named {@code testenv-pg} / {@code testenv-mariadb} unless told otherwise; bring-up may take 120 s
     * by default; the directory must not hold a topology already.
     */
    public static final class Builder extends TopologyBuilder<Builder> {
        private boolean keepRunning;
        private Path binaries;
        private PostgresBinarySource postgresSource = PostgresBinarySource.INSTALLED;
        private List<List<String>> listenAlso = List.of();
        private int maxConnections;

        private Builder(Engine engine) {
            super(engine, Duration.ofSeconds(120));
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** One region per node, primary first (default: every node in {@code local}). */
        public Builder regions(String... regions) {
            return regions(List.of(regions));
        }

        /** Leave the servers running when this JVM exits (the shell's {@code drctl testenv up}); no shutdown hook. */
        public Builder keepRunningAfterExit(boolean keep) {
            this.keepRunning = keep;
            return this;
        }

        /**
         * Where to look for the server programs: for PostgreSQL a directory of {@code <major>/bin} (default
         * {@code /usr/lib/postgresql}); for MariaDB the directory holding {@code mariadbd} and
         * {@code mariadb-install-db} (default: {@code PATH}, then {@code /usr/sbin}, {@code /usr/bin}, ...).
         */
        public Builder binariesUnder(Path path) {
            this.binaries = path;
            return this;
        }

        /**
         * Where PostgreSQL's programs come from (default {@link PostgresBinarySource#INSTALLED}, under
         * {@link #binariesUnder}); {@link PostgresBinarySource#EMBEDDED} seeds replicas by a file copy of the
         * stopped primary, having no {@code pg_basebackup}.
         */
        public Builder postgresBinaries(PostgresBinarySource source) {
            this.postgresSource = java.util.Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Loopback addresses (127.0.0.0/8 only) each server listens on besides 127.0.0.1, one list per node, primary
         * first: for benchmarks that reach a few servers through many addresses. PostgreSQL takes at most 63 per
         * server (its limit of 64 listening sockets); MariaDB takes thousands (they are passed on its command line,
         * since an option file line is limited to 4 KB).
         */
        public Builder listenAlso(List<List<String>> addressesPerNode) {
            this.listenAlso = List.copyOf(addressesPerNode);
            return this;
        }

        /** Each server's {@code max_connections} (default: testenv's small one, 60). */
        public Builder maxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        /**
         * Starts the servers and returns once each accepts connections and each replica streams from the primary.
         * On failure everything started so far is stopped and removed again.
         */
        public LocalTopology start() {
            var shape = shape();
            int count = shape.nodeCount();
            if (shape.proxied() && keepRunning) {
                throw new DrctlException(TestenvErrorCode.BAD_REQUEST,
                        "a proxied topology cannot outlive its JVM: the fault proxies live in it");
            }
            var reach = new ServerReach(listenAlso, maxConnections);
            if (listenAlso.size() > count) {
                throw new DrctlException(TestenvErrorCode.BAD_REQUEST, "listen addresses are given for "
                        + listenAlso.size() + " nodes, the topology has " + count + " (primary first)");
            }
            var engine = engine();
            if (engine == Engine.POSTGRESQL && listenAlso.stream().anyMatch(a -> a.size() > ServerReach.POSTGRES_MAX_EXTRA)) {
                throw new DrctlException(TestenvErrorCode.BAD_REQUEST, "PostgreSQL listens on at most 64 addresses ("
                        + ServerReach.POSTGRES_MAX_EXTRA + " besides 127.0.0.1); use MariaDB or a forwarder for more");
            }
            record EngineSetup(List<String> programs, ServerAccount account) {
            }
            var setup = switch (engine) {
                case POSTGRESQL -> new EngineSetup(
                        List.of(PostgresBinaries.choose(postgresSource,
                                binaries != null ? binaries : PostgresBinaries.DEBIAN_ROOT).bin().toString()),
                        ServerAccount.forRootOr("postgres"));
                // mariadbd runs as the current user; as root it is told so with user=root (see LocalMariadbTopology)
                case MARIADB -> new EngineSetup(
                        MariadbBinaries.locate(binaries != null ? List.of(binaries)
                                : MariadbBinaries.defaultSearchPath(System.getenv("PATH"))).programs(),
                        ServerAccount.current());
                case MYSQL -> throw new DrctlException(TestenvErrorCode.BAD_REQUEST,
                        "local topologies run postgresql or mariadb; MySQL needs containers");
            };
            var programs = setup.programs();
            var account = setup.account();
            var name = new ClusterName(clusterNameOr(engine == Engine.POSTGRESQL ? "testenv-pg" : "testenv-mariadb"));

            boolean dirOwned = chosenDir().isEmpty();
            Path root;
            try {
                root = dirOwned ? Files.createTempDirectory("drctl-testenv-") : chosenDir().get().toAbsolutePath();
            } catch (IOException e) {
                throw new DrctlException(TestenvErrorCode.IO, "cannot create a temporary directory: " + e.getMessage());
            }
            if (TestenvState.exists(root)) {
                throw new DrctlException(TestenvErrorCode.ALREADY_UP, "a testenv topology is already recorded in "
                        + root + "; stop it with `drctl testenv down --dir " + root + "` (or pick another --dir)");
            }
            var files = new TopologyFiles(root);
            files.create();

            var serverRoot = root.resolve("servers");
            boolean separate = false;
            createDirectories(serverRoot);
            account.own(serverRoot);
            if (!account.canWrite(serverRoot)) {
                // e.g. root's home is closed to the postgres user: the data goes to a directory it can reach
                delete(serverRoot);
                try {
                    serverRoot = Files.createTempDirectory("drctl-testenv-servers-");
                } catch (IOException e) {
                    throw new DrctlException(TestenvErrorCode.IO, "cannot create a server directory: " + e.getMessage());
                }
                account.own(serverRoot);
                separate = true;
            }

            // both engines: replicas stream as their own replication account, never as drctl
            files.generateSecrets(List.of(TopologyFiles.DB_PASSWORD, TopologyFiles.REPLICATION_PASSWORD));

            var wiring = shape.wire();
            var nodes = new ArrayList<NodeLayout>();
            for (var n : wiring.nodes()) {
                nodes.add(new NodeLayout(n.name(), n.region(), n.role(), n.serverId(), n.serverPort(), n.port(),
                        n.upstreamPort(), serverRoot.resolve(n.name().value()),
                        serverRoot.resolve(n.name().value() + ".log")));
            }
            var layout = new TopologyLayout(engine, name, root, serverRoot, separate, dirOwned, account, programs,
                    shape.proxied(), nodes);
            var topology = create(layout, wiring.links(),
                    shape.proxied() ? ProcessHandle.current().pid() : 0);
            topology.reach = reach;
            return bringUp(topology, t -> {
                // recorded before anything starts, so a half-built topology can still be found and torn down
                t.writeState();
                if (!keepRunning) {
                    t.registerShutdownHook();
                }
                t.bootstrap(Deadline.in(readyTimeout()));
                t.writeConfig();
                t.writeWriterRecord();
                t.writeState();
            });
        }
    }
}
