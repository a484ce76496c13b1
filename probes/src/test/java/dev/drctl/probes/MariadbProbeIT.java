package dev.drctl.probes;

import static dev.drctl.probes.Observed.reached;
import static dev.drctl.probes.Observed.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.Comparison;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;
import dev.drctl.topology.SecretRef;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The MySQL-family probe against a real MariaDB primary and two GTID replicas. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariadbProbeIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static LocalTopology topology;
    static ClusterSpec cluster;
    static Probe probe;
    static NodeName primary;
    static NodeName replica1;
    static NodeName replica2;

    @BeforeAll
    static void up() {
        topology = LocalTopology.builder(Engine.MARIADB).replicas(2).dir(dir).start();
        cluster = topology.clusterSpec();
        probe = Probe.forCluster(cluster, Map.of(), Clock.systemUTC());
        primary = topology.primary();
        replica1 = topology.replicas().get(0);
        replica2 = topology.replicas().get(1);
    }

    @AfterAll
    static void down() {
        if (probe != null) {
            probe.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    static NodeObservation probe(NodeName node) {
        return probe.probe(cluster.node(node).orElseThrow());
    }

    static void on(NodeName node, String... statements) throws SQLException {
        try (var c = topology.connect(node); var s = c.createStatement()) {
            for (var sql : statements) {
                s.execute(sql);
            }
        }
    }

    static boolean readOnly(NodeName node) throws SQLException {
        try (var c = topology.connect(node); var s = c.createStatement(); var rs = s.executeQuery("SELECT @@GLOBAL.read_only")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    static DataPosition applied(ProbeOutcome.Reached r) {
        return r.applied().orElseThrow();
    }

    @Test
    @Order(1)
    void reportsOnePrimaryAndTwoReplicatingReplicas() throws SQLException {
        var p = reached(probe(primary));
        assertThat(p.role()).isEqualTo(Role.PRIMARY);
        assertThat(p.writable()).isTrue();
        assertThat(p.serverVersion()).containsIgnoringCase("mariadb");
        assertThat(applied(p)).isInstanceOf(DataPosition.MariadbGtidPos.class);
        assertThat(p.received()).isEqualTo(p.applied());
        assertThat(p.stream()).isEmpty();

        int primaryPort = topology.node(primary).serverPort();
        for (var replica : List.of(replica1, replica2)) {
            var o = probe(replica);
            var r = reached(o);
            assertThat(r.role()).isEqualTo(Role.REPLICA);
            assertThat(r.writable()).isEqualTo(!readOnly(replica));
            assertThat(stream(o).receiving()).isTrue();
            assertThat(stream(o).applying()).isTrue();
            assertThat(stream(o).upstreamHost()).contains("127.0.0.1");
            assertThat(stream(o).upstreamPort()).contains(primaryPort);
            assertThat(stream(o).lastError()).isEmpty();
            assertThat(applied(r)).isInstanceOf(DataPosition.MariadbGtidPos.class);
            // No byte lag in the MySQL family: unknown, never a made-up zero.
            assertThat(r.lag().bytes()).isEmpty();
        }
    }

    @Test
    @Order(2)
    void replicaPositionsAdvanceAfterWritesOnThePrimary() throws SQLException {
        var before = applied(reached(probe(replica1)));
        on(primary, "CREATE DATABASE IF NOT EXISTS probe_it",
                "CREATE TABLE IF NOT EXISTS probe_it.t (id INT AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(64))",
                "INSERT INTO probe_it.t (payload) VALUES ('a'), ('b'), ('c')");
        var written = applied(reached(probe(primary)));
        assertThat(written.compareWith(before)).isEqualTo(Comparison.AHEAD);

        for (var replica : List.of(replica1, replica2)) {
            var caughtUp = Eventually.await(replica + " applying up to " + written.display(), WAIT,
                    () -> reached(probe(replica)), r -> applied(r).compareWith(written) == Comparison.EQUAL);
            assertThat(applied(caughtUp).compareWith(before)).isEqualTo(Comparison.AHEAD);
            assertThat(caughtUp.received().orElseThrow().compareWith(written)).isEqualTo(Comparison.EQUAL);
            assertThat(caughtUp.lag().time()).contains(Duration.ZERO);
        }
    }

    @Test
    @Order(3)
    void aStoppedIoThreadShowsNotReceivingAndUnknownLag() throws SQLException {
        on(replica2, "STOP SLAVE IO_THREAD");
        try {
            var o = Eventually.await(replica2 + " not receiving", WAIT, () -> probe(replica2),
                    x -> Observed.isReached(x) && !stream(x).receiving());
            assertThat(stream(o).applying()).isTrue();
            on(primary, "INSERT INTO probe_it.t (payload) VALUES ('d')");
            var written = applied(reached(probe(primary)));
            var r = reached(probe(replica2));
            assertThat(applied(r).compareWith(written)).isEqualTo(Comparison.BEHIND);
            // Seconds_Behind_Master is NULL with the IO thread stopped: unknown, never 0.
            assertThat(r.lag().time()).isEmpty();
        } finally {
            on(replica2, "START SLAVE IO_THREAD");
        }
        var written = applied(reached(probe(primary)));
        Eventually.await(replica2 + " caught up again", WAIT, () -> reached(probe(replica2)),
                r -> r.stream().orElseThrow().receiving() && applied(r).compareWith(written) == Comparison.EQUAL);
    }

    @Test
    @Order(4)
    void aStoppedReplicaShowsBothThreadsDown() throws SQLException {
        on(replica1, "STOP SLAVE");
        try {
            var o = Eventually.await(replica1 + " stopped", WAIT, () -> probe(replica1),
                    x -> Observed.isReached(x) && !stream(x).receiving() && !stream(x).applying());
            var r = reached(o);
            assertThat(r.role()).as("a stopped replica is still a replica").isEqualTo(Role.REPLICA);
            assertThat(r.lag().time()).isEmpty();
        } finally {
            on(replica1, "START SLAVE");
        }
        Eventually.await(replica1 + " replicating again", WAIT, () -> probe(replica1),
                x -> Observed.isReached(x) && stream(x).receiving() && stream(x).applying());
    }

    @Test
    @Order(5)
    void aWrongPasswordIsAuth() {
        var wrong = new ClusterSpec(cluster.name(), cluster.engine(),
                new Credentials(cluster.credentials().user(), Optional.of(new SecretRef.Env("WRONG_PW"))),
                cluster.nodes(), cluster.failover(), cluster.dns());
        try (var bad = Probe.forCluster(wrong, Map.of("WRONG_PW", "not-the-password"), Clock.systemUTC())) {
            var o = bad.probe(wrong.node(primary).orElseThrow());
            assertThat(o.outcome()).isInstanceOfSatisfying(ProbeOutcome.Failed.class, f -> {
                assertThat(f.kind()).as(f.detail()).isEqualTo(FailureKind.AUTH);
                assertThat(f.detail()).doesNotContain("not-the-password");
            });
        }
    }

    @Test
    @Order(6)
    void aKilledNodeIsRefused() {
        topology.kill(replica2);
        var o = Eventually.await(replica2 + " refused", WAIT, () -> probe(replica2),
                x -> x.outcome() instanceof ProbeOutcome.Failed f && f.kind() == FailureKind.REFUSED);
        assertThat(o.latency()).isLessThan(cluster.failover().probeTimeout().plus(Duration.ofMillis(1500)));
        reached(probe(primary));
    }
}
