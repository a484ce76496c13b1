package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's acceptance, through {@code drctl drill run}: a drill builds a local copy of the configured cluster, the
 * daemon's own supervision acts on it, and the drill measures and judges what it did. Each test also proves that the
 * environment is gone afterwards: no server process refers to its directory any more.
 */
class DrillRunIT {
    @TempDir
    Path dir;
    Path config;
    HookSink hooks;

    @BeforeEach
    void webhook() {
        hooks = new HookSink();
    }

    @AfterEach
    void stop() {
        hooks.close();
    }

    /** A config whose cluster need not exist: a drill only mirrors its shape and policy. */
    Path config(String engine, String failure, String targets, String failover) throws IOException {
        var yaml = """
                clusters:
                  - name: payments
                    engine: %s
                    credentials: { user: drctl, password: "${env:NOT_NEEDED_BY_A_DRILL}" }
                    nodes:
                      - { name: db-1, host: db-1.example.com, port: 5432, region: eu-west-1 }
                      - { name: db-2, host: db-2.example.com, port: 5432, region: eu-west-1 }
                      - { name: db-3, host: db-3.example.com, port: 5432, region: eu-west-2 }
                    failover: { %s }
                notifications:
                  webhooks: [ { url: "http://127.0.0.1:%d/hook", format: json } ]
                compliance:
                  store: "jdbc:sqlite:%s"
                  targets: { rto: 60s, rpo: 0s }
                drills:
                  - name: payments-drill
                    cluster: payments
                    schedule: "0 2 * * SUN"
                    environment: local
                    failure: %s
                    workload: { inserts-per-second: 20, duration: 5s }
                    %s
                """.formatted(engine, failover, hooks.port(), dir.resolve("drctl.db"), failure,
                targets);
        config = dir.resolve("drctl.yaml");
        Files.writeString(config, yaml);
        return config;
    }

    CliRun drill() {
        return CliRun.of("drill", "run", "payments-drill", "-c", config.toString(), "-o", "json", "--report-dir",
                dir.resolve("reports").toString());
    }

