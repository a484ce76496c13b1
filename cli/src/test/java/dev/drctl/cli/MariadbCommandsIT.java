package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drctl.promotion.ClusterVerdict;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drctl failover}, {@code switchover} and {@code rejoin} against a real MariaDB 1+2 GTID topology, one
 * topology for the whole story (each step starts from where the previous one left the cluster): a live primary is
 * refused; a switchover round trip A → B → A under a steady insert workload loses no acknowledged insert; a kill -9 of
 * the primary is failed over to the most advanced replica, the other replica follows it and the workload resumes; the
 * old primary, killed before SQL could fence it, is held while down (read_only = ON in the testenv node's option file:
 * MariaDB cannot persist read_only) and restarts read-only, the application's first write on it failing;
 * {@code drctl fence} holds across a restart, and {@code drctl rejoin} turns it into a
 * GTID replica of the new primary. The journal is complete and
 * {@code audit verify} passes after every run.
 *
 * <p>MariaDB replication here is asynchronous: for the failover, the workload is paused (no insert in flight) and the
 * test waits until both replicas hold every acknowledged row before the kill, then resumes it. Semi-sync is not used:
 * an insert in flight at the kill is committed in the old primary's binary log without being acknowledged, so the
 * returning old primary would hold an errant transaction and {@code drctl rejoin} would (rightly) refuse it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariadbCommandsIT {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    LocalTopology topology;
    String config;
    String cluster;
    NodeName a;
    NodeName b;
    NodeName c;
    /** The primary after the failover, and the node it replaced. */
    NodeName promoted;
    NodeName failedOver;
    /** The failover's application writer (closed after it), for a first write on the restarted old primary. */
    Workload failedWriter;

    @BeforeAll
    void up() {
        topology = LocalTopology.builder(Engine.MARIADB).replicas(2).dir(dir).start();
        config = topology.configFile().toString();
        cluster = topology.clusterName().value();
        a = topology.primary();
        b = topology.replicas().getFirst();
        c = topology.replicas().getLast();
    }

    @AfterAll
    void down() {
        if (topology != null) {
            topology.close();
        }
    }

    /** "IO/SQL:port" of a replica's replication from its source, or "none". */
    static String sourceOf(LocalTopology topology, NodeName replica) {
        try (var conn = topology.connect(replica); var s = conn.createStatement();
             var rs = s.executeQuery("SHOW SLAVE STATUS")) {
            if (!rs.next()) {
                return "none";
            }
            return rs.getString("Slave_IO_Running") + "/" + rs.getString("Slave_SQL_Running") + ":"
                    + rs.getInt("Master_Port");
        } catch (SQLException e) {
            return "error " + e.getMessage();
        }
    }

    void awaitReplicates(NodeName replica, NodeName source) {
        var want = "Yes/Yes:" + topology.node(source).serverPort();
        Await.until(replica + " replicates from " + source + " (" + want + ")", WAIT,
                () -> sourceOf(topology, replica).equals(want));
    }

    boolean readOnly(NodeName node) throws SQLException {
        try (var conn = topology.connect(node); var s = conn.createStatement();
             var rs = s.executeQuery("SELECT @@GLOBAL.read_only")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    void awaitHealthy(String when) {
        var last = new ClusterVerdict[1];
        try {
            Await.until("a healthy cluster " + when, WAIT,
                    () -> (last[0] = FailoverCommandIT.verdict(topology)) instanceof ClusterVerdict.Healthy);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last verdict: " + last[0], e);
        }
    }

    void assertJournaled(JsonNode run, String... steps) {
        CliRun.assertJournaled(topology.configFile(), run, steps);
    }

    void assertAuditVerifies() {
        var verify = CliRun.of("audit", "verify", "-c", config);
        assertThat(verify.exit()).as(verify.all()).isZero();
    }

    @Test
    @Order(0)
    void aFreshTopologyShowsPositionsAndAKnownLagAndItsWriterRecordInSync() {
        try (var probes = new dev.drctl.probes.ProbeScheduler(List.of(topology.clusterSpec()), java.util.Map.of(),
                java.time.Clock.systemUTC())) {
            var round = probes.probeOnce(topology.clusterSpec());
            for (var node : List.of(a, b, c)) {
                var outcome = round.latest(node).orElseThrow().outcome();
                assertThat(outcome).as(node + " reached").isInstanceOf(dev.drctl.topology.ProbeOutcome.Reached.class);
                var reached = (dev.drctl.topology.ProbeOutcome.Reached) outcome;
                assertThat(reached.applied()).as(node + " has a GTID position, not an empty one").isPresent();
                assertThat(reached.applied().orElseThrow().display()).as(node + " position").contains("0-1-");
                if (!node.equals(a)) {
                    assertThat(reached.lag().bytes().isPresent() || reached.lag().time().isPresent())
                            .as(node + " lag is known: " + reached.lag()).isTrue();
                }
            }
        }
        var status = CliRun.of("status", "-c", config);
        assertThat(status.out()).as(status.all()).doesNotContain("(empty)");
        var dns = CliRun.of("dns", "show", cluster, "-c", config);
        assertThat(dns.exit()).as(dns.all()).isZero();
        assertThat(dns.out()).contains("in sync: the writer record points at the primary");
    }

    @Test
    @Order(1)
    void aLivePrimaryIsNotFailedOver() {
        var alive = CliRun.of("failover", cluster, "-c", config);
        assertThat(alive.exit()).as(alive.all()).isEqualTo(3);
        assertThat(alive.err()).contains("primary " + a + " is alive").contains("drctl switchover " + cluster);
        assertAuditVerifies();
    }

    @Test
    @Order(2)
    void switchoverRoundTripUnderWorkloadLosesNoAcknowledgedWrite() throws Exception {
        try (var workload = new Workload(topology, a, "switched")) {
            workload.awaitMore(30, WAIT);

            var there = CliRun.of("switchover", cluster, "--to", b.value(), "-c", config, "-o", "json");
            assertThat(there.exit()).as(there.all()).isZero();
            var first = there.json();
            assertThat(first.at("/facts/newPrimary").asText()).isEqualTo(b.value());
            assertThat(first.at("/record/kind").asText()).isEqualTo("SWITCHOVER");
            assertThat(first.at("/record/rtoMillis").asLong()).as("write unavailability A->B").isPositive();
            assertJournaled(first, CliRun.SWITCHOVER_STEPS);
            assertAuditVerifies();
            workload.target(b);
            workload.awaitMore(30, WAIT);
            awaitReplicates(a, b);
            awaitReplicates(c, b);
            assertThat(readOnly(a)).as(a + " rejoined read-only").isTrue();
            awaitHealthy("after A->B");

            var back = CliRun.of("switchover", cluster, "--to", a.value(), "-c", config, "-o", "json");
            assertThat(back.exit()).as(back.all()).isZero();
            var second = back.json();
            assertThat(second.at("/facts/newPrimary").asText()).isEqualTo(a.value());
            assertThat(second.at("/facts/epoch").asText()).isEqualTo("2");
            assertThat(second.at("/record/rtoMillis").asLong()).as("write unavailability B->A").isPositive();
            assertJournaled(second, CliRun.SWITCHOVER_STEPS);
            workload.target(a);
            workload.awaitMore(30, WAIT);
            awaitReplicates(b, a);
            awaitReplicates(c, a);
            workload.close();
            assertThat(workload.rowsOn(a)).as("zero acknowledged inserts lost").containsAll(workload.acked());
        }
        assertAuditVerifies();
        awaitHealthy("after the round trip");
    }

    @Test
    @Order(3)
    void killedPrimaryIsReplacedByTheMostAdvancedReplica() throws Exception {
        var old = a;
        try (var workload = new Workload(topology, old, "failed")) {
            failedWriter = workload;
            workload.awaitMore(50, WAIT);
            // asynchronous replication: no insert in flight, and both replicas hold every acknowledged one
            workload.pause();
            var acked = workload.acked();
            for (var replica : List.of(b, c)) {
                Await.until(replica + " holds every acknowledged insert", WAIT,
                        () -> workload.rowsOn(replica).containsAll(acked));
            }
            // Rounds recorded up to the kill (a daemon running, or an operator's status): the loss is measured.
            RoundRecorder.killWatched(topology, old);
            workload.resume();

            var plan = CliRun.of("failover", cluster, "--dry-run", "-c", config);
            assertThat(plan.exit()).as(plan.all()).isZero();
            assertThat(plan.out()).contains("[plan]     promote").contains("[ok]       rank");

            var run = CliRun.of("failover", cluster, "-c", config, "-o", "json");
            assertThat(run.exit()).as(run.all()).isZero();
            var json = run.json();
            promoted = new NodeName(json.at("/facts/newPrimary").asText());
            failedOver = old;
            assertThat(List.of(b, c)).contains(promoted);
            assertThat(json.at("/facts/oldPrimary").asText()).isEqualTo(old.value());
            assertThat(json.at("/facts/epoch").asText()).isEqualTo("3");
            assertThat(json.at("/record/status").asText()).isEqualTo("SUCCEEDED");
            assertThat(json.at("/record/rtoMillis").asLong()).isPositive();
            // killed, so unreachable; its server is drctl's own (testenv) and down: held while down, no split-brain risk
            assertThat(run.err()).contains("[ok]       promote").contains("[ok]       fence")
                    .doesNotContain("split-brain risk");
            assertThat(json.at("/facts/fence.rungs").asText()).contains("held while down: read_only = ON written into");
            assertJournaled(json, "probe", "analyse", "rank", "rpo-guard", "commit", "fence", "await-applied",
                    "promote", "verify-writable", "advance-epoch", "switch-writer-dns", "repoint-replicas");
            assertAuditVerifies();
            assertThat(run.all()).doesNotContain(topology.password());

            workload.target(promoted);
            workload.awaitMore(50, WAIT);
            var other = promoted.equals(b) ? c : b;
            awaitReplicates(other, promoted);
            workload.close();
            assertThat(workload.rowsOn(promoted)).as("every acknowledged insert is on the new primary")
                    .containsAll(workload.acked());
            assertThat(workload.rowsOn(other)).as("and on the replica that follows it").containsAll(acked);
        }
    }

    @Test
    @Order(4)
    void theRestartedOldPrimaryIsReportedAndRejoinedByGtid() throws Exception {
        assertThat(promoted).as("the failover ran").isNotNull();
        topology.start(failedOver);
        // killed before SQL could fence it, held while down (no daemon runs to fence it on sight): the application's
        // first write on it fails, and no split brain
        assertThatThrownBy(() -> failedWriter.insertOnce(failedOver)).as("the first write on the restarted " + failedOver)
                .isInstanceOf(SQLException.class).hasMessageContaining("read-only");
        assertThat(readOnly(failedOver)).as(failedOver + " read-only").isTrue();
        assertThat(FailoverCommandIT.verdict(topology)).isNotInstanceOf(ClusterVerdict.SplitBrain.class);

        var fence = CliRun.of("fence", cluster, failedOver.value(), "-c", config, "-o", "json");
        assertThat(fence.exit()).as(fence.all()).isZero();
        assertJournaled(fence.json(), "probe", "check", "fence");
        assertThat(fence.json().at("/facts/fence.rungs").asText()).contains("read_only = ON was already in");
        assertThat(readOnly(failedOver)).as(failedOver + " fenced").isTrue();
        // the fence holds across a restart of the old primary
        topology.stop(failedOver);
        topology.start(failedOver);
        assertThat(readOnly(failedOver)).as(failedOver + " restarted, still fenced").isTrue();
        assertThat(FailoverCommandIT.verdict(topology)).isNotInstanceOf(ClusterVerdict.SplitBrain.class);

        var rejoin = CliRun.of("rejoin", cluster, failedOver.value(), "-c", config, "-o", "json");
        assertThat(rejoin.exit()).as(rejoin.all()).isZero();
        assertJournaled(rejoin.json(), "probe", "check", "fence", "rejoin");
        assertThat(readOnly(failedOver)).as("the rejoined node is fenced").isTrue();
        awaitReplicates(failedOver, promoted);
        try (var conn = topology.connect(promoted); var s = conn.createStatement()) {
            s.execute("INSERT INTO app.failed (n, at) VALUES (-1, 'after rejoin')");
        }
        Await.until(failedOver + " applies the new primary's writes", WAIT, () -> {
            try (var conn = topology.connect(failedOver); var s = conn.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM app.failed WHERE n = -1")) {
                return rs.next() && rs.getInt(1) == 1;
            } catch (SQLException e) {
                return false;
            }
        });
        awaitHealthy("after the rejoin");
        assertAuditVerifies();
    }
}
