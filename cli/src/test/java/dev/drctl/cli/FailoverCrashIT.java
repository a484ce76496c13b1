package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.JournalKind;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * drctl killed with SIGKILL in the middle of a failover (right after the promotion, before the epoch and the
 * re-pointing), then run again: it resumes the same run from the journal, does not promote twice, finishes, and the
 * journal shows both processes and stays intact.
 */
class FailoverCrashIT {
    @TempDir
    Path dir;
    LocalTopology topology;
    Process child;

    @AfterEach
    void down() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.toHandle().destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void resumesAfterSigkillWithoutPromotingTwice() throws Exception {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir.resolve("topology")).start();
        var config = topology.configFile();
        var cluster = topology.clusterName().value();
        var old = topology.primary();
        // Rounds recorded up to the kill (a daemon running, or an operator's status): the loss is measured.
        RoundRecorder.killWatched(topology, old);

        var marker = dir.resolve("promoted.marker");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var log = dir.resolve("child.log");
        var command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                CrashingFailover.class.getName(), config.toString(), marker.toString()));
        child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Await.until("the child promoted and reached its crash point (" + tail(log) + ")", Duration.ofSeconds(120),
                () -> Files.exists(marker) || !child.isAlive());
        assertThat(child.isAlive()).as(tail(log)).isTrue();
        // SIGKILL: no shutdown hook, no journal entry for the step in flight. Its hook's sleep goes with it.
        var hooks = child.descendants().toList();
        child.toHandle().destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        hooks.forEach(ProcessHandle::destroyForcibly);
        assertThat(tail(log)).contains("[ok]       promote");

        var resumed = CliRun.of("failover", cluster, "-c", config.toString(), "-o", "json");
        assertThat(resumed.exit()).as(resumed.all()).isZero();
        var json = resumed.json();
        assertThat(json.get("resumed").asBoolean()).isTrue();
        assertThat(resumed.err()).contains("resuming run").contains("[done]     promote").contains("[ok]       advance-epoch");
        var runId = json.get("runId").asText();
        var promoted = new NodeName(json.at("/facts/newPrimary").asText());
        assertThat(json.at("/facts/epoch").asText()).isEqualTo("1");

        var mine = CliRun.journal(config).stream().filter(e -> e.runId().orElse("").equals(runId)).toList();
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.RUN_STARTED).extracting(e -> e.actor().value())
                .as("both processes are in the journal").containsExactly("user:crashing-child", "user:it-tester");
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.STEP_INTENT
                        && e.payloadTree().path("step").asText().equals("promote")).as("promoted once").hasSize(1);
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.STEP_INTENT
                && e.payloadTree().path("step").asText().equals("crash-point")).hasSize(1);
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.STEP_OUTCOME
                && e.payloadTree().path("step").asText().equals("crash-point")).isEmpty();
        try (var c = topology.connect(promoted); var s = c.createStatement();
             var rs = s.executeQuery("SELECT pg_is_in_recovery(), (SELECT timeline_id FROM pg_control_checkpoint())")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isFalse();
            assertThat(rs.getInt(2)).as("one promotion, one new timeline").isLessThanOrEqualTo(2);
        }
        var other = topology.replicas().stream().filter(n -> !n.equals(promoted)).findFirst().orElseThrow();
        Await.until(other + " streams from " + promoted, Duration.ofSeconds(30), () -> FailoverCommandIT
                .receiverOf(topology, other).equals("streaming:" + topology.node(promoted).serverPort()));
        var verify = CliRun.of("audit", "verify", "-c", config.toString());
        assertThat(verify.exit()).as(verify.all()).isZero();
    }

    static String tail(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
