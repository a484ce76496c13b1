package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML compliance report of a journal made by real runs on a PostgreSQL 1+2 testenv — a refused failover (the
 * primary alive), a switchover by a named operator, a failover after a SIGKILL, and the rejoin of the old primary —
 * exported with {@code audit export}'s defaults, rendered by headless Chromium, and every cell of the summary and of
 * the runs table read back from the rendered page and checked against the journal.
 */
class ComplianceReportIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;
    LocalTopology topology;

    @AfterEach
    void down() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void theReportOfRealRunsShowsEachRunOnceAndEveryCellAsTheJournalHasIt() throws Exception {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir.resolve("topology")).start();
        var config = topology.configFile().toString();
        var cluster = topology.clusterName().value();
        var first = topology.primary();
        var second = topology.replicas().getFirst();

        var refused = CliRun.of("failover", cluster, "-c", config);
        assertThat(refused.exit()).as(refused.all()).isEqualTo(3);

        var switchover = CliRun.of("switchover", cluster, "--to", second.value(), "--operator", "Asha Rao", "-c", config,
                "-o", "json");
        assertThat(switchover.exit()).as(switchover.all()).isZero();
        var switchoverId = switchover.json().get("runId").asText();

        // rounds recorded up to the kill, as a daemon would: the loss is measured, not refused as unknown
        RoundRecorder.killWatched(topology, second);
        var failover = CliRun.of("failover", cluster, "-c", config, "-o", "json");
        assertThat(failover.exit()).as(failover.all()).isZero();
        var failoverId = failover.json().get("runId").asText();
        var promoted = new NodeName(failover.json().at("/facts/newPrimary").asText());

        topology.start(second);
        var rejoin = CliRun.of("rejoin", cluster, second.value(), "-c", config, "-o", "json");
        assertThat(rejoin.exit()).as(rejoin.all()).isZero();
        var rejoinId = rejoin.json().get("runId").asText();

        // What the journal says, run by run (the last RUN_FINISHED of each run is its record).
        var runs = new LinkedHashMap<String, RunRecord>();
        CliRun.journal(topology.configFile()).stream().filter(e -> e.kind() == JournalKind.RUN_FINISHED)
                .forEach(e -> runs.put(e.runId().orElseThrow(), RunRecord.fromJson(e.payloadTree())));
        var refusedIds = runs.values().stream().filter(r -> r.status() == RunStatus.ABORTED).map(RunRecord::runId).toList();
        assertThat(refusedIds).as("the refusal is journaled as a run that changed nothing").hasSize(1);
        var refusedId = refusedIds.getFirst();
        assertThat(runs.keySet()).containsExactlyInAnyOrder(refusedId, switchoverId, failoverId, rejoinId);

        // audit export with its defaults: the last 90 days, the format from the file name
        var report = dir.resolve("report/compliance.html");
        var export = CliRun.of("audit", "export", "-c", config, "-o", report.toString());
        assertThat(export.exit()).as(export.all()).isZero();
        var html = Files.readString(report);
        assertThat(html).doesNotContain("? → ?").doesNotContain("<script");
        var dom = render(report);

        // The summary: one cell per heading, each run counted once, RPO never measured so never "met".
        var summary = table(dom, "grid summary");
        assertThat(summary.headings()).containsExactly("Cluster", "Failovers", "Switchovers", "Drills", "Rejoins",
                "Fences", "Refused or aborted", "Failed or unfinished", "RTO met", "RPO met", "Last successful drill",
                "Notifications on time");
        assertThat(summary.rows()).hasSize(1);
        var row = summary.rows().getFirst();
        assertThat(row.cells()).hasSameSizeAs(summary.headings());
        var cell = cells(summary.headings(), row.cells());
        assertThat(cell).containsEntry("Cluster", cluster).containsEntry("Failovers", "1")
                .containsEntry("Switchovers", "1").containsEntry("Drills", "0").containsEntry("Rejoins", "1").containsEntry("Fences", "0")
                .containsEntry("Refused or aborted", "1").containsEntry("Failed or unfinished", "0")
                .containsEntry("RPO met", "not measured");
        long rtoMet = runs.values().stream().filter(r -> r.kind() == RunKind.FAILOVER || r.kind() == RunKind.SWITCHOVER)
                .filter(r -> r.status() != RunStatus.ABORTED)
                .filter(r -> r.effectiveRto().orElseThrow().compareTo(Duration.ofMinutes(5)) <= 0).count();
        assertThat(cell.get("RTO met")).isEqualTo(rtoMet + " of 2");
        assertThat(row.classes().get(summary.headings().indexOf("RPO met"))).contains("na").doesNotContain("met ");

        // The runs table: every journaled run, and each of its cells as the journal has it.
        var table = table(dom, "grid runs");
        assertThat(table.headings()).containsExactly("Run", "Kind", "Status", "Started", "Operator", "What changed",
                "RTO (target 5m)", "RPO (target 0 (no acknowledged write lost))", "Summary");
        assertThat(table.rows()).hasSize(runs.size());
        for (var r : table.rows()) {
            assertThat(r.cells()).hasSameSizeAs(table.headings());
            var c = cells(table.headings(), r.cells());
            var run = runs.get(c.get("Run"));
            assertThat(run).as("row " + c).isNotNull();
            assertThat(c.get("Started")).as("one time, in UTC: the zone is UTC")
                    .isEqualTo(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'")
                            .withZone(java.time.ZoneOffset.UTC).format(run.startedAt()));
            assertThat(c.get("Summary")).isEqualTo(run.summary());
            var rto = c.get("RTO (target 5m)");
            var rpo = c.get("RPO (target 0 (no acknowledged write lost))");
            if (run.runId().equals(refusedId)) {
                assertThat(c).containsEntry("Kind", "Failover").containsEntry("Status", "refused or aborted")
                        .containsEntry("What changed", "nothing: no node promoted, primary unchanged");
                assertThat(rto).isEqualTo("not applicable");
                assertThat(rpo).isEqualTo("not applicable");
                assertThat(c.get("Operator")).isEqualTo("it-tester");
            } else if (run.runId().equals(switchoverId)) {
                assertThat(c).containsEntry("Kind", "Switchover").containsEntry("Status", "succeeded")
                        .containsEntry("Operator", "Asha Rao")
                        .containsEntry("What changed", "primary " + first + " → " + second);
                assertThat(rto).endsWith(run.effectiveRto().orElseThrow().compareTo(Duration.ofMinutes(5)) <= 0
                        ? "✔ met" : "✘ missed");
                assertThat(rpo).isEqualTo("not measured");
            } else if (run.runId().equals(failoverId)) {
                assertThat(c).containsEntry("Kind", "Failover").containsEntry("Status", "succeeded")
                        .containsEntry("Operator", "it-tester")
                        .containsEntry("What changed", "primary " + second + " → " + promoted);
                assertThat(rto).endsWith(run.effectiveRto().orElseThrow().compareTo(Duration.ofMinutes(5)) <= 0
                        ? "✔ met" : "✘ missed");
                assertThat(rpo).isEqualTo("not measured");
            } else {
                assertThat(run.runId()).isEqualTo(rejoinId);
                assertThat(c).containsEntry("Kind", "Rejoin").containsEntry("Status", "succeeded")
                        .containsEntry("What changed", second + " rejoined as a replica of " + promoted
                                + "; primary unchanged");
                assertThat(rto).isEqualTo("not applicable");
            }
        }
        // the figures behind the cells, for tools
        for (var tag : tags(html, "tr class=\"run\"")) {
            var run = runs.get(tag.get("data-run-id"));
            var rto = run.effectiveRto();
            if (tag.get("data-run-id").equals(switchoverId) || tag.get("data-run-id").equals(failoverId)) {
                assertThat(tag).containsEntry("data-rto-ms", Long.toString(rto.orElseThrow().toMillis()));
            } else {
                assertThat(tag).doesNotContainKey("data-rto-ms");
            }
            assertThat(tag).doesNotContainKey("data-rpo-met");
        }
        var verify = CliRun.of("audit", "verify", "-c", config);
        assertThat(verify.exit()).as(verify.all()).isZero();
    }

    record Row(List<String> cells, List<String> classes) {
    }

    record Table(List<String> headings, List<Row> rows) {
    }

    private static Map<String, String> cells(List<String> headings, List<String> cells) {
        var m = new LinkedHashMap<String, String>();
        for (int i = 0; i < headings.size(); i++) {
            m.put(headings.get(i), cells.get(i));
        }
        return m;
    }

    /** The first table with this class attribute in the rendered page, its header and body cells as text. */
    private static Table table(String dom, String cls) {
        int start = dom.indexOf("<table class=\"" + cls + "\"");
        assertThat(start).as("table " + cls + " in the rendered page").isNotNegative();
        var t = dom.substring(start, dom.indexOf("</table>", start));
        var head = t.substring(0, t.indexOf("</thead>"));
        var body = t.substring(t.indexOf("<tbody>"));
        var headings = new ArrayList<String>();
        Matcher th = Pattern.compile("<th[^>]*>(.*?)</th>", Pattern.DOTALL).matcher(head);
        while (th.find()) {
            headings.add(text(th.group(1)));
        }
        var rows = new ArrayList<Row>();
        Matcher tr = Pattern.compile("<tr[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(body);
        while (tr.find()) {
            var cells = new ArrayList<String>();
            var classes = new ArrayList<String>();
            Matcher td = Pattern.compile("<td([^>]*)>(.*?)</td>", Pattern.DOTALL).matcher(tr.group(1));
            while (td.find()) {
                var c = Pattern.compile("class=\"([^\"]*)\"").matcher(td.group(1));
                classes.add(c.find() ? c.group(1) + " " : "");
                cells.add(text(td.group(2)));
            }
            rows.add(new Row(cells, classes));
        }
        return new Table(headings, rows);
    }

    private static String text(String html) {
        return html.replaceAll("<[^>]+>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&nbsp;", " ").replace("&amp;", "&").replaceAll("\\s+", " ").strip();
    }

    private static List<Map<String, String>> tags(String html, String startsWith) {
        var m = Pattern.compile("<" + Pattern.quote(startsWith) + "[^>]*>").matcher(html);
        var out = new ArrayList<Map<String, String>>();
        while (m.find()) {
            var a = Pattern.compile("(data-[a-z-]+)=\"([^\"]*)\"").matcher(m.group());
            var attributes = new LinkedHashMap<String, String>();
            while (a.find()) {
                attributes.put(a.group(1), a.group(2));
            }
            out.add(attributes);
        }
        return out;
    }

    /** The page as Chromium built it (--dump-dom), after a screenshot beside it proves it draws. */
    private static String render(Path html) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println("SKIPPED the Chromium rendering: " + CHROMIUM + " is not installed "
                    + "(apt-get install -y chromium, as .ci/run does); the report is at " + html);
        }
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium not installed at " + CHROMIUM);
        var png = html.resolveSibling("compliance.png");
        var profile = Files.createTempDirectory("drctl-chromium-");
        try {
            var common = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + profile);
            var shot = new ArrayList<>(common);
            shot.addAll(List.of("--screenshot=" + png, "--window-size=1280,1800", html.toUri().toString()));
            chromium(shot, profile.resolve("shot.log"));
            assertThat(Files.size(png)).as("a drawn page, not a blank one").isGreaterThan(30_000);
            var dump = new ArrayList<>(common);
            dump.addAll(List.of("--dump-dom", html.toUri().toString()));
            var dom = chromium(dump, profile.resolve("dom.log"));
            assertThat(dom).contains("Disaster-recovery compliance report");
            var kept = Path.of("target", "report");
            Files.createDirectories(kept);
            Files.copy(html, kept.resolve("compliance-real-runs.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(png, kept.resolve("compliance-real-runs.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.out.println("Chromium rendered the report: " + kept.resolve("compliance-real-runs.png").toAbsolutePath());
            return dom;
        } finally {
            try (var files = Files.walk(profile)) {
                for (var p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String chromium(List<String> command, Path log) throws Exception {
        var out = Files.createTempFile("drctl-chromium-out-", ".txt");
        try {
            var p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("Chromium did not finish within 120 s: " + Files.readString(log));
            }
            assertThat(p.exitValue()).as("chromium exit; log: %s", Files.readString(log)).isZero();
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
