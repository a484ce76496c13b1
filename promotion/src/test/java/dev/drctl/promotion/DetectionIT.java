package dev.drctl.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;

/**
 * The detector on a real PostgreSQL primary with two streaming replicas, every link through a fault proxy,
 * probed by the real scheduler (1 s interval, 800 ms timeout, 3 failures over 3 s). The tests run in order
 * on one topology; the last one kills the primary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DetectionIT {
    static LocalTopology topology;
    static ClusterSpec spec;

    @BeforeAll
    static void up() {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).proxied(true).clusterName("detect-pg").start();
        spec = topology.clusterSpec();
    }

    @AfterAll
    static void down() {
        if (topology != null) {
            topology.close();
        }
    }

    static void pause() {
        DetectorWatch.pause();
    }

    static void sql(NodeName node, String... statements) throws SQLException {
        try (var c = topology.connect(node); var s = c.createStatement()) {
            for (var st : statements) {
                s.execute(st);
            }
        }
    }

    static boolean healthy(Detector.Assessment a) {
        return a.verdict() instanceof ClusterVerdict.Healthy;
    }

    @Test
    @Order(1)
    void aReplicaWithReplayPausedRanksBelowAnUpToDateOne() throws SQLException {
        var lagging = topology.replicas().get(0);
        var upToDate = topology.replicas().get(1);
        try (var w = new DetectorWatch(spec)) {
            w.await("healthy cluster", Duration.ofSeconds(30), DetectionIT::healthy);
            sql(lagging, "SELECT pg_wal_replay_pause()");
            try {
                sql(topology.primary(), "CREATE TABLE IF NOT EXISTS detection_it (id int, pad text)",
                        "INSERT INTO detection_it SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
                var a = w.await("the paused replica ranked last", Duration.ofSeconds(30), x ->
                        x.ranking().ranked().size() == 2
                                && x.ranking().ranked().get(0).node().equals(upToDate)
                                && x.ranking().ranked().get(1).lag().bytes().orElse(0L) > 0);
                var last = a.ranking().ranked().get(1);
                assertThat(last.node()).isEqualTo(lagging);
                // PostgreSQL ranks by what a standby received (it replays all of it on promotion): same data,
                // so the paused one loses on lag, and says so.
                assertThat(last.reason()).contains("but lag");
                assertThat(a.verdict()).isInstanceOf(ClusterVerdict.ReplicaProblems.class);
                assertThat(a.verdict().summary()).contains(lagging + ": apply stopped");
            } finally {
                sql(lagging, "SELECT pg_wal_replay_resume()");
            }
            w.await("healthy again", Duration.ofSeconds(30), DetectionIT::healthy);
        }
    }

    @Test
    @Order(2)
    void aReplicaCutFromThePrimaryRanksBelowOnData() throws SQLException {
        var cut = topology.replicas().get(0);
        var upToDate = topology.replicas().get(1);
        try (var w = new DetectorWatch(spec)) {
            w.await("healthy cluster", Duration.ofSeconds(30), DetectionIT::healthy);
            var link = topology.replicationLink(cut);
            link.refuse();
            link.cutExisting();
            try {
                sql(topology.primary(), "CREATE TABLE IF NOT EXISTS detection_it (id int, pad text)",
                        "INSERT INTO detection_it SELECT g, repeat('y', 200) FROM generate_series(1, 20000) g");
                var a = w.await("the cut replica behind on data", Duration.ofSeconds(30), x ->
                        x.ranking().ranked().size() == 2 && x.ranking().ranked().get(1).node().equals(cut)
                                && x.ranking().ranked().get(1).behindCandidates() == 1);
                assertThat(a.ranking().ranked().get(0).node()).isEqualTo(upToDate);
                assertThat(a.ranking().ranked().get(1).reason()).startsWith("behind " + upToDate + " on data;");
                assertThat(a.verdict().summary()).contains(cut + ": stream down");
            } finally {
                link.pass();
            }
            topology.awaitStreaming(cut);
            w.await("healthy again", Duration.ofSeconds(30), DetectionIT::healthy);
        }
    }

    @Test
    @Order(3)
    void blackHolingDrctlToThePrimaryIsAPartitionNeverADeath() {
        var primary = topology.primary();
        try (var w = new DetectorWatch(spec)) {
            w.await("healthy cluster", Duration.ofSeconds(30), DetectionIT::healthy);
            topology.drctlLink(primary).blackhole();
            try {
                w.await("DrctlPartitioned", Duration.ofSeconds(20),
                        a -> a.verdict() instanceof ClusterVerdict.DrctlPartitioned);
                var window = spec.failover().failureWindow();
                var holdUntil = System.nanoTime() + window.multipliedBy(3).toNanos();
                while (System.nanoTime() < holdUntil) {
                    var a = w.latest();
                    assertThat(a.verdict()).as(a.verdict().summary()).isInstanceOf(ClusterVerdict.DrctlPartitioned.class);
                    assertThat(a.decision()).isInstanceOf(FailoverDecision.Wait.class);
                    pause();
                }
                assertThat(w.verdicts()).noneMatch(v -> v instanceof ClusterVerdict.PrimaryDead);
                assertThat(w.events).noneMatch(e -> e instanceof DetectorEvent.DecisionMade d
                        && d.decision() instanceof FailoverDecision.Promote);
            } finally {
                topology.drctlLink(primary).pass();
            }
        }
    }

    @Test
    @Order(4)
    void killingThePrimaryIsDeathWithinThresholdTimesIntervalPlusOneTimeout() {
        var primary = topology.primary();
        var policy = spec.failover();
        try (var w = new DetectorWatch(spec)) {
            w.await("healthy cluster", Duration.ofSeconds(30), DetectionIT::healthy);
            var killedAt = Instant.now();
            topology.kill(primary);
            var a = w.await("PrimaryDead", Duration.ofSeconds(30), x -> x.verdict() instanceof ClusterVerdict.PrimaryDead);
            var dead = w.awaitEvent("VerdictChanged to PrimaryDead", Duration.ofSeconds(5),
                    e -> e instanceof DetectorEvent.VerdictChanged v && v.to() instanceof ClusterVerdict.PrimaryDead);
            var detection = Duration.between(killedAt, dead.at());
            var bound = policy.probeInterval().multipliedBy(policy.failureThreshold()).plus(policy.probeTimeout());
            w.events.stream().filter(e -> e instanceof DetectorEvent.VerdictChanged).forEach(e -> System.out.println(
                    "  " + Duration.between(killedAt, e.at()).toMillis() + " ms " + ((DetectorEvent.VerdictChanged) e).to().summary()));
            System.out.println("detection of a killed primary: " + detection.toMillis() + " ms (bound " + bound.toMillis()
                    + " ms + 1000 ms margin)");
            assertThat(detection).isLessThanOrEqualTo(bound.plusSeconds(1));
            assertThat(a.decision()).isInstanceOf(FailoverDecision.Promote.class);
            assertThat(((ClusterVerdict.PrimaryDead) a.verdict()).replicasAgreeing())
                    .containsExactlyInAnyOrderElementsOf(topology.replicas());
        }
    }
}
