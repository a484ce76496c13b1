package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.JournalKind;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safety rule 1 at the command level, on real PostgreSQL 1+2 topologies: drctl cut from a live primary by the fault
 * proxy while its replicas stream is a partition of drctl, never a failover; and when a data centre is lost (the
 * primary and one of two replicas killed) the last replica cannot confirm the death by a majority, so the failover is
 * refused until an operator asserts it with {@code --former-primary}, which the journal then shows.
 */
class FailoverEvidenceIT {
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
    void drctlCutFromALivePrimaryWhileReplicasStreamIsRefusedAsAPartition() throws SQLException {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).proxied(true).dir(dir).start();
        var config = topology.configFile().toString();
        var cluster = topology.clusterName().value();
        var primary = topology.primary();
        topology.replicas().forEach(topology::awaitStreaming);

        topology.drctlLink(primary).refuse();
        topology.drctlLink(primary).cutExisting();
        var refused = CliRun.of("failover", cluster, "-c", config);
        assertThat(refused.exit()).as(refused.all()).isEqualTo(3);
        assertThat(refused.err()).contains("drctl is partitioned from " + primary)
                .contains("still stream");
        assertThat(refused.all()).contains("[REFUSED]  analyse");

        var look = CliRun.of("candidates", cluster, "-c", config, "-o", "json");
        assertThat(look.exit()).as(look.all()).isZero();
        assertThat(look.json().at("/verdict/kind").asText()).isEqualTo("drctl_partitioned");
        assertThat(look.json().at("/decision/refusal").asText()).isEqualTo("drctl_partitioned");

        // Nothing changed: the primary still takes writes, no replica was promoted.
        try (var c = topology.connect(primary); var s = c.createStatement()) {
            s.execute("CREATE TABLE still_primary (id int)");
        }
        for (var r : topology.replicas()) {
            try (var c = topology.connect(r); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as(r + " is still a replica").isTrue();
            }
        }
        var decisions = CliRun.journal(topology.configFile()).stream()
                .filter(e -> e.kind() == JournalKind.DECISION).toList();
        assertThat(decisions).as("no failover was decided").isEmpty();
    }

    @Test
    void dataCentreLossNeedsTheOperatorsAssertionAndTheJournalShowsIt() throws SQLException {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir).start();
        var config = topology.configFile().toString();
        var cluster = topology.clusterName().value();
        var primary = topology.primary();
        var local = topology.replicas().getFirst();
        var last = topology.replicas().getLast();
        topology.replicas().forEach(topology::awaitStreaming);

        topology.kill(primary);
        topology.kill(local);

        var refused = CliRun.of("failover", cluster, "--to", last.value(), "-c", config);
        assertThat(refused.exit()).as(refused.all()).isEqualTo(3);
        assertThat(refused.err()).contains("--former-primary");
        assertRecovering(last);

        var wrong = CliRun.of("failover", cluster, "--to", last.value(), "--former-primary", last.value(),
                "--accept-data-loss", "-c", config);
        assertThat(wrong.exit()).as("asserting the candidate itself was the primary: " + wrong.all()).isEqualTo(3);
        assertRecovering(last);

        // Nothing recorded the lost data centre's primary before it went: its last position, hence the loss, is
        // genuinely unknown, so the operator accepts it as well as asserting the death.
        var asserted = CliRun.of("failover", cluster, "--to", last.value(), "--former-primary", primary.value(),
                "--accept-data-loss", "-c", config, "-o", "json");
        assertThat(asserted.exit()).as(asserted.all()).isZero();
        var json = asserted.json();
        assertThat(json.at("/facts/newPrimary").asText()).isEqualTo(last.value());
        assertThat(json.at("/facts/oldPrimary").asText()).isEqualTo(primary.value());
        assertThat(json.at("/facts/deathAsserted").asText()).isEqualTo("true");
        try (var c = topology.connect(last); var s = c.createStatement()) {
            s.execute("CREATE TABLE after_dc_loss (id int)");
        }
        var runId = json.get("runId").asText();
        var mine = CliRun.journal(topology.configFile()).stream()
                .filter(e -> e.runId().orElse("").equals(runId)).toList();
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.MANUAL_OVERRIDE)
                .anySatisfy(e -> {
                    assertThat(e.payloadTree().path("override").asText()).isEqualTo("operator assertion");
                    assertThat(e.payloadTree().path("formerPrimary").asText()).isEqualTo(primary.value());
                    assertThat(e.actor().value()).isEqualTo("user:it-tester");
                });
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.DECISION)
                .singleElement().satisfies(e -> assertThat(e.payloadTree().path("deathAsserted").asBoolean()).isTrue());
        var verify = CliRun.of("audit", "verify", "-c", config);
        assertThat(verify.exit()).as(verify.all()).isZero();
    }

    private void assertRecovering(NodeName node) throws SQLException {
        try (var c = topology.connect(node); var s = c.createStatement();
             var rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as(node + " was not promoted").isTrue();
        }
    }
}
