package dev.drctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drctl.testenv.LocalNode;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.testenv.TestenvErrorCode;
import dev.drctl.testenv.TopologyFiles;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import dev.drctl.topology.ErrorCode;
import dev.drctl.topology.NodeName;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drctl testenv up|down|status|kill|stop|start}: a disposable local topology from the server binaries on this
 * machine. {@code up} leaves the servers running after drctl exits, unproxied (fault proxies live only inside the
 * JVM that starts a topology from Java); every other subcommand finds them through {@code DIR/testenv.json}.
 */
@Command(name = "testenv", description = "Start and stop disposable local topologies.",
        subcommands = {TestenvCommand.Up.class, TestenvCommand.Down.class, TestenvCommand.Status.class,
                TestenvCommand.Kill.class, TestenvCommand.Stop.class, TestenvCommand.Start.class})
final class TestenvCommand extends CommandGroup {
    @Override
    String example() {
        return "drctl testenv up --engine postgresql --replicas 2";
    }

    /** {@code --dir DIR}; the default is one fixed place per user, so {@code up} and {@code down} pair without it. */
    static final class DirOption {
        @Option(names = "--dir", paramLabel = "DIR",
                description = "The topology's directory (default: ~/.drctl/testenv).")
        Path dir;

        Path resolve(Host host) {
            if (dir != null) {
                return dir.toAbsolutePath();
            }
            var home = host.environment().getOrDefault("HOME", System.getProperty("user.home"));
            return Path.of(home, ".drctl", "testenv");
        }
    }

    static String describe(LocalNode n) {
        return String.format(Locale.ROOT, "%-8s %-10s %-21s %-14s %s", n.name(), n.role().name().toLowerCase(Locale.ROOT),
                n.host() + ":" + n.port(), n.region(),
                n.pid().isPresent() ? "running (pid " + n.pid().getAsLong() + ")" : "not running");
    }

    static void printNodes(PrintWriter out, List<LocalNode> nodes) {
        // the role each server was started with: testenv does not probe; after a failover drctl status tells roles now
        out.println(String.format(Locale.ROOT, "%-8s %-10s %-21s %-14s %s", "NODE", "STARTED AS", "ADDRESS", "REGION",
                "STATE"));
        nodes.forEach(n -> out.println(describe(n)));
    }

    @Command(name = "up", description = "Start a primary and N replicas on free 127.0.0.1 ports; returns once every "
            + "replica streams, and writes DIR/drctl.yaml.")
    static final class Up implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        DirOption dir;

        @Mixin
        OutputOption output;
        @Mixin
        BinariesOption binaries;

        @Option(names = "--engine", required = true, paramLabel = "ENGINE",
                description = "postgresql or mariadb.")
        String engine;

        @Option(names = "--replicas", paramLabel = "N", defaultValue = "2",
                description = "Number of replicas (default: ${DEFAULT-VALUE}).")
        int replicas;

        @Option(names = "--regions", paramLabel = "R1,R2,...", split = ",",
                description = "One region per node, primary first (default: all 'local').")
        List<String> regions = new ArrayList<>();

        @Option(names = "--sync", description = "Synchronous replication from the primary: PostgreSQL "
                + "synchronous_standby_names = 'ANY 1 (*)', MariaDB semi-synchronous replication (a commit returns "
                + "once a replica has it). A promoted replica runs asynchronously until set again.")
        boolean sync;

        private final Host host;

