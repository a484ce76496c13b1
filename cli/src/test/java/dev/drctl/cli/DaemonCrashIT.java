package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One actor, and a daemon that dies mid-failover (issue 12). The daemon's failover is held right after its promote
 * step (a hook that blocks, as in {@link FailoverCrashIT}); meanwhile a second {@code drctl run} on the same store and a
 * person's {@code drctl failover} are both refused, journaled, naming the holder. The daemon is then killed with
 * SIGKILL; a new {@code drctl run} resumes the run from the journal and completes it without promoting twice.
 */
class DaemonCrashIT {
    @TempDir
    Path dir;
    LocalTopology topology;
    DaemonProcess crashing;
    DaemonProcess restarted;

    @AfterEach
    void down() throws Exception {
        if (crashing != null) {
            crashing.kill();
        }
        if (restarted != null) {
            restarted.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void secondActorsAreRefusedAndARestartedDaemonCompletesTheFailoverOnce() throws Exception {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir.resolve("topology")).start();
        var config = topology.configFile();
        var cluster = topology.clusterName().value();
        var old = topology.primary();
        var marker = dir.resolve("promoted.marker");
        crashing = DaemonProcess.start(List.of(CrashingDaemon.class.getName(), config.toString(), marker.toString()),
                dir.resolve("crashing.log"), Map.of(), true);
        assertThat(crashing.alive()).as(crashing.log()).isTrue();
        var started = Instant.now();
        Await.until("the daemon recorded a round", Duration.ofSeconds(30), () -> DaemonFailoverIT.memory(config)
                .lastPositionAt().filter(t -> !t.isBefore(started.minusSeconds(1))).isPresent());

        // A second daemon on the same store: refused at once, journaled, naming the first.
        var second = CliRun.of("run", "-c", config.toString());
        assertThat(second.exit()).as(second.all()).isEqualTo(3);
        assertThat(second.err()).contains("another drctl daemon").contains("daemon:").contains("pid ");

        topology.kill(old);
        Await.until("the daemon promoted and reached its crash point (" + crashing.log() + ")",
                Duration.ofSeconds(90), () -> Files.exists(marker) || !crashing.alive());
        assertThat(crashing.alive()).as(crashing.log()).isTrue();

        // A person's failover while the daemon's runs: refused by the one-actor lock, journaled, naming the daemon.
        var manual = CliRun.of("failover", cluster, "-c", config.toString(), "--yes");
        assertThat(manual.exit()).as(manual.all()).isEqualTo(3);
        assertThat(manual.all()).contains("another drctl is acting on " + cluster).contains("daemon:");
        var journal = CliRun.journal(config);
        assertThat(journal).filteredOn(e -> e.kind() == JournalKind.DECISION
                        && e.payloadTree().path("rule").asText().startsWith("one actor")
                        && e.actor().value().equals("user:it-tester"))
                .as("the manual failover's refusal").singleElement()
                .satisfies(e -> assertThat(e.payloadTree().at("/holder/actor").asText()).startsWith("daemon:"));
        assertThat(journal).filteredOn(e -> e.kind() == JournalKind.DECISION
                        && e.payloadTree().path("summary").asText().startsWith("another drctl daemon"))
                .as("the second daemon's refusal").hasSize(1);

        crashing.kill();
        crashing = null;
        restarted = DaemonProcess.run(config, dir.resolve("restarted.log"), Map.of());
        Await.until("the restarted daemon completed the failover (" + restarted.log() + ")", Duration.ofSeconds(90),
                () -> DaemonFailoverIT.daemonRun(config, RunKind.FAILOVER).isPresent());
        var finished = DaemonFailoverIT.daemonRun(config, RunKind.FAILOVER).orElseThrow();
        var run = RunRecord.fromJson(finished.payloadTree());
        assertThat(run.status()).as(run.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(finished.payloadTree().path("resumed").asBoolean()).isTrue();
        var runId = run.runId();
        var mine = CliRun.journal(config).stream().filter(e -> e.runId().orElse("").equals(runId)).toList();
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.STEP_INTENT
                && e.payloadTree().path("step").asText().equals("promote")).as("promoted once").hasSize(1);
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.RUN_STARTED).extracting(e -> e.actor().value())
                .as("both daemons are in the journal").hasSize(2).allMatch(a -> a.startsWith("daemon:"));
        assertThat(CliRun.journal(config)).filteredOn(e -> e.kind() == JournalKind.RUN_STARTED
                && e.payloadTree().path("kind").asText().equalsIgnoreCase("failover")).extracting(e -> e.runId())
                .as("one failover run").containsOnly(java.util.Optional.of(runId));
        assertThat(run.epoch()).contains(1L);
        var verify = CliRun.of("audit", "verify", "-c", config.toString());
        assertThat(verify.exit()).as(verify.all()).isZero();
    }
}
