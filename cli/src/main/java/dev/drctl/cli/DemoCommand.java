package dev.drctl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drctl.compliance.AuditExport;
import dev.drctl.compliance.ExportFormat;
import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.ReportPeriod;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.StateStore;
import dev.drctl.runbooks.drill.DrillActor;
import dev.drctl.runbooks.drill.DrillEnvironment;
import dev.drctl.runbooks.drill.LocalDrillEnvironment;
import dev.drctl.topology.DrillSpec;
import dev.drctl.runbooks.drill.DrillProgress;
import dev.drctl.runbooks.drill.DrillReport;
import dev.drctl.runbooks.drill.DrillResult;
import dev.drctl.runbooks.drill.DrillRunner;
import dev.drctl.testenv.TestenvErrorCode;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.ErrorCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drctl demo}: the first five minutes. A real local 1+2 topology from the installed server binaries (for
 * PostgreSQL, when none are installed, from the embedded build: {@link BinariesOption}), the
 * daemon in this process watching it in auto mode, a writer every 50 ms, the primary killed: the user watches
 * detection, decision, promotion, DNS and the writes resuming, then gets RTO/RPO and the HTML reports. Everything
 * started is torn down, also on Ctrl-C.
 *
 * <p>The demo is a {@code kill-primary} drill on a {@code local} environment (the drill runner's workload and
 * measurement); what it adds is the narration of the daemon's own run as it happens, and the reports.
 */
@Command(name = "demo", description = "A real local topology, the daemon watching it, the primary killed: watch the "
        + "failover live, get RTO/RPO and the HTML report; everything is torn down afterwards.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:what must happen happened, with the figures printed: the daemon failed over and the writes resumed "
                        + "(kill-primary), or no failover happened (blip, partition-drctl)",
                "1:the demo could not run (e.g. no server binaries installed), or the outcome was not the expected one",
                "2:bad usage"})
