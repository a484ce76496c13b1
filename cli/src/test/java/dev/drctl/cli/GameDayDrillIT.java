package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.JournalKind;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The game day ({@code environment: cluster}) through {@code drctl drill run}, with a testenv PostgreSQL 1+2 standing
 * in for the real configured cluster: a planned switchover to the best replica and back under the writer workload,
 * write unavailability and RPO measured and judged; the cluster ends on its original primary with the drill's table
 * gone. A failure other than switchover is refused on the real cluster before anything runs.
 */
class GameDayDrillIT {
    @TempDir
    Path dir;
    LocalTopology topology;

    @AfterEach
    void down() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void aSwitchoverRoundTripOnTheRealClusterIsMeasuredAndJudged() throws Exception {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir).start();
        var config = topology.configFile();
        var original = topology.primary();
        Files.writeString(config, Files.readString(config) + """
                drills:
                  - name: game-day
                    cluster: %s
                    environment: cluster
                    failure: switchover
                    workload: { inserts-per-second: 20, duration: 5s }
                    targets: { rto: 30s, rpo: 0s }
                """.formatted(topology.clusterName().value()));
        var run = CliRun.of("drill", "run", "game-day", "-c", config.toString(), "-o", "json", "--report-dir",
                dir.resolve("reports").toString());
        assertThat(run.exit()).as(run.all()).isZero();
        var r = run.json();
        assertThat(r.path("passed").asBoolean()).as(run.all()).isTrue();
        assertThat(r.path("expectation").asText()).isEqualTo("switched_over_and_back");
        assertThat(r.path("lostWrites").asInt()).as("a planned switchover loses nothing").isZero();
        assertThat(r.path("rtoMillis").asLong()).as("write unavailability measured").isPositive()
                .isLessThanOrEqualTo(30_000);
        assertThat(r.path("findings").toString()).contains("back to " + original, "writes unavailable for at most",
                "no acknowledged write lost");
        System.out.println("game day postgresql: writes unavailable for at most " + r.path("rtoMillis").asLong()
                + " ms, " + r.path("acknowledgedWrites").asLong() + " writes acknowledged, findings "
                + r.path("findings"));

        assertThat(CliRun.journal(config)).as("the two switchovers are journaled as the runs they are")
                .filteredOn(e -> e.kind() == JournalKind.RUN_FINISHED && e.payloadTree().path("kind").asText()
                        .equals("SWITCHOVER")).hasSize(2);
        try (var c = topology.connect(original); var s = c.createStatement();
             var rs = s.executeQuery("SELECT pg_is_in_recovery(), to_regclass('drctl_drill_writes') IS NULL")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("back on the original primary").isFalse();
            assertThat(rs.getBoolean(2)).as("the drill's table dropped").isTrue();
        }
        var verify = CliRun.of("audit", "verify", "-c", config.toString());
        assertThat(verify.exit()).as(verify.all()).isZero();
    }

    @Test
    void anInjectedFailureIsRefusedOnTheRealCluster() throws Exception {
        var config = dir.resolve("drctl.yaml");
        Files.writeString(config, """
                clusters:
                  - name: payments
                    engine: postgresql
                    credentials: { user: drctl }
                    nodes:
                      - { name: db-1, host: 127.0.0.1, port: 1, region: r1 }
                      - { name: db-2, host: 127.0.0.1, port: 2, region: r1 }
                compliance: { store: "jdbc:sqlite:%s" }
                drills:
                  - { name: game-day, cluster: payments, environment: cluster, failure: kill-primary }
                """.formatted(dir.resolve("drctl.db")));
        var run = CliRun.of("drill", "run", "game-day", "-c", config.toString());
        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).contains("drills[0].failure", "never injects a failure into the real cluster",
                "expected switchover").doesNotContain("Exception");
    }
}