        Up(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() throws JsonProcessingException {
            var chosen = switch (engine.toLowerCase(Locale.ROOT)) {
                case "postgresql", "postgres", "pg" -> Engine.POSTGRESQL;
                case "mariadb" -> Engine.MARIADB;
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--engine: expected postgresql or mariadb, got '" + engine + "'");
            };
            var source = binaries.source(chosen);
            var where = dir.resolve(host);
            if (LocalTopology.recordedIn(where)) {
                var running = LocalTopology.attach(where).nodes().stream().filter(LocalNode::running)
                        .map(n -> n.name().value()).toList();
                throw new DrctlException(TestenvErrorCode.ALREADY_UP, "a testenv topology is already up in " + where
                        + (running.isEmpty() ? " (no server running)" : " (running: " + String.join(", ", running) + ")")
                        + "; stop it with `drctl testenv down" + (dir.dir == null ? "" : " --dir " + where)
                        + "` or pick another --dir");
            }
            var err = spec.commandLine().getErr();
            var archived = new TopologyFiles(where).archiveStore(host.clock().instant());
            archived.ifPresent(a -> err.println("drctl testenv: the state store of the topology that was in " + where
                    + " (its journal, cooldowns and epochs) is kept as " + a + "; this one starts with its own"));
            err.println("drctl testenv: starting " + chosen.configName() + ", 1 primary + " + replicas + " replica"
                    + (replicas == 1 ? "" : "s") + " in " + where + " ...");
            err.flush();
            var topology = LocalTopology.builder(chosen).replicas(replicas).regions(regions).dir(where)
                    .postgresBinaries(source).keepRunningAfterExit(true).start();
            if (sync) {
                try {
                    topology.makeSynchronous();
                } catch (RuntimeException e) {
                    topology.close();
                    throw e;
                }
            }
            // The topology's state store exists from the start, so every look (status, candidates) records its rounds
            // and a later failover knows the primary's last position instead of refusing the loss as unknown.
            try (var store = AuditCommand.open(dev.drctl.topology.ConfigLoader.load(topology.configFile()), host)) {
                store.schemaVersion();
            }
            var out = spec.commandLine().getOut();
            switch (output.format()) {
                case TABLE -> {
                    out.println("testenv up: " + topology.clusterName() + " (" + chosen.configName() + ", "
                            + (sync ? "synchronous" : "asynchronous") + " replication) in " + where);
                    printNodes(out, topology.nodes());
                    out.println("config:   " + topology.configFile());
                    out.println("password: " + topology.passwordFile() + " (user drctl)");
                    out.println("next:     drctl status -c " + topology.configFile());
                    out.println("daemon:   drctl run -c " + topology.configFile() + "  (failover mode auto: kill the "
                            + "primary (drctl testenv kill NODE) and it fails over by itself)");
                    out.println("stop it:  drctl testenv down" + (dir.dir == null ? "" : " --dir " + where));
                }
                case JSON -> out.println(Json.pretty(Status.view(topology, where)));
            }
            out.flush();
            return ErrorCode.OK;
        }
    }

    @Command(name = "down", description = "Stop every server of the topology and remove its data directories; "
            + "with nothing up, says so and exits 0 (down is what the user wants, and it is so).")
    static final class Down implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        DirOption dir;
        @Mixin
        OutputOption output;
        private final Host host;

        Down(Host host) {
            this.host = host;
        }

        /** What {@code testenv down -o json} prints; {@code cluster} is null when nothing was recorded in {@code dir}. */
        record DownView(String dir, String cluster, List<String> stopped, boolean removed) {
        }

