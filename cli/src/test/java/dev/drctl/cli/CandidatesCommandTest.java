package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drctl candidates} against nodes nobody listens on (real refused connections): it still prints a
 * verdict with its evidence, exits 0, and names the known clusters when asked for an unknown one.
 */
class CandidatesCommandTest {

    @TempDir
    Path dir;

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

    private Path config() throws IOException {
        var yaml = """
                clusters:
                  - name: ghosts
                    engine: postgresql
                    credentials: { user: drctl }
                    nodes:
                      - { name: g1, host: 127.0.0.1, port: %d, region: r1 }
                      - { name: g2, host: 127.0.0.1, port: %d, region: r2 }
                  - name: spirits
                    engine: mariadb
                    credentials: { user: drctl }
                    nodes:
                      - { name: s1, host: 127.0.0.1, port: %d, region: r1 }
                      - { name: s2, host: 127.0.0.1, port: %d, region: r1 }
                compliance:
                  store: "jdbc:sqlite:%s"
                """.formatted(freePort(), freePort(), freePort(), freePort(), dir.resolve("drctl.db"));
        var file = dir.resolve("drctl.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void unreachableClusterSaysTheFaultIsMostLikelyDrctls() throws IOException {
        var r = run("candidates", "ghosts", "--snapshot", "-c", config().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("cluster ghosts (postgresql), probed at ")
                .contains("note: one probe round: failure-threshold (3 probes over 3s) cannot be met from one"
                        + " snapshot, so a failing primary shows as suspect at most")
                .contains("verdict: DRCTL BLIND")
                .contains("  ghosts: drctl reaches no node: every node is unreachable; the fault is most likely"
                        + " drctl's own: check drctl's network path to the nodes")
                .contains("decision (what drctl failover ghosts would do now): refuse (drctl_blind)")
                .containsPattern("g1\\s+unreachable \\(REFUSED")
                .contains("ranking (no primary seen in this snapshot: data loss cannot be measured):")
                .contains("  no candidate")
                .containsPattern("g2  unreachable: latest probe failed \\(REFUSED");
    }

    @Test
    void jsonCarriesVerdictEvidenceRankingAndTheDecisionAfterConfirmingLikeFailover() throws IOException {
        var r = run("candidates", "ghosts", "-c", config().toString(), "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        var json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("cluster").asText()).isEqualTo("ghosts");
        assertThat(json.get("probeRounds").asInt()).as("failure-threshold rounds, as failover takes").isEqualTo(4);
        assertThat(json.at("/verdict/kind").asText()).isEqualTo("drctl_blind");
        assertThat(json.at("/decision/kind").asText()).isEqualTo("refuse");
        assertThat(json.at("/decision/refusal").asText()).isEqualTo("drctl_blind");
        assertThat(json.at("/decision/next").asText()).isEqualTo("drctl status ghosts");
        assertThat(json.at("/verdict/evidence")).hasSize(2);
        assertThat(json.at("/verdict/evidence/0/said").asText()).startsWith("unreachable (REFUSED");
        assertThat(json.at("/ranking/against").isNull()).isTrue();
        assertThat(json.at("/ranking/ranked")).isEmpty();
        assertThat(json.at("/ranking/excluded")).hasSize(2);
        assertThat(json.at("/ranking/excluded/0/exclusion").asText()).isEqualTo("unreachable");
    }

    @Test
    void unknownClusterIsBadUsageAndListsTheKnownOnes() throws IOException {
        var r = run("candidates", "nosuch", "-c", config().toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no cluster named 'nosuch' in ").contains("its clusters: ghosts, spirits");
        assertThat(r.err()).doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void clusterArgumentIsRequired() throws IOException {
        var r = run("candidates", "-c", config().toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required parameter: 'CLUSTER'");
    }
}
