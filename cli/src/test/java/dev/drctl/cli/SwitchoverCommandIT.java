package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.promotion.ClusterVerdict;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drctl switchover} round trip A → B → A on a real PostgreSQL 1+2 under a steady insert workload: zero
 * acknowledged inserts lost, each direction's write unavailability recorded, the old primary a streaming replica of
 * the new one each time.
 */
class SwitchoverCommandIT {
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
    void oneWayUnderWorkloadLosesNoAcknowledgedWrite() throws Exception {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir).start();
        var config = topology.configFile().toString();
        var cluster = topology.clusterName().value();
        var a = topology.primary();
        var b = topology.replicas().getFirst();
        var c = topology.replicas().getLast();
        try (var workload = new Workload(topology, a)) {
            workload.awaitMore(30, Duration.ofSeconds(30));
            var there = CliRun.of("switchover", cluster, "--to", b.value(), "-c", config, "-o", "json");
            assertThat(there.exit()).as(there.all()).isZero();
            var json = there.json();
            assertThat(json.at("/facts/newPrimary").asText()).isEqualTo(b.value());
            assertThat(json.at("/record/kind").asText()).isEqualTo("SWITCHOVER");
            assertThat(json.at("/record/rtoMillis").asLong()).as("write unavailability A->B").isPositive();
            assertThat(there.err()).contains("[ok]       demote").contains("[ok]       catch-up")
                    .contains("[ok]       rejoin");
            workload.target(b);
            workload.awaitMore(30, Duration.ofSeconds(30));
            Await.until(c + " streams from " + b, Duration.ofSeconds(30), () -> FailoverCommandIT.receiverOf(topology, c)
                    .equals("streaming:" + topology.node(b).serverPort()));
            workload.close();
            assertThat(workload.rowsOn(b)).as("zero acknowledged inserts lost").containsAll(workload.acked());
        }
        var verify = CliRun.of("audit", "verify", "-c", config);
        assertThat(verify.exit()).as(verify.all()).isZero();
    }

    /**
     * The round trip under an application writing with explicit {@code BEGIN READ WRITE} transactions, which
     * {@code default_transaction_read_only} does not stop: the demotion also takes the application's logins away (and
     * each promotion gives them back), so no write is acknowledged by a demoted primary; every acknowledged id is on
     * the final primary.
     */
    @Test
    void roundTripUnderWorkloadLosesNoAcknowledgedWrite() throws Exception {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir).start();
        var config = topology.configFile().toString();
        var cluster = topology.clusterName().value();
        var a = topology.primary();
        var b = topology.replicas().getFirst();
        try (var workload = Workload.beginReadWrite(topology, a, "explicit_rw")) {
            workload.awaitMore(30, Duration.ofSeconds(30));

            var plan = CliRun.of("switchover", cluster, "--to", b.value(), "--dry-run", "-c", config);
            assertThat(plan.exit()).as(plan.all()).isZero();
            assertThat(plan.out()).contains("[plan]     demote").contains("[ok]       check");

            var there = CliRun.of("switchover", cluster, "--to", b.value(), "-c", config, "-o", "json");
            assertThat(there.exit()).as(there.all()).isZero();
            var first = there.json();
            assertThat(first.at("/facts/newPrimary").asText()).isEqualTo(b.value());
            assertThat(first.at("/record/kind").asText()).isEqualTo("SWITCHOVER");
            assertThat(first.at("/record/rtoMillis").asLong()).as("write unavailability A->B").isPositive();
            CliRun.assertJournaled(topology.configFile(), first, CliRun.SWITCHOVER_STEPS);
            var verifyFirst = CliRun.of("audit", "verify", "-c", config);
            assertThat(verifyFirst.exit()).as(verifyFirst.all()).isZero();
            workload.target(b);
            workload.awaitMore(30, Duration.ofSeconds(30));
            Await.until(a + " streams from " + b, Duration.ofSeconds(30), () -> FailoverCommandIT.receiverOf(topology, a)
                    .equals("streaming:" + topology.node(b).serverPort()));

            // As an operator would: the rejoined node's receiver settles, then the cluster is healthy again.
            var last = new ClusterVerdict[1];
            try {
                Await.until("a healthy cluster after the first switchover", Duration.ofSeconds(30),
                        () -> (last[0] = FailoverCommandIT.verdict(topology)) instanceof ClusterVerdict.Healthy);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; last verdict: " + last[0], e);
            }
            var back = CliRun.of("switchover", cluster, "--to", a.value(), "-c", config, "-o", "json");
            assertThat(back.exit()).as(back.all()).isZero();
            var second = back.json();
            assertThat(second.at("/facts/newPrimary").asText()).isEqualTo(a.value());
            assertThat(second.at("/facts/epoch").asText()).isEqualTo("2");
            assertThat(second.at("/record/rtoMillis").asLong()).as("write unavailability B->A").isPositive();
            CliRun.assertJournaled(topology.configFile(), second, CliRun.SWITCHOVER_STEPS);
            workload.target(a);
            workload.awaitMore(30, Duration.ofSeconds(30));
            for (NodeName replica : new NodeName[] {b, topology.replicas().getLast()}) {
                Await.until(replica + " streams from " + a, Duration.ofSeconds(30), () -> FailoverCommandIT
                        .receiverOf(topology, replica).equals("streaming:" + topology.node(a).serverPort()));
            }
            workload.close();
            assertThat(workload.rowsOn(a)).as("zero acknowledged inserts lost").containsAll(workload.acked());
        }
        var verify = CliRun.of("audit", "verify", "-c", config);
        assertThat(verify.exit()).as(verify.all()).isZero();
    }
}
