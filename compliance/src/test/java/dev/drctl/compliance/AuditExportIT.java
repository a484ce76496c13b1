package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CSV, JSON and the HTML report, checked against the journal they were made from; the report rendered in Chromium. */
class AuditExportIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final ReportPeriod NOVEMBER = new ReportPeriod(Instant.parse("2026-10-31T18:30:00Z"),
            Instant.parse("2026-11-30T18:30:00Z"));

    private static String export(StateStore store, SettableClock clock, ExportFormat format, Optional<dev.drctl.topology.ClusterName> cluster) {
        var config = Scenario.config("unused");
        var out = new StringWriter();
        new AuditExport(store, config.compliance(), List.of(Scenario.PAYMENTS, Scenario.LEDGER), clock)
                .write(format, NOVEMBER, cluster, out);
        return out.toString();
    }

    private static Map<String, String> attributes(String tag) {
        var m = Pattern.compile("(data-[a-z-]+)=\"([^\"]*)\"").matcher(tag);
        var out = new HashMap<String, String>();
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static List<Map<String, String>> tags(String html, String startsWith) {
        var m = Pattern.compile("<" + Pattern.quote(startsWith) + "[^>]*>").matcher(html);
        var out = new ArrayList<Map<String, String>>();
        while (m.find()) {
            out.add(attributes(m.group()));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void csvAndJsonHoldEveryEntryOfThePeriod(StoreKind kind) throws Exception {
        var clock = new SettableClock(Scenario.NOW);
        try (var fresh = TestStore.fresh(kind); var store = fresh.open(clock, Set.of())) {
            Scenario.write(store, clock, Scenario.config(fresh.url()));
            var inPeriod = store.journal().entries(JournalQuery.between(NOVEMBER.from(), NOVEMBER.to()));
            assertThat(inPeriod).hasSize(store.journal().entries(JournalQuery.all()).size() - 1); // the drill is older

            var csv = export(store, clock, ExportFormat.CSV, Optional.empty()).split("\r\n");
            assertThat(csv[0]).isEqualTo("seq,time_utc,time_local,cluster,node,actor,kind,run_id,epoch,payload,prev_hash,hash");
            assertThat(csv).hasSize(inPeriod.size() + 1);
            assertThat(csv[1]).startsWith(inPeriod.getFirst().seq() + "," + inPeriod.getFirst().at())
                    .contains("IST (+05:30)").endsWith(inPeriod.getFirst().hash());

            JsonNode json = PayloadCodec.MAPPER.readTree(export(store, clock, ExportFormat.JSON, Optional.empty()));
            assertThat(json.path("verification").path("intact").asBoolean()).isTrue();
            assertThat(json.path("entries")).hasSize(inPeriod.size());
            for (int i = 0; i < inPeriod.size(); i++) {
                var e = inPeriod.get(i);
                var j = json.path("entries").get(i);
                assertThat(j.path("seq").asLong()).isEqualTo(e.seq());
                assertThat(j.path("hash").asText()).isEqualTo(e.hash());
                assertThat(j.path("payload")).isEqualTo(e.payloadTree());
            }
            var ledgerOnly = PayloadCodec.MAPPER.readTree(export(store, clock, ExportFormat.JSON, Optional.of(Scenario.LEDGER)));
            assertThat(ledgerOnly.path("entries")).hasSize(2)
                    .allSatisfy(e -> assertThat(e.path("cluster").asText()).isEqualTo("ledger"));
        }
    }

    @Test
    void theHtmlReportShowsTheJournalsFiguresAndRendersInChromium() throws Exception {
        var clock = new SettableClock(Scenario.NOW);
        try (var fresh = TestStore.fresh(StoreKind.SQLITE); var store = fresh.open(clock, Set.of())) {
            Scenario.write(store, clock, Scenario.config(fresh.url()));
            var html = export(store, clock, ExportFormat.HTML, Optional.empty());

            // every figure the report shows comes from the journal's RUN_FINISHED / DRILL_RESULT / NOTIFICATION_* entries
            var runs = new HashMap<String, RunRecord>();
            store.journal().entries(new JournalQuery(Optional.of(NOVEMBER.from()), Optional.of(NOVEMBER.to()), Optional.empty(),
                            Optional.empty(), Set.of(JournalKind.RUN_FINISHED, JournalKind.DRILL_RESULT)))
                    .forEach(e -> runs.put(e.runId().orElseThrow(), RunRecord.fromJson(e.payloadTree())));
            var rows = tags(html, "tr class=\"run\"");
            assertThat(rows).extracting(r -> r.get("data-run-id")).containsExactlyInAnyOrderElementsOf(runs.keySet());
            for (var row : rows) {
                var run = runs.get(row.get("data-run-id"));
                var rto = run.effectiveRto().orElseThrow();
                assertThat(Long.parseLong(row.get("data-rto-ms"))).isEqualTo(rto.toMillis());
                assertThat(Boolean.parseBoolean(row.get("data-rto-met"))).isEqualTo(rto.compareTo(Duration.ofMinutes(5)) <= 0);
                assertThat(Long.parseLong(row.get("data-rpo-ms"))).isEqualTo(run.rpo().orElseThrow().toMillis());
            }
            assertThat(rows).filteredOn(r -> r.get("data-run-id").equals("run-2026-11-01-001")).singleElement()
                    .satisfies(r -> {
                        assertThat(r).containsEntry("data-rto-ms", "42000").containsEntry("data-rto-met", "true")
                                .containsEntry("data-rpo-met", "true");
                    });
            assertThat(rows).filteredOn(r -> r.get("data-run-id").equals("run-2026-11-06-001")).singleElement()
                    .satisfies(r -> assertThat(r).containsEntry("data-rto-ms", "420000").containsEntry("data-rto-met", "false")
                            .containsEntry("data-rpo-ms", "2000").containsEntry("data-rpo-met", "false"));

            var notes = tags(html, "tr class=\"notification\"");
            assertThat(notes).extracting(n -> n.get("data-notification-id")).containsExactly("n-1", "n-2", "n-3");
            assertThat(notes.get(0)).containsEntry("data-delivery-ms", "61000").containsEntry("data-on-time", "true");
            assertThat(notes.get(1)).containsEntry("data-delivery-ms", Long.toString(Duration.ofHours(3).toMillis()))
                    .containsEntry("data-on-time", "false");
            assertThat(notes.get(2)).containsEntry("data-delivered", "false");

            var drillCells = tags(html, "td class=\"drill-age");
            assertThat(drillCells).hasSize(2);
            assertThat(drillCells).filteredOn(d -> d.containsKey("data-drill-age-ms")).singleElement().satisfies(d -> {
                var drillEnd = Scenario.T.minus(Duration.ofDays(20)).plusSeconds(20);
                assertThat(Long.parseLong(d.get("data-drill-age-ms"))).isEqualTo(Duration.between(drillEnd, Scenario.NOW).toMillis());
                assertThat(d).containsEntry("data-drill-overdue", "false");
            });
            assertThat(drillCells).filteredOn(d -> !d.containsKey("data-drill-age-ms")).singleElement()
                    .satisfies(d -> assertThat(d).containsEntry("data-drill-overdue", "true"));

            var verification = store.verifier().verify();
            assertThat(verification).isInstanceOf(Verification.Intact.class);
            var head = ((Verification.Intact) verification).headHash();
            assertThat(tags(html, "div id=\"verification\"")).singleElement().satisfies(v -> assertThat(v)
                    .containsEntry("data-intact", "true").containsEntry("data-head-hash", head));

            assertThat(tags(html, "svg class=\"timeline\"")).hasSize(2);
            assertThat(html).doesNotContain("<script").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                    .as("self-contained: nothing loaded from elsewhere")
                    .doesNotContain(" src=", "<link", "url(", "href=\"http", "@import")
                    .contains("IST (+05:30)");

            var dir = Path.of("target", "report");
            Files.createDirectories(dir);
            var file = dir.resolve("compliance-report.html").toAbsolutePath();
            Files.writeString(file, html, StandardCharsets.UTF_8);
            screenshot(file, dir.resolve("compliance-report.png").toAbsolutePath());
        }
    }

    private static void screenshot(Path html, Path png) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println("SKIPPED the Chromium rendering: " + CHROMIUM + " is not installed "
                    + "(apt-get install -y chromium); the report is at " + html);
        }
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium not installed at " + CHROMIUM + " (apt-get install -y chromium)");
        Files.deleteIfExists(png);
        var profile = Files.createTempDirectory("drctl-chromium-");
        try {
            var common = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + profile);
            var shot = new ArrayList<>(common);
            shot.addAll(List.of("--screenshot=" + png, "--window-size=1280,1600", html.toUri().toString()));
            run(shot, profile.resolve("shot.log"));
            assertThat(png).exists();
            assertThat(Files.size(png)).as("a rendered page, not a blank one").isGreaterThan(30_000);
            var dom = new ArrayList<>(common);
            dom.addAll(List.of("--dump-dom", html.toUri().toString()));
            var rendered = run(dom, profile.resolve("dom.log"));
            assertThat(rendered).contains("id=\"verification\"").contains("Disaster-recovery compliance report")
                    .contains("<svg class=\"timeline\"");
            System.out.println("Chromium rendered the report: " + png);
        } finally {
            try (var files = Files.walk(profile)) {
                for (var p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String run(List<String> command, Path log) throws Exception {
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
