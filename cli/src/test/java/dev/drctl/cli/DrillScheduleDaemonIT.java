package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.cli.daemon.Daemon;
import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.topology.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon runs a drill on its schedule with {@code drctl drill run}'s own runner (journaled as the daemon, told the
 * same way), and records a drill that could not run (its cluster in maintenance) as missed. The schedule is due the
 * moment the daemon starts (the current minute of the hour), so nothing waits for a real minute to turn. The
 * configured cluster's nodes listen nowhere: a drill only mirrors its shape.
 */
class DrillScheduleDaemonIT {
    @TempDir
    Path dir;
    Path config;
    HookSink hooks;
    Daemon daemon;

    @BeforeEach
    void webhook() {
        hooks = new HookSink();
    }

    @AfterEach
    void down() {
        if (daemon != null) {
            daemon.stop(Duration.ofSeconds(30));
        }
        hooks.close();
    }

    /** A config whose one drill is scheduled at {@code cron}. */
    private void config(String cron) throws Exception {
        config = dir.resolve("drctl.yaml");
        Files.writeString(config, """
                clusters:
                  - name: payments
                    engine: postgresql
                    credentials: { user: drctl }
                    failover: { cooldown: 10m }
                    nodes:
                      - { name: db-1, host: 127.0.0.1, port: %d, region: r1 }
                      - { name: db-2, host: 127.0.0.1, port: %d, region: r1 }
                notifications:
                  webhooks: [ { url: "http://127.0.0.1:%d/hook", format: json } ]
                compliance:
                  store: "jdbc:sqlite:%s"
                  time-zone: UTC
                  targets: { rto: 60s, rpo: 1s }
                drills:
                  - name: scheduled-drill
                    cluster: payments
                    schedule: "%s"
                    environment: local
                    failure: kill-primary
                    workload: { inserts-per-second: 20, duration: 5s }
                """.formatted(NotifyingFailoverIT.freePort(), NotifyingFailoverIT.freePort(),
                hooks.port(), dir.resolve("drctl.db"), cron));
    }

    private void startDaemon() {
        var started = Daemon.start(ConfigLoader.load(config), new Host(Clock.systemUTC(), Map.of(), "it-tester"));
        assertThat(started).isInstanceOf(Daemon.Start.Running.class);
        daemon = ((Daemon.Start.Running) started).daemon();
    }

    private List<RunRecord> drillResults() {
        return CliRun.journal(config).stream().filter(e -> e.kind() == JournalKind.DRILL_RESULT)
                .map(JournalEntry::payloadTree).map(RunRecord::fromJson).toList();
    }

    /** The current minute of the hour: due at once, and not again within the test. */
    private static String thisMinute() {
        return Instant.now().atZone(ZoneOffset.UTC).getMinute() + " * * * *";
    }

    @Test
    void aDrillDueNowIsRunByTheDaemonAndRecordedAsItsOwn() throws Exception {
        config(thisMinute());
        startDaemon();
        Await.until("the scheduled drill's result in the journal", Duration.ofMinutes(4),
                () -> !drillResults().isEmpty());
        var result = drillResults().getFirst();
        assertThat(result.actor().value()).as("run by the daemon").startsWith("daemon:");
        assertThat(result.drill()).hasValue("scheduled-drill");
        assertThat(result.status()).as(result.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.rto()).isPresent();
        assertThat(CliRun.journal(config)).as("started and finished as drctl drill run does")
                .filteredOn(e -> e.kind() == JournalKind.RUN_STARTED && e.runId().equals(java.util.Optional.of(
                        result.runId()))).hasSize(1);
        Await.until("DRILL_PASSED told through the daemon's outbox", Duration.ofSeconds(30),
                () -> hooks.got("\"DRILL_PASSED\""));
        // named after this drill, not another worktree's that may run on the machine meanwhile
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a))
                .orElse("").contains("drill-scheduled-drill-")).map(p -> p.pid() + " " + p.info().commandLine()
                .orElse("")).toList()).as("server processes of the drill's environment after the drill").isEmpty();
        var list = CliRun.of("drill", "list", "-c", config.toString(), "-o", "json");
        assertThat(list.exit()).as(list.all()).isZero();
        assertThat(list.json().at("/drills/0/lastResult").asText()).isEqualTo("succeeded");
        Await.until("the drill's thread ended", Duration.ofSeconds(30), () -> daemon.drillsRunning().isEmpty());
    }

    @Test
    void aDrillDueWhileItsClusterIsInMaintenanceIsRecordedAsMissed() throws Exception {
        config("* * * * *");
        var on = CliRun.of("maintenance", "on", "payments", "--reason", "CHG-4411 kernel upgrade", "-c",
                config.toString());
        assertThat(on.exit()).as(on.all()).isZero();
        startDaemon();
        Await.until("the missed drill in the journal", Duration.ofSeconds(60), () -> !drillResults().isEmpty());
        var missed = drillResults().getFirst();
        assertThat(missed.status()).isEqualTo(RunStatus.ABORTED);
        assertThat(missed.summary()).startsWith("missed: ").contains("in maintenance", "CHG-4411");
        assertThat(CliRun.journal(config)).as("no drill started").noneMatch(e -> e.kind() == JournalKind.RUN_STARTED);
        assertThat(daemon.drillsRunning()).isEmpty();

        var list = CliRun.of("drill", "list", "-c", config.toString(), "-o", "json");
        assertThat(list.exit()).as(list.all()).isZero();
        assertThat(list.json().at("/drills/0/lastResult").asText()).isEqualTo("missed");
        assertThat(list.json().at("/drills/0/lastSummary").asText()).contains("in maintenance");
        var html = dir.resolve("compliance.html");
        var export = CliRun.of("audit", "export", "--format", "html", "-o", html.toString(), "-c", config.toString());
        assertThat(export.exit()).as(export.all()).isZero();
        assertThat(Files.readString(html)).contains("scheduled-drill", "missed: scheduled for",
                "no successful drill on record");
    }
}