    static void assertEnvironmentGone(CliRun run) {
        var leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains("drill-payments-drill-"))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
        assertThat(leftovers).as("server processes of the drill's environment after the drill\n" + run.all()).isEmpty();
    }

    @Test
    void killPrimaryOnPostgresqlPassesWithMeasuredRtoAndRpo() throws Exception {
        // asynchronous replication: a write acknowledged in the instant of the kill may never have left the primary
        config("postgresql", "kill-primary", "targets: { rpo: 1s }", "cooldown: 10m");
        var run = drill();
        assertEnvironmentGone(run);
        assertThat(run.exit()).as(run.all()).isZero();
        var r = run.json();
        assertThat(r.path("passed").asBoolean()).isTrue();
        assertThat(r.path("promotions").asInt()).isEqualTo(1);
        assertThat(r.path("rtoMillis").asLong()).as(run.all()).isPositive();
        assertThat(r.path("rpoMillis").asLong()).as(run.all()).isLessThan(1000);
        assertThat(r.path("lostWrites").asInt()).as(run.all()).isLessThanOrEqualTo(2);
        assertThat(r.path("acknowledgedWrites").asInt()).isGreaterThan(10);
        assertThat(r.at("/split/detectionMillis").isNumber()).as(run.all()).isTrue();
        assertThat(r.at("/split/dnsMillis").isNumber()).as(run.all()).isTrue();
        System.out.println("drill kill-primary postgresql: RTO " + r.path("rtoMillis").asLong() + " ms, split "
                + r.path("split") + ", writes " + r.path("acknowledgedWrites").asLong() + " acknowledged, "
                + r.path("lostWrites").asLong() + " lost");
        var html = Files.readString(Path.of(r.path("htmlReport").asText()));
        assertThat(html).contains("<svg", "id=\"verdict\">passed<");

        var list = CliRun.of("drill", "list", "-c", config.toString(), "-o", "json");
        assertThat(list.exit()).as(list.all()).isZero();
        assertThat(list.json().at("/drills/0/lastResult").asText()).isEqualTo("succeeded");
        assertThat(list.json().at("/drills/0/nextRuns")).hasSize(3);
        var report = CliRun.of("drill", "report", "payments-drill", "-c", config.toString(), "-o", "json");
        assertThat(report.exit()).as(report.all()).isZero();
        assertThat(report.json().path("runId").asText()).isEqualTo(r.path("runId").asText());
        // the compliance report counts it as the cluster's last successful drill
        var audit = dir.resolve("compliance.html");
        var export = CliRun.of("audit", "export", "--format", "html", "-o", audit.toString(), "-c", config.toString());
        assertThat(export.exit()).as(export.all()).isZero();
        assertThat(Files.readString(audit)).contains("data-drill-overdue=\"false\"", "data-drill-age-ms=\"",
                "payments-drill");
    }

    @Test
    void killPrimaryOnMariadbPassesWithMeasuredRtoAndRpo() throws Exception {
        // asynchronous replication: a write acknowledged in the instant of the kill may never have left the primary
        config("mariadb", "kill-primary", "targets: { rpo: 1s }", "cooldown: 10m");
        var run = drill();
        assertEnvironmentGone(run);
        assertThat(run.exit()).as(run.all()).isZero();
        var r = run.json();
        assertThat(r.path("passed").asBoolean()).isTrue();
        assertThat(r.path("promotions").asInt()).isEqualTo(1);
        assertThat(r.path("rtoMillis").asLong()).isPositive();
        assertThat(r.path("rpoMillis").asLong()).as(run.all()).isLessThan(1000);
        assertThat(r.path("lostWrites").asInt()).as(run.all()).isLessThanOrEqualTo(2);
        System.out.println("drill kill-primary mariadb: RTO " + r.path("rtoMillis").asLong() + " ms, split "
                + r.path("split") + ", writes " + r.path("acknowledgedWrites").asLong() + " acknowledged, "
                + r.path("lostWrites").asLong() + " lost");
    }

    @Test
    void partitionDrctlPassesOnlyBecauseNothingWasPromoted() throws Exception {
        config("postgresql", "partition-drctl", "", "cooldown: 10m");
        var run = drill();
        assertEnvironmentGone(run);
        assertThat(run.exit()).as(run.all()).isZero();
        var r = run.json();
        assertThat(r.path("expectation").asText()).isEqualTo("no_failover");
        assertThat(r.path("promotions").asInt()).isZero();
        assertThat(r.path("findings").toString()).contains("no promotion happened");
        // writes went on to the live primary all along: nothing was lost
        assertThat(r.path("lostWrites").asInt()).isZero();
    }

    @Test
    void lagReplicaWithATightMaxLagEndsRefusedWithHumansPaged() throws Exception {
        config("postgresql", "lag-replica", "", "max-lag: { bytes: 1kB, seconds: 1 }");
        var run = drill();
        assertEnvironmentGone(run);
        assertThat(run.exit()).as(run.all()).isZero();
        var r = run.json();
        assertThat(r.path("expectation").asText()).isEqualTo("refused");
        assertThat(r.path("expectedOutcome").asBoolean()).isTrue();
        assertThat(r.path("promotions").asInt()).isZero();
        assertThat(r.path("pages").asInt()).as(run.all()).isPositive();
        assertThat(r.path("findings").toString()).contains("the failover was refused", "humans were paged");
    }

    @Test
    void anImpossibleTargetFailsTheDrillWithExitOneAndAFailedDrillNotification() throws Exception {
        config("postgresql", "kill-primary", "targets: { rto: 1ms }", "cooldown: 10m");
        var run = drill();
        assertEnvironmentGone(run);
        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        var r = run.json();
        assertThat(r.path("passed").asBoolean()).isFalse();
        assertThat(r.path("expectedOutcome").asBoolean()).as("the failover itself happened").isTrue();
        assertThat(r.path("summary").asText()).contains("over the target of 1 ms");
        Await.until("the failed-drill notification reached the webhook", Duration.ofSeconds(20),
                () -> hooks.got("\"DRILL_FAILED\""));
        var list = CliRun.of("drill", "list", "-c", config.toString(), "-o", "json");
        assertThat(list.json().at("/drills/0/lastResult").asText()).isEqualTo("failed");
    }

    @Test
    void smtpDownDoesNotDelayTheFailoverAndTheNotificationIsDeliveredOnceItIsBack() throws Exception {
        config("postgresql", "smtp-down", "targets: { rpo: 1s }", "cooldown: 10m");
        var run = drill();
        assertEnvironmentGone(run);
        assertThat(run.exit()).as(run.all()).isZero();
        var r = run.json();
        assertThat(r.path("passed").asBoolean()).isTrue();
        assertThat(r.path("promotions").asInt()).isEqualTo(1);
        assertThat(r.path("rtoMillis").asLong()).as("within the 60 s target: not delayed by SMTP").isPositive()
                .isLessThanOrEqualTo(60_000);
        assertThat(r.path("findings").toString()).as(run.all()).contains("delivered once SMTP was back");
        System.out.println("drill smtp-down postgresql: RTO " + r.path("rtoMillis").asLong() + " ms, findings "
                + r.path("findings"));
    }

    @Test
    void route53ErrorsAreRetriedAndTheRecordEndsCorrect() throws Exception {
        config("postgresql", "route53-errors", "targets: { rpo: 1s }", "cooldown: 10m");
        var run = drill();
        assertEnvironmentGone(run);
        assertThat(run.exit()).as(run.all()).isZero();
        var r = run.json();
        assertThat(r.path("passed").asBoolean()).isTrue();
        assertThat(r.path("promotions").asInt()).isEqualTo(1);
        assertThat(r.path("findings").toString()).as(run.all())
                .contains("3 Route53 requests answered with an error", "(retried)", "the writer record ends correct");
        assertThat(r.at("/split/dnsMillis").isNumber()).as(run.all()).isTrue();
        System.out.println("drill route53-errors postgresql: RTO " + r.path("rtoMillis").asLong() + " ms, split "
                + r.path("split"));
    }

    @Test
    void anInterruptedDrillLeavesNothingBehind() throws Exception {
        InheritedSignals.assumeHandled(InheritedSignals.SIGINT, "SIGINT (Ctrl-C)");
        config("postgresql", "kill-primary", "", "cooldown: 10m");
        var before = drillDirs();
        var log = dir.resolve("drill.log");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Drctl.class.getName(),
                "drill", "run", "payments-drill", "-c", config.toString(), "--report-dir", dir.resolve("reports").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Await.until("the drill writes to its environment", Duration.ofSeconds(120),
                    () -> read(log).contains("] write") || !process.isAlive());
            assertThat(process.isAlive()).as(read(log)).isTrue();
            var servers = ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                    .map(a -> String.join(" ", a)).orElse("").contains("drill-payments-drill-")).count();
            assertThat(servers).as("the environment's servers run").isPositive();
            // Ctrl-C
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            Await.until("the interrupted drill exits", Duration.ofSeconds(90), () -> !process.isAlive());
        } finally {
            process.destroyForcibly();
        }
        assertEnvironmentGone(new CliRun(process.exitValue(), read(log), ""));
        var left = drillDirs();
        left.removeAll(before);
        assertThat(left).as(read(log)).isEmpty();
        assertThat(read(log)).doesNotContain("Exception");
        var journal = CliRun.of("drill", "list", "-c", config.toString(), "-o", "json");
        assertThat(journal.json().at("/drills/0/lastSummary").asText()).contains("interrupted");
    }

    static List<Path> drillDirs() throws IOException {
        var root = Path.of(System.getProperty("java.io.tmpdir"), "drctl-drills");
        if (!Files.isDirectory(root)) {
            return new ArrayList<>();
        }
        try (var dirs = Files.list(root)) {
            return new ArrayList<>(dirs.filter(p -> p.getFileName().toString().startsWith("drill-payments-drill-"))
                    .toList());
        }
    }

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
