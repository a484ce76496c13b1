package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.JournalKind;
import dev.drctl.runbooks.SwitchWriterDns;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
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
 * drctl killed with SIGKILL between the promotion and the writer DNS step, then run again: the run resumes from the
 * journal, does not promote again, and finishes the DNS step: the writer record points at the new primary.
 */
class FailoverDnsCrashIT {
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
    void resumedRunFinishesTheWriterDnsStep() throws Exception {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(1).dir(dir.resolve("topology")).start();
        var config = topology.configFile();
        var cluster = topology.clusterName().value();
        var old = topology.primary();
        var candidate = topology.replicas().getFirst();
        // Rounds recorded up to the kill (a daemon running, or an operator's status): the loss is measured.
        RoundRecorder.killWatched(topology, old);

        var marker = dir.resolve("promoted.marker");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var log = dir.resolve("child.log");
        var command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                CrashingBeforeDns.class.getName(), config.toString(), marker.toString()));
        child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Await.until("the child promoted and reached its crash point (" + FailoverCrashIT.tail(log) + ")",
                Duration.ofSeconds(120), () -> Files.exists(marker) || !child.isAlive());
        assertThat(child.isAlive()).as(FailoverCrashIT.tail(log)).isTrue();
        var hooks = child.descendants().toList();
        child.toHandle().destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        hooks.forEach(ProcessHandle::destroyForcibly);
        assertThat(FailoverCrashIT.tail(log)).contains("[ok]       verify-writable").contains("[ok]       advance-epoch")
                .doesNotContain(SwitchWriterDns.NAME + " ");

        var before = CliRun.of("dns", "show", cluster, "-c", config.toString());
        assertThat(before.exit()).as("promoted, but the record not moved yet: " + before.all()).isEqualTo(1);

        var resumed = CliRun.of("failover", cluster, "-c", config.toString(), "-o", "json");
        assertThat(resumed.exit()).as(resumed.all()).isZero();
        var json = resumed.json();
        assertThat(json.get("resumed").asBoolean()).isTrue();
        assertThat(json.at("/facts/newPrimary").asText()).isEqualTo(candidate.value());
        assertThat(resumed.err()).contains("[done]     promote").contains("[ok]       " + SwitchWriterDns.NAME);
        assertThat(json.at("/record/status").asText()).isEqualTo("SUCCEEDED");
        assertThat(json.at("/record/dnsAt").asText()).isNotEmpty();
        assertThat(json.at("/rtoSplit/dnsMillis").isNumber()).as(json.toPrettyString()).isTrue();

        var after = CliRun.of("dns", "show", cluster, "-c", config.toString(), "-o", "json");
        assertThat(after.exit()).as(after.all()).isZero();
        assertThat(after.json().get("recordNode").asText()).isEqualTo(candidate.value());

        var runId = json.get("runId").asText();
        var mine = CliRun.journal(config).stream().filter(e -> e.runId().orElse("").equals(runId)).toList();
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.STEP_INTENT
                && e.payloadTree().path("step").asText().equals("promote")).as("promoted once").hasSize(1);
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.STEP_OUTCOME
                && e.payloadTree().path("step").asText().equals(SwitchWriterDns.NAME))
                .singleElement().satisfies(e -> assertThat(e.payloadTree().path("outcome").asText()).isEqualTo("succeeded"));
        var verify = CliRun.of("audit", "verify", "-c", config.toString());
        assertThat(verify.exit()).as(verify.all()).isZero();
    }
}