        @Override
        public Integer call() throws JsonProcessingException {
            var where = dir.resolve(host);
            var out = spec.commandLine().getOut();
            if (!LocalTopology.recordedIn(where)) {
                switch (output.format()) {
                    case TABLE -> out.println("testenv down: nothing was running (no topology in " + where + ")");
                    case JSON -> out.println(Json.pretty(new DownView(where.toString(), null, List.of(), false)));
                }
                out.flush();
                return ErrorCode.OK;
            }
            var topology = LocalTopology.attach(where);
            var running = topology.nodes().stream().filter(LocalNode::running).toList();
            var data = topology.serverRoot();
            topology.close();
            var stopped = running.stream().map(n -> n.name() + " (pid " + n.pid().getAsLong() + ")").toList();
            switch (output.format()) {
                case TABLE -> {
                    out.println(running.isEmpty() ? "testenv down: no server of " + topology.clusterName()
                            + " was running" : "testenv down: stopped " + String.join(", ", stopped));
                    out.println("removed:  the data directories and server logs in " + data
                            + ", the secrets and testenv.json");
                    out.println("kept:     " + topology.configFile() + " and the journal in " + where
                            + " (the next testenv up there moves it to " + where.resolve("journals")
                            + " and starts a fresh one)");
                }
                case JSON -> out.println(Json.pretty(new DownView(where.toString(), topology.clusterName().value(),
                        running.stream().map(n -> n.name().value()).toList(), true)));
            }
            out.flush();
            return ErrorCode.OK;
        }
    }

    @Command(name = "status", description = "Show the topology's nodes and whether each server runs.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        DirOption dir;
        @Mixin
        OutputOption output;
        private final Host host;

        Status(Host host) {
            this.host = host;
        }

        record NodeView(String node, String role, String host, int port, int serverPort, String region,
                        boolean running, Long pid) {
        }

        record View(String cluster, String engine, String dir, String config, List<NodeView> nodes) {
        }

        static View view(LocalTopology topology, Path where) {
            return new View(topology.clusterName().value(), topology.engine().configName(),
                    where.toString(), topology.configFile().toString(), topology.nodes().stream()
                    .map(n -> new NodeView(n.name().value(), n.role().name().toLowerCase(Locale.ROOT),
                            n.host(), n.port(), n.serverPort(), n.region(), n.running(),
                            n.pid().isPresent() ? n.pid().getAsLong() : null)).toList());
        }

        @Override
        public Integer call() throws JsonProcessingException {
            var where = dir.resolve(host);
            var topology = LocalTopology.attach(where);
            var nodes = topology.nodes();
            var out = spec.commandLine().getOut();
            switch (output.format()) {
                case TABLE -> {
                    out.println(topology.clusterName() + " (" + topology.engine().configName() + ") in " + where);
                    printNodes(out, nodes);
                    out.println("config: " + topology.configFile());
                    out.println("roles now (after any failover): drctl status -c " + topology.configFile());
                }
                case JSON -> out.println(Json.pretty(view(topology, where)));
            }
            out.flush();
            return ErrorCode.OK;
        }
    }

    /** What kill, stop and start share: the directory and one node. */
    abstract static class NodeAction implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        DirOption dir;
        @Parameters(index = "0", paramLabel = "NODE", description = "The node, e.g. pg-2.")
        String node;
        @Mixin
        OutputOption output;
        private final Host host;

        NodeAction(Host host) {
            this.host = host;
        }

        abstract String act(LocalTopology topology, NodeName node, LocalNode before);

        /** What {@code testenv kill|stop|start -o json} prints: the node's state after the action. */
        record ActionView(String node, String action, String message, boolean running, Long pid) {
        }

        @Override
        public Integer call() throws JsonProcessingException {
            var topology = LocalTopology.attach(dir.resolve(host));
            var name = new NodeName(node);
            var before = topology.node(name);
            var message = act(topology, name, before);
            var out = spec.commandLine().getOut();
            switch (output.format()) {
                case TABLE -> out.println(message);
                case JSON -> {
                    var after = topology.node(name);
                    out.println(Json.pretty(new ActionView(node, spec.name(), message, after.running(),
                            after.pid().isPresent() ? after.pid().getAsLong() : null)));
                }
            }
            out.flush();
            return ErrorCode.OK;
        }
    }

    @Command(name = "kill", description = "kill -9 a node's server (and its processes), as a crash would.")
    static final class Kill extends NodeAction {
        Kill(Host host) {
            super(host);
        }

        @Override
        String act(LocalTopology topology, NodeName node, LocalNode before) {
            if (!before.running()) {
                return node + " is not running; nothing to kill";
            }
            topology.kill(node);
            return "killed " + node + " (pid " + before.pid().getAsLong() + ") with SIGKILL";
        }
    }

    @Command(name = "stop", description = "Stop a node's server cleanly.")
    static final class Stop extends NodeAction {
        Stop(Host host) {
            super(host);
        }

        @Override
        String act(LocalTopology topology, NodeName node, LocalNode before) {
            if (!before.running()) {
                return node + " is not running";
            }
            topology.stop(node);
            return "stopped " + node + " (pid " + before.pid().getAsLong() + ")";
        }
    }

    @Command(name = "start", description = "Start a stopped or killed node's server; returns once it accepts connections.")
    static final class Start extends NodeAction {
        Start(Host host) {
            super(host);
        }

        @Override
        String act(LocalTopology topology, NodeName node, LocalNode before) {
            if (before.running()) {
                return node + " is already running (pid " + before.pid().getAsLong() + ")";
            }
            topology.start(node);
            return "started " + node + " (pid " + topology.node(node).pid().orElse(0) + ")";
        }
    }
}
