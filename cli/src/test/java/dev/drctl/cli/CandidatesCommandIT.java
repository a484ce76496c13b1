package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code drctl candidates} as a new user runs it: against a local topology's own config file. */
class CandidatesCommandIT {
    static LocalTopology topology;

    @BeforeAll
    static void up() {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2)
                .regions("ap-south-1", "ap-south-1", "ap-south-2").clusterName("cand-pg").start();
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
    void showsTheVerdictAndTheRankingWithReasons() {
        var r = run("candidates", "cand-pg", "-c", topology.configFile().toString());
        System.out.println(r.out());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("verdict: HEALTHY", "cand-pg: pg-1 is the writable primary and every replica"
                        + " streams from it", "ranking (replacements for pg-1):", "PLACE", "why: first: ", "RPO guard: clear")
                .contains("pg-1  primary: the writable primary, not a candidate").doesNotContain("failed_primary");
    }

    @Test
    void jsonRanksBothReplicas() throws IOException {
        var r = run("candidates", "cand-pg", "-c", topology.configFile().toString(), "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        var json = new ObjectMapper().readTree(r.out());
        assertThat(json.at("/verdict/kind").asText()).isEqualTo("healthy");
        assertThat(json.at("/ranking/ranked")).hasSize(2);
        assertThat(json.at("/ranking/ranked/0/reason").asText()).startsWith("first: ");
        assertThat(json.at("/ranking/ranked/0/position").asText()).contains("(timeline 1)");
    }
}