final class DemoCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** The failover policies the demo (and the failover benchmark) can run with. */
    enum Policy {
        /** The documented defaults: probes every 1 s, 3 failures spanning 3 s. */
        DEFAULT(""),
        /**
         * The fastest policy still confirmed by the replicas (the pipeline always asks them before promoting):
         * probes every 250 ms with a 200 ms budget, 2 failures spanning 500 ms.
         */
        FAST("probe-interval: 250ms, probe-timeout: 200ms, failure-threshold: 2, failure-window: 500ms, ");

        final String yaml;

        Policy(String yaml) {
            this.yaml = yaml;
        }
    }

    enum Engine {
        postgresql, mariadb
    }

    /** The failures the demo can inject: the kill it is about, and the two that must NOT cause a failover. */
    enum Failure {
        /** kill -9 of the primary: the daemon must fail over. */
        KILL_PRIMARY("kill-primary", "the primary is killed (kill -9)", "the kill"),
        /** The primary cut off from drctl and the replicas for 2 s, then back: no failover may happen. */
        BLIP("blip", "the primary is cut off for 2 s, then comes back (no failover may happen)", "the blip"),
        /** drctl cut off from a live primary (the replicas still stream): no failover may happen. */
        PARTITION_DRCTL("partition-drctl", "drctl is cut off from the live primary (no failover may happen)",
                "the partition");

        final String configName;
        final String sentence;
        /** The injection as the narration counts time from it: "+2.04 s after the blip". */
        final String event;

        Failure(String configName, String sentence, String event) {
            this.configName = configName;
            this.sentence = sentence;
            this.event = event;
        }
    }

    static final class FailureConverter implements CommandLine.ITypeConverter<Failure> {
        @Override
        public Failure convert(String value) {
            for (var f : Failure.values()) {
                if (f.configName.equals(value)) {
                    return f;
                }
            }
            throw new CommandLine.TypeConversionException("unknown failure '" + value
                    + "' (kill-primary, blip or partition-drctl)");
        }
    }

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    OutputOption output;
    @Mixin
    BinariesOption binaries;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "postgresql",
            description = "postgresql or mariadb (default: ${DEFAULT-VALUE}); MariaDB's server binaries must be "
                    + "installed, PostgreSQL's fall back to an embedded build (--binaries).")
    Engine engine;

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "default",
            description = "Failover policy: default (1 s probes, 3 failures over 3 s) or fast (250 ms probes, 2 "
                    + "failures over 500 ms), both confirmed by the replicas.", converter = PolicyConverter.class)
    Policy policy;

    @Option(names = "--failure", paramLabel = "FAILURE", defaultValue = "kill-primary", converter = FailureConverter.class,
            description = "kill-primary (default), or a failure that must not cause a failover: blip (the primary cut "
                    + "off for 2 s) or partition-drctl (drctl cut off from a live primary).")
    Failure failure;

    @Option(names = "--sync", description = "Synchronous replication from the primary (PostgreSQL "
            + "synchronous_standby_names = 'ANY 1 (*)', MariaDB semi-sync): no acknowledged write may be lost.")
    boolean sync;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the demo's config, store and reports stay "
            + "(default: drctl-demo-<time> in the system's temporary directory). The servers live under it only "
            + "while the demo runs.")
    Path dir;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "15",
            description = "How long the writer writes in all, the failover included (default: ${DEFAULT-VALUE}).")
    int seconds;

    private final Host host;

    DemoCommand(Host host) {
        this.host = host;
    }

    static final class PolicyConverter implements CommandLine.ITypeConverter<Policy> {
        @Override
        public Policy convert(String value) {
            try {
                return Policy.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("unknown policy '" + value + "' (default or fast)");
            }
        }
    }

    @Override
    public Integer call() throws IOException {
        if (seconds < 8 || seconds > 600) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds " + seconds
                    + ": between 8 and 600 (the failover needs a few seconds of writes around it)");
        }
        var source = binaries.source(engine == Engine.postgresql ? dev.drctl.topology.Engine.POSTGRESQL
                : dev.drctl.topology.Engine.MARIADB);
        var json = output.format() == OutputOption.Format.JSON;
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        var say = json ? err : out;
        var home = (dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("drctl-demo-" + STAMP.format(host.clock().instant()))).toAbsolutePath();
        Files.createDirectories(home);
        var configFile = home.resolve("demo.yaml");
        Files.writeString(configFile, config(engine, policy, failure, home, seconds), StandardCharsets.UTF_8);
        var cfg = ConfigLoader.load(configFile);
        var drill = DrillRunner.drill(cfg, "demo");

        say.println("drctl demo: a local " + engine + " cluster (1 primary, 2 " + (sync ? "synchronous" : "asynchronous")
                + " replicas), the drctl daemon watching it "
                + "in auto mode (" + policy.name().toLowerCase(Locale.ROOT) + " policy), a writer every 50 ms; "
                + "then " + failure.sentence + ".");
        say.println("  files: " + home);
        say.flush();
        var narration = new Narration(say, host.terminal().isPresent() && !json, failure);
        DrillResult result;
        try (var store = AuditCommand.open(cfg, host)) {
            var environments = java.util.Map.<DrillSpec.Environment, DrillEnvironment.Provisioner>of(
                    DrillSpec.Environment.LOCAL, r -> LocalDrillEnvironment.provision(r, sync, source));
            var runner = new DrillRunner(cfg, store, Optional.empty(), environments,
                    narration.watching(DrillRunners.daemon(host)), host.clock(), AuditCommand.user(host),
                    home.resolve("servers"));
            try {
                result = runner.run(drill, narration);
            } catch (DrctlException e) {
                narration.done();
                if (e.code() == TestenvErrorCode.SERVER_BINARIES_MISSING) {
                    err.println("drctl demo: " + e.getMessage());
                    err.println("drctl demo: " + (engine == Engine.mariadb
                            ? "the MariaDB demo runs the installed server programs (mariadbd, mariadb-install-db): "
                            + "install them (apt-get install mariadb-server) and run it again."
                            : switch (source) {
                                case INSTALLED -> "install PostgreSQL (apt-get install postgresql), or run with "
                                        + "--binaries auto to fall back to the embedded build.";
                                case EMBEDDED, AUTO -> "install PostgreSQL (apt-get install postgresql), or let drctl "
                                        + "reach Maven Central (repo1.maven.org) once to fetch its embedded build, "
                                        + "and run it again.";
                            })
                            + " Nothing was started.");
                    err.flush();
                    return ErrorCode.OPERATION_FAILED;
                }
                throw e;
            } finally {
                narration.done();
            }
            var targets = drill.targets(cfg.compliance());
            var report = (ObjectNode) DrillReport.json(result, targets);
            var drillHtml = DrillReport.write(home.resolve("reports"), report);
            var auditHtml = home.resolve("reports").resolve("audit-" + STAMP.format(host.clock().instant()) + ".html");
            var zone = cfg.compliance().timeZone();
            var text = new StringWriter();
            new AuditExport(store, cfg.compliance(), cfg.clusters().stream().map(ClusterSpec::name).toList(),
                    host.clock()).write(ExportFormat.HTML, ReportPeriod.parse(Optional.empty(), Optional.empty(), zone,
                    java.time.LocalDate.ofInstant(host.clock().instant(), zone)), Optional.empty(), text);
            Files.writeString(auditHtml, text.toString(), StandardCharsets.UTF_8);
            report.put("engine", engine.name());
            report.put("failure", failure.configName);
            report.put("synchronous", sync);
            narration.serverRoot().ifPresent(root -> report.put("serverRoot", root.toString()));
            narration.programs().ifPresent(bin -> report.put("serverPrograms", bin));
            report.put("policy", policy.name().toLowerCase(Locale.ROOT));
            report.put("htmlReport", drillHtml.toString());
            report.put("auditReport", auditHtml.toString());
            if (json) {
                out.println(report.toPrettyString());
            } else {
                summary(out, report, failure);
                out.println(reportLine(drillHtml, report));
                out.println("audit report: " + auditHtml + " (drctl audit export --format html)");
                out.println("everything started was stopped and removed; the reports and the journal stay in " + home);
            }
            out.flush();
            return result.exitCode();
        }
    }

    /** The drill report's line: it shows the failover's timeline only when there was a failover to show. */
    static String reportLine(Path html, com.fasterxml.jackson.databind.JsonNode report) {
        return "report:       " + html + (report.path("promotions").asInt() > 0 ? " (the failover's timeline)"
                : " (the drill's timeline)");
    }

    private static void summary(PrintWriter out, com.fasterxml.jackson.databind.JsonNode r, Failure failure) {
        out.println();
        if (failure != Failure.KILL_PRIMARY) {
            out.println("failovers: " + r.path("promotions").asInt() + " (must be 0: the primary was alive)");
            out.println(r.path("lostWrites").asLong() + " of " + r.path("acknowledgedWrites").asLong()
                    + " acknowledged writes lost");
            out.println("verdict: " + (r.path("passed").asBoolean() ? "no failover, as it must be"
                    : "NOT as expected") + " — " + r.path("summary").asText(""));
            return;
        }
        out.println("RTO " + (r.has("rtoMillis") ? DrillCommand.millis(r.path("rtoMillis").asLong()) : "—")
                + " (from the kill to the first acknowledged write on the new primary)");
        var split = r.path("split");
        split.fieldNames().forEachRemaining(f -> out.printf(Locale.ROOT, "  %-12s +%s%n",
                f.replace("Millis", ""), DrillCommand.millis(split.path(f).asLong())));
        out.println("RPO " + (r.has("rpoMillis") ? DrillCommand.millis(r.path("rpoMillis").asLong()) : "—") + ": "
                + r.path("lostWrites").asLong() + " of " + r.path("acknowledgedWrites").asLong()
                + " acknowledged writes lost" + (r.path("synchronous").asBoolean()
                ? " (synchronous replication: every acknowledged write was on a replica)"
                : " (asynchronous replication: a write acknowledged just before the kill can die with the primary)"));
        out.println("verdict: " + (r.path("passed").asBoolean() ? "the daemon failed over by itself"
                : "the failover did NOT go as expected") + " — " + r.path("summary").asText(""));
    }

    /** The demo's config: a cluster whose shape the local environment mirrors, and the kill-primary drill. */
    static String config(Engine engine, Policy policy, Failure failure, Path home, int seconds) {
        return """
                # written by drctl demo: the cluster is a shape for the local environment to mirror
                clusters:
                  - name: demo
                    engine: %s
                    credentials: { user: drctl, password: "${env:DRCTL_DEMO_UNUSED}" }
                    nodes:
                      - { name: db-1, host: db-1.demo.invalid, port: 5432, region: local-a }
                      - { name: db-2, host: db-2.demo.invalid, port: 5432, region: local-a }
                      - { name: db-3, host: db-3.demo.invalid, port: 5432, region: local-b }
                    failover: { %scooldown: 10m }
                compliance:
                  store: "jdbc:sqlite:%s"
                  targets: { rto: 60s, rpo: 5s }
                drills:
                  - name: demo
                    cluster: demo
                    environment: local
                    failure: %s
                    workload: { inserts-per-second: 20, duration: %ds }
                """.formatted(engine.name(), policy.yaml, home.resolve("demo.db"), failure.configName, seconds);
    }

    /**
     * What the user watches: the drill's phases and writes/s, and — while the daemon acts — its failover run as the
     * environment's journal records it (detected, decided, promoted, DNS moved).
     */
    static final class Narration implements DrillProgress {
        private final DrillCommand.Progress lines;
        private final PrintWriter out;
        private final Failure failure;
        private volatile Instant killedAt;
        private volatile Thread follower;
        private volatile Optional<Path> serverRoot = Optional.empty();
        private volatile Optional<String> programs = Optional.empty();

        Narration(PrintWriter out, boolean live, Failure failure) {
            this.out = out;
            this.failure = failure;
            this.lines = new DrillCommand.Progress(out, live);
        }

        @Override
        public void phase(String name, String detail) {
            if (name.equals("inject")) {
                killedAt = Instant.now();
            }
            lines.phase(name, detail);
        }

        @Override
        public void tick(String phase, Duration elapsed, double writesPerSecond, long acknowledged, long failed) {
            lines.tick(phase, elapsed, writesPerSecond, acknowledged, failed);
        }

        /**
         * A field of the local environment's testenv.json: where its servers keep their data, so the user can look,
         * and which programs run them (installed or the embedded build).
         */
        private static Optional<String> stateField(dev.drctl.topology.DrctlConfig config, String field) {
            try {
                var state = config.source().resolveSibling("testenv.json");
                var value = new com.fasterxml.jackson.databind.ObjectMapper().readTree(state.toFile()).path(field);
                var text = value.isArray() && !value.isEmpty() ? value.get(0) : value;
                return text.isTextual() ? Optional.of(text.asText()) : Optional.empty();
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // narration only
            }
        }

        Optional<Path> serverRoot() {
            return serverRoot;
        }

        Optional<String> programs() {
            return programs;
        }

        void done() {
            var f = follower;
            if (f != null) {
                f.interrupt();
            }
            lines.done();
        }

        /** The daemon, plus a follower that reads the daemon's failover run from the environment's store. */
        DrillActor watching(DrillActor daemon) {
            return config -> {
                serverRoot = stateField(config, "serverRoot").map(Path::of);
                programs = stateField(config, "programs");
                serverRoot.ifPresent(root -> lines.phase("servers", root + " (the servers' data; removed at the end)"));
                programs.ifPresent(bin -> lines.phase("programs", bin));
                var watching = daemon.start(config);
                var cluster = config.clusters().getFirst();
                follower = Thread.ofPlatform().daemon().name("demo-narration").start(() -> follow(config, cluster));
                return () -> {
                    var f = follower;
                    if (f != null) {
                        f.interrupt();
                        try {
                            f.join(Duration.ofSeconds(5));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    watching.close();
                };
            };
        }

        private void follow(dev.drctl.topology.DrctlConfig config, ClusterSpec cluster) {
            long seen = -1;
            try (var store = StateStore.open(config.compliance(), java.time.Clock.systemUTC(), Set.of())) {
                while (!Thread.currentThread().isInterrupted()) {
                    var killed = killedAt;
                    if (killed != null) {
                        var query = JournalQuery.between(killed.minusMillis(500), Instant.now().plusSeconds(60))
                                .cluster(cluster.name());
                        for (var e : store.journal().entries(query)) {
                            if (e.seq() > seen) {
                                seen = e.seq();
                                tell(e, killed);
                            }
                        }
                    }
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // narration only: the drill's own measurement is what counts; say why it stopped
                lines.phase("note", "live narration stopped: " + e.getMessage());
            }
        }

        /** One line for each journal entry of the daemon's that tells the story; rounds and notifications are skipped. */
        private void tell(JournalEntry e, Instant killed) {
            var p = e.payloadTree();
            String phase;
            String detail;
            switch (e.kind()) {
                case VERDICT_CHANGED -> {
                    phase = "verdict";
                    detail = p.path("from").asText("?") + " -> " + p.path("to").asText("?") + ": "
                            + p.path("summary").asText("");
                }
                case DECISION -> {
                    phase = "decision";
                    detail = first(p, "summary", "reason", "decision", "kind");
                }
                case RUN_STARTED -> {
                    var r = RunRecord.fromJson(p);
                    if (r.kind() != RunKind.FAILOVER) {
                        return;
                    }
                    phase = "failover";
                    detail = "run " + r.runId() + " started by " + r.actor();
                }
                case STEP_OUTCOME -> {
                    phase = "step";
                    detail = p.path("step").asText() + ": " + p.path("outcome").asText() + " in "
                            + p.path("millis").asLong() + " ms" + (p.path("detail").asText("").isBlank() ? ""
                            : " (" + p.path("detail").asText() + ")");
                }
                case RUN_FINISHED -> {
                    var r = RunRecord.fromJson(p);
                    if (r.kind() != RunKind.FAILOVER) {
                        return;
                    }
                    phase = "finished";
                    detail = "run " + r.status().name().toLowerCase(Locale.ROOT) + ": " + r.summary();
                }
                default -> {
                    return; // rounds, intents, notifications: not the story
                }
            }
            lines.phase(phase, since(failure, Duration.between(killed, e.at()), shorten(detail)));
        }

        /** "+2.04 s after the blip: ...": time counted from the failure injected, named as what it was. */
        static String since(Failure failure, Duration elapsed, String detail) {
            return String.format(Locale.ROOT, "+%.2f s after %s: %s", elapsed.toMillis() / 1000.0, failure.event,
                    detail);
        }

        private static String first(com.fasterxml.jackson.databind.JsonNode p, String... fields) {
            for (var f : fields) {
                if (p.hasNonNull(f) && !p.path(f).asText("").isBlank()) {
                    return p.path(f).asText();
                }
            }
            return p.toString();
        }

        private static String shorten(String s) {
            var one = s.replace('\n', ' ');
            return one.length() > 160 ? one.substring(0, 157) + "..." : one;
        }
    }
}
