package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drctl status} as a user runs it, against the config testenv writes for a real PostgreSQL 1+2. */
class StatusCommandIT {

    @TempDir
    static Path dir;
    static LocalTopology topology;

    @BeforeAll
    static void up() {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir).start();
    }

    @AfterAll
    static void down() {
        if (topology != null) {
            topology.close();
        }
    }

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), Map.of()));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void showsOnePrimaryAndTwoStreamingReplicas() {
        var r = run("status", "-c", topology.configFile().toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        var cluster = topology.clusterName().value();
        var rows = r.out().lines().filter(l -> l.startsWith(cluster + " ")).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows).filteredOn(l -> l.contains(" primary ")).hasSize(1)
                .allSatisfy(l -> assertThat(l).contains(" yes ").contains("(timeline 1)"));
        assertThat(rows).filteredOn(l -> l.contains(" replica ")).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains(" streaming ").contains("127.0.0.1:"));
        assertThat(r.out()).contains("3 node(s), all answered");
        assertThat(r.out().lines().findFirst().orElseThrow())
                .isEqualTo("HEALTHY: " + cluster + " — primary pg-1, 2 replicas streaming");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void jsonParsesWithOneObjectPerNode() throws Exception {
        var r = run("status", "-c", topology.configFile().toString(), "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        var json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("allAnswered").asBoolean()).isTrue();
        assertThat(json.get("healthy").asBoolean()).isTrue();
        assertThat(json.at("/verdicts/0/verdict").asText()).isEqualTo("healthy");
        var nodes = json.get("nodes");
        assertThat(nodes).hasSize(3);
        int primaries = 0;
        int streaming = 0;
        for (var n : nodes) {
            assertThat(n.get("reachable").asBoolean()).isTrue();
            assertThat(n.get("position").asText()).contains("/");
            if ("primary".equals(n.get("role").asText())) {
                primaries++;
                assertThat(n.get("writable").asBoolean()).isTrue();
            } else if ("streaming".equals(n.get("stream").asText())) {
                streaming++;
                assertThat(n.get("lagBytes").isNumber()).isTrue();
                assertThat(n.get("upstream").asText()).startsWith("127.0.0.1:");
            }
        }
        assertThat(primaries).isEqualTo(1);
        assertThat(streaming).isEqualTo(2);
    }

    @Test
    void aKilledReplicaMakesTheExitCodeOne() {
        var victim = topology.replicas().getLast();
        topology.kill(victim);
        try {
            var r = run("status", "-c", topology.configFile().toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).contains(victim.value()).contains("refused").contains("1 did not answer");
            assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("DEGRADED: ")
                    .contains(victim.value() + " did not answer (refused)");
        } finally {
            topology.start(victim);
            topology.awaitStreaming(victim);
        }
    }
}
