package dev.drctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drctl.compliance.RunRecord;
import dev.drctl.runbooks.drill.DrillCron;
import dev.drctl.runbooks.drill.DrillErrorCode;
import dev.drctl.runbooks.drill.DrillProgress;
import dev.drctl.runbooks.drill.DrillRecords;
import dev.drctl.runbooks.drill.DrillReport;
import dev.drctl.runbooks.drill.DrillResult;
import dev.drctl.runbooks.drill.DrillRunner;
import dev.drctl.runbooks.drill.Expectation;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.DrillSchedule;
import dev.drctl.topology.DrillSpec;
import dev.drctl.topology.ErrorCode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drctl drill …}: run a DR drill, list the drills with their schedules and last results, show a report. */
@Command(name = "drill", description = "Run and list DR drills: a disposable copy of a cluster, a failure, measured RTO/RPO.",
        subcommands = {DrillCommand.Run.class, DrillCommand.ListDrills.class, DrillCommand.Report.class})
final class DrillCommand extends CommandGroup {
    @Override
    String example() {
        return "drctl drill list -c FILE";
    }

    /**
     * {@code drctl drill run NAME}: exit 0 when the drill passed, 1 when it failed (or could not run), 2 bad usage.
     */
    @Command(name = "run", description = "Run a drill: build its environment, write, inject the failure, let the daemon's "
            + "own supervision act, measure RTO and RPO, judge against the targets, tear everything down.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                    "0:the drill passed (the expected outcome happened and the targets were met)",
                    "1:the drill failed, or could not run (the output says why)",
                    "2:bad usage or bad config (e.g. no such drill)"})
    static final class Run implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        OperatorOption operator;
        @Mixin
        ConfigOption config;
        @Mixin
        OutputOption output;

        @Parameters(index = "0", paramLabel = "NAME", description = "The drill (config drills[].name).")
        String name;

        @Option(names = "--report-dir", paramLabel = "DIR", description = "Where the JSON and HTML reports go "
                + "(default: drill-reports beside the SQLite store, else in the current directory).")
        Path reportDir;

        private final Host host;

        Run(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() {
            var cfg = config.load();
            var drill = DrillRunner.drill(cfg, name);
            DrillRunners.requireAvailable(drill);
            var h = operator.apply(host);
            var json = output.format() == OutputOption.Format.JSON;
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            var progressTo = json ? err : out;
            DrillResult result;
            try (var store = AuditCommand.open(cfg, h)) {
                var delivery = RunDelivery.start(cfg, store, h);
                try {
                    var runner = DrillRunners.runner(cfg, store, delivery.map(RunDelivery::outbox), h,
                            AuditCommand.user(h));
                    var why = runner.unsupported(drill);
                    if (why.isPresent()) {
                        throw new DrctlException(DrillErrorCode.NOT_BUILT, "drill " + drill.name() + ": " + why.get());
                    }
                    var progress = new Progress(progressTo, h.terminal().isPresent() && !json);
                    progressTo.println("drill " + drill.name() + ": " + drill.failure().configName() + " on a "
                            + drill.environment().configName() + " copy of " + drill.cluster() + "; expected: "
                            + Expectation.of(drill.failure()).sentence());
                    progressTo.flush();
                    result = runner.run(drill, progress);
                    progress.done();
                    delivery.ifPresent(d -> d.follow(result.record().runId()));
                } finally {
                    delivery.ifPresent(RunDelivery::close);
                }
            }
            var targets = drill.targets(cfg.compliance());
            var report = DrillReport.json(result, targets);
            var html = DrillReport.write(reportDir(cfg), report);
            if (json) {
                var o = (ObjectNode) report.deepCopy();
                o.put("htmlReport", html.toString());
                out.println(o.toPrettyString());
            } else {
                print(out, report);
                out.println("report: " + html + " (and " + html.resolveSibling(result.record().runId() + ".json")
                        + ")");
            }
            out.flush();
            return result.exitCode();
        }

        private Path reportDir(DrctlConfig cfg) {
            if (reportDir != null) {
                return reportDir;
            }
            var store = cfg.compliance().store();
            if (store.startsWith("jdbc:sqlite:")) {
                var parent = Path.of(store.substring("jdbc:sqlite:".length())).toAbsolutePath().getParent();
                if (parent != null && Files.isWritable(parent)) {
                    return parent.resolve("drill-reports");
                }
            }
            return Path.of("drill-reports").toAbsolutePath();
        }
    }

    /** Prints a report (from a run or the journal) as text. */
    static void print(PrintWriter out, JsonNode r) {
        out.println("drill " + r.path("drill").asText() + ": " + (r.path("passed").asBoolean() ? "PASSED" : "FAILED")
                + " (run " + r.path("runId").asText() + ")");
        out.println("  expected: " + r.path("expectationText").asText() + " — "
                + (r.path("expectedOutcome").asBoolean() ? "happened" : "did NOT happen"));
        out.println("  RTO: " + (r.has("rtoMillis") ? millis(r.path("rtoMillis").asLong()) : "—") + " (target "
                + millis(r.path("targetRtoMillis").asLong()) + ")   RPO: "
                + (r.has("rpoMillis") ? millis(r.path("rpoMillis").asLong()) : "—") + " (target "
                + millis(r.path("targetRpoMillis").asLong()) + "), " + r.path("lostWrites").asLong() + " of "
                + r.path("acknowledgedWrites").asLong() + " acknowledged writes lost");
        var split = r.path("split");
        if (!split.isEmpty()) {
            var parts = new ArrayList<String>();
            split.fieldNames().forEachRemaining(f -> parts.add(f.replace("Millis", "") + " +"
                    + millis(split.path(f).asLong())));
            out.println("  after the injection: " + String.join(", ", parts));
        }
        r.path("findings").forEach(f -> out.println("  " + (f.path("met").asBoolean() ? "ok   " : "MISS ")
                + f.path("text").asText()));
    }

    static String millis(long ms) {
        return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** Live progress: on a terminal one line redrawn in place (phase, elapsed, writes/s); elsewhere a line per phase. */
    static final class Progress implements DrillProgress {
        private final PrintWriter out;
        private final boolean live;
        private final long started = System.nanoTime();
        private volatile boolean drawn;

        Progress(PrintWriter out, boolean live) {
            this.out = out;
            this.live = live;
        }

        @Override
        public synchronized void phase(String name, String detail) {
            if (drawn) {
                out.print("\r\033[K");
                drawn = false;
            }
            out.printf(Locale.ROOT, "[%6.1f s] %-9s %s%n", (System.nanoTime() - started) / 1e9, name, detail);
            out.flush();
        }

        @Override
        public synchronized void tick(String phase, Duration elapsed, double writesPerSecond, long acknowledged,
                                      long failed) {
            if (!live) {
                return;
            }
            out.printf(Locale.ROOT, "\r\033[K  %s · %d s · %.1f writes/s · %d acknowledged · %d failed", phase,
                    elapsed.toSeconds(), writesPerSecond, acknowledged, failed);
            out.flush();
            drawn = true;
        }

        synchronized void done() {
            if (drawn) {
                out.print("\r\033[K");
                out.flush();
                drawn = false;
            }
        }
    }

    /** {@code drctl drill list}: each drill, its schedule and next three runs, and its last result. */
    @Command(name = "list", description = "List the configured drills: schedule, next three runs, last result.")
    static final class ListDrills implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Mixin
        OutputOption output;

        private final Host host;

        ListDrills(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() throws Exception {
            var cfg = config.load();
            var now = host.clock().instant();
            var zone = cfg.compliance().timeZone();
            Map<String, RunRecord> last;
            try (var store = AuditCommand.open(cfg, host)) {
                last = DrillRecords.latest(store);
            }
            var views = new ArrayList<DrillView>();
            for (var d : cfg.drills()) {
                var next = d.schedule().map(s -> new DrillCron(s, zone).next(now, 3)).orElse(List.of());
                var result = Optional.ofNullable(last.get(d.name()));
                views.add(new DrillView(d.name(), d.cluster().value(), d.environment().configName(),
                        d.failure().configName(), d.schedule().map(DrillSchedule::expression).orElse(null),
                        d.schedule().map(s -> s.flavour().configName()).orElse(null),
                        next.stream().map(i -> i.atZone(zone).toOffsetDateTime().toString()).toList(),
                        result.map(r -> DrillRecords.wasMissed(r) ? "missed"
                                : r.status().name().toLowerCase(Locale.ROOT)).orElse(null),
                        result.map(r -> r.finishedAt().orElse(r.startedAt()).toString()).orElse(null),
                        result.map(RunRecord::summary).orElse(null)));
            }
            var out = spec.commandLine().getOut();
            if (output.format() == OutputOption.Format.JSON) {
                out.println(Json.pretty(Map.of("drills", views)));
            } else if (views.isEmpty()) {
                out.println("no drills configured in " + cfg.source() + " (config drills:)");
            } else {
                var rows = new ArrayList<List<String>>();
                rows.add(List.of("DRILL", "CLUSTER", "FAILURE", "ENV", "SCHEDULE", "NEXT RUNS (" + zone.getId() + ")",
                        "LAST RESULT"));
                for (var v : views) {
                    rows.add(List.of(v.name(), v.cluster(), v.failure(), v.environment(),
                            v.schedule() == null ? "(by hand)" : v.schedule(),
                            v.nextRuns().isEmpty() ? "-" : String.join(", ", v.nextRuns().stream()
                                    .map(s -> s.substring(0, Math.min(16, s.length())).replace('T', ' ')).toList()),
                            v.lastResult() == null ? "never run" : v.lastResult() + " " + v.lastAt()));
                }
                TextTable.print(out, rows);
            }
            out.flush();
            return ErrorCode.OK;
        }
    }

    record DrillView(String name, String cluster, String environment, String failure, String schedule,
                     String flavour, List<String> nextRuns, String lastResult, String lastAt, String lastSummary) {
    }

    /** {@code drctl drill report NAME}: the latest report of a drill, from the journal. */
    @Command(name = "report", description = "Show a drill's latest report (from the journal); --html writes the page.")
    static final class Report implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Mixin
        OutputOption output;

        @Parameters(index = "0", paramLabel = "NAME", description = "The drill (config drills[].name).")
        String name;

        @Option(names = "--html", paramLabel = "FILE", description = "Write the report as an HTML page with its "
                + "timeline to FILE.")
        Path html;

        private final Host host;

        Report(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() throws Exception {
            var cfg = config.load();
            DrillRunner.drill(cfg, name);
            Optional<JsonNode> report;
            try (var store = AuditCommand.open(cfg, host)) {
                report = DrillRecords.latestReport(store, name);
            }
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            if (report.isEmpty()) {
                err.println("drctl drill report: drill " + name + " has no report yet; run it with 'drctl drill run "
                        + name + "'");
                err.flush();
                return ErrorCode.OPERATION_FAILED;
            }
            if (html != null) {
                Files.writeString(html, DrillReport.html(report.get()), StandardCharsets.UTF_8);
            }
            if (output.format() == OutputOption.Format.JSON) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.get()));
            } else {
                print(out, report.get());
                if (html != null) {
                    out.println("report: " + html.toAbsolutePath());
                }
            }
            out.flush();
            return ErrorCode.OK;
        }
    }
}
