package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.cli.daemon.DaemonSignals;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while the daemon's failover runs a step that cannot finish within the stop bound (PostgreSQL 1+2, primary
 * killed): the daemon exits within {@link DaemonSignals#EXIT_BOUND} with 143, the step parked (its intent journaled,
 * no outcome), and the next daemon completes the same run: promoted once.
 */
class StopMidFailoverIT {
    @TempDir
    Path dir;
    LocalTopology topology;
    DaemonProcess parking;
    DaemonProcess restarted;

    @AfterEach
    void down() throws Exception {
        if (parking != null) {
            parking.kill();
        }
        if (restarted != null) {
            restarted.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void sigtermParksTheRunningStepWithinTheBoundAndTheNextDaemonFinishesTheRun() throws Exception {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir.resolve("topology")).start();
        var config = topology.configFile();
        var marker = dir.resolve("long-step.marker");
        parking = DaemonProcess.start(List.of(ParkingDaemon.class.getName(), config.toString(), marker.toString()),
                dir.resolve("parking.log"), Map.of(), true);
        assertThat(parking.alive()).as(parking.log()).isTrue();
        var started = java.time.Instant.now();
        Await.until("the daemon recorded a round", Duration.ofSeconds(30), () -> DaemonFailoverIT.memory(config)
                .lastPositionAt().filter(t -> !t.isBefore(started.minusSeconds(1))).isPresent());

        topology.kill(topology.primary());
        Await.until("the failover reached its long step (" + parking.log() + ")", Duration.ofSeconds(90),
                () -> Files.exists(marker) || !parking.alive());
        assertThat(parking.alive()).as(parking.log()).isTrue();

        // the long step's own process outlives the JVM (the step is parked, not killed): ended by the test below
        var stepProcesses = ProcessHandle.of(parking.pid()).map(h -> h.descendants().toList()).orElse(List.of());
        long t0 = System.nanoTime();
        parking.signal("TERM");
        int exit = parking.awaitExit(DaemonSignals.EXIT_BOUND.plusSeconds(15));
        var took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("SIGTERM mid-failover to exit: " + took.toMillis() + " ms (stop bound "
                + DaemonSignals.STOP_BOUND.toSeconds() + " s, exit bound " + DaemonSignals.EXIT_BOUND.toSeconds() + " s)");
        assertThat(took).isLessThan(DaemonSignals.EXIT_BOUND);
        assertThat(exit).as(parking.log()).isEqualTo(143);
        assertThat(parking.log()).contains("stopping (signal)");
        stepProcesses.forEach(ProcessHandle::destroyForcibly);
        parking = null;

        var journal = CliRun.journal(config);
        var intent = journal.stream().filter(e -> e.kind() == JournalKind.STEP_INTENT
                && e.payloadTree().path("step").asText().equals("long-step")).toList();
        assertThat(intent).as("the parked step's intent is journaled").hasSize(1);
        var runId = intent.getFirst().runId().orElseThrow();
        assertThat(journal).filteredOn(e -> e.kind() == JournalKind.STEP_OUTCOME && e.runId().equals(intent.getFirst()
                .runId()) && e.payloadTree().path("step").asText().equals("long-step")).as("and no outcome").isEmpty();

        restarted = DaemonProcess.run(config, dir.resolve("restarted.log"), Map.of());
        Await.until("the restarted daemon completed the failover (" + restarted.log() + ")", Duration.ofSeconds(90),
                () -> DaemonFailoverIT.daemonRun(config, RunKind.FAILOVER).isPresent());
        var run = RunRecord.fromJson(DaemonFailoverIT.daemonRun(config, RunKind.FAILOVER).orElseThrow().payloadTree());
        assertThat(run.runId()).isEqualTo(runId);
        assertThat(run.status()).as(run.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(CliRun.journal(config)).filteredOn(e -> e.kind() == JournalKind.STEP_INTENT
                && e.runId().equals(intent.getFirst().runId()) && e.payloadTree().path("step").asText().equals("promote"))
                .as("promoted once").hasSize(1);
        var verify = CliRun.of("audit", "verify", "-c", config.toString());
        assertThat(verify.exit()).as(verify.all()).isZero();
    }
}
