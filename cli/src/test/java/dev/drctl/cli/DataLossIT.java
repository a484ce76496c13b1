package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, "data loss known or refused", through {@code drctl candidates} on real servers: a replica whose stream
 * broke while the primary kept writing is never taken for one that is in sync, and when it is the only one left the
 * RPO block says the loss is unknown (PostgreSQL) or names the missing transactions (MariaDB), with the
 * {@code --accept-data-loss} command.
 */
class DataLossIT {
    @TempDir
    Path dir;

    @Test
    void postgresReplicaThatStoppedReceivingIsUnknownAndTheInSyncOneIsChosen() throws Exception {
        try (var topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir.resolve("pg")).start()) {
            var s = new BrokenStreamScenario(topology).run();

            var both = CliRun.of("candidates", s.cluster(), "-c", s.config(), "-o", "json");
            assertThat(both.exit()).as(both.all()).isZero();
            var json = both.json();
            assertThat(json.at("/ranking/against").asText()).isEqualTo(s.primary.value());
            assertThat(json.at("/ranking/ranked/0/node").asText()).as(both.out()).isEqualTo(s.a.value());
            assertThat(BrokenStreamScenario.ranked(json, s.a).path("dataLoss").asText()).startsWith("none: holds all of "
                    + s.primary + "'s last position");
            var bLoss = BrokenStreamScenario.ranked(json, s.b).path("dataLoss").asText();
            assertThat(bLoss).startsWith("unknown: " + s.b + " ").contains(s.primary + " was last seen at")
                    .contains("and lacks ");
            assertThat(json.at("/ranking/rpoBlock").isNull()).as(both.out()).isTrue();

            s.noFailover(s.a);
            var onlyB = CliRun.of("candidates", s.cluster(), "-c", s.config(), "-o", "json");
            assertThat(onlyB.exit()).as(onlyB.all()).isZero();
            assertThat(onlyB.json().at("/ranking/ranked/0/node").asText()).isEqualTo(s.b.value());
            assertThat(onlyB.json().at("/ranking/rpoBlock").asText()).as(onlyB.out())
                    .contains("best candidate " + s.b + " data loss unknown: " + s.b)
                    .endsWith("drctl failover " + s.cluster() + " --accept-data-loss promotes it anyway");
            var table = CliRun.of("candidates", s.cluster(), "-c", s.config());
            assertThat(table.out()).contains("data loss: unknown: " + s.b).contains("RPO guard: best candidate " + s.b);
        }
    }

    @Test
    void mariadbReplicaMissingTransactionsRanksBelowTheOneThatHasThemAndTheBlockNamesThem() throws Exception {
        try (var topology = LocalTopology.builder(Engine.MARIADB).replicas(2).dir(dir.resolve("maria")).start()) {
            var s = new BrokenStreamScenario(topology).run();
            var last = s.last.display().strip();
            var have = s.bHolds.display().strip();
            // One replication domain in the testenv: "0-<server>-<seq>".
            var server = last.split("-")[1];
            var missing = "0-" + server + "-" + (have.isEmpty() ? 1 : Long.parseLong(have.split("-")[2]) + 1) + ".."
                    + last.split("-")[2];

            var both = CliRun.of("candidates", s.cluster(), "-c", s.config(), "-o", "json");
            System.out.println("primary at " + last + ", " + s.b + " holds " + have + "\n" + both.out());
            assertThat(both.exit()).as(both.all()).isZero();
            var json = both.json();
            assertThat(json.at("/ranking/ranked/0/node").asText()).as(both.out()).isEqualTo(s.a.value());
            assertThat(BrokenStreamScenario.ranked(json, s.a).path("dataLoss").asText()).startsWith("none: ");
            assertThat(BrokenStreamScenario.ranked(json, s.b).path("behindCandidates").asInt()).isEqualTo(1);
            assertThat(BrokenStreamScenario.ranked(json, s.b).path("dataLoss").asText()).contains("(" + missing + ")");
            assertThat(json.at("/ranking/rpoBlock").isNull()).as(both.out()).isTrue();

            s.noFailover(s.a);
            var onlyB = CliRun.of("candidates", s.cluster(), "-c", s.config(), "-o", "json");
            assertThat(onlyB.exit()).as(onlyB.all()).isZero();
            assertThat(onlyB.json().at("/ranking/rpoBlock").asText()).as(onlyB.out())
                    .contains("best candidate " + s.b + " data loss unknown")
                    .contains("(" + missing + ")")
                    .endsWith("drctl failover " + s.cluster() + " --accept-data-loss promotes it anyway");
        }
    }
}
