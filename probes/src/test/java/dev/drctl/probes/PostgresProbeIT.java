package dev.drctl.probes;

import static dev.drctl.probes.Observed.reached;
import static dev.drctl.probes.Observed.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.ClusterHistory;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL probe against a real primary and two streaming replicas, with fault proxies between
 * drctl and each node and between each replica and the primary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresProbeIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Generous: a shared 2-core machine; what matters is "about probe-timeout, never unbounded". */
    private static final Duration MARGIN = Duration.ofMillis(1500);

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
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).proxied(true).dir(dir).start();
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

    static void onPrimary(String... statements) throws SQLException {
        try (var c = topology.connect(primary); var s = c.createStatement()) {
            for (var sql : statements) {
                s.execute(sql);
            }
        }
    }

    static void on(NodeName node, String sql) throws SQLException {
        try (var c = topology.connect(node); var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static DataPosition.PgLsn position(ProbeOutcome.Reached r) {
        return (DataPosition.PgLsn) r.applied().orElseThrow();
    }

    @Test
    @Order(1)
    void reportsOnePrimaryAndTwoStreamingReplicas() {
        var p = reached(probe(primary));
        assertThat(p.role()).isEqualTo(Role.PRIMARY);
        assertThat(p.writable()).isTrue();
        assertThat(p.received()).isEqualTo(p.applied());
        assertThat(position(p).timeline()).isEqualTo(1);
        assertThat(p.lag()).isEqualTo(dev.drctl.topology.Lag.none());
        assertThat(p.stream()).isEmpty();
        assertThat(p.serverVersion()).matches("\\d+.*");

        for (var replica : List.of(replica1, replica2)) {
            var o = probe(replica);
            var r = reached(o);
            assertThat(r.role()).isEqualTo(Role.REPLICA);
            assertThat(r.writable()).isFalse();
            assertThat(stream(o).receiving()).isTrue();
            assertThat(stream(o).applying()).isTrue();
            assertThat(stream(o).upstreamHost()).contains("127.0.0.1");
            assertThat(stream(o).upstreamPort()).isPresent();
            assertThat(position(r).timeline()).isEqualTo(1);
            assertThat(r.received().orElseThrow().compareWith(r.applied().orElseThrow()))
                    .isIn(Comparison.AHEAD, Comparison.EQUAL);
            assertThat(r.lag().bytes()).isPresent();
            // When it last heard from its upstream, on the server's clock: recent while it streams.
            assertThat(stream(o).lastContact()).isPresent();
            assertThat(stream(o).lastContact().orElseThrow()).isAfter(o.at().minus(Duration.ofMinutes(2)));
            assertThat(o.latency()).isLessThan(cluster.failover().probeTimeout().plus(MARGIN));
        }
    }

    @Test
    @Order(2)
    void replicaPositionsAdvanceAfterWritesOnThePrimary() throws SQLException {
        var before = position(reached(probe(replica1)));
        onPrimary("CREATE TABLE IF NOT EXISTS probe_it (id serial PRIMARY KEY, payload text)",
                "INSERT INTO probe_it (payload) SELECT md5(g::text) FROM generate_series(1, 2000) g");
        var written = position(reached(probe(primary)));
        assertThat(written.compareWith(before)).isEqualTo(Comparison.AHEAD);

        for (var replica : List.of(replica1, replica2)) {
            var caughtUp = Eventually.await(replica + " replaying up to " + written.display(), WAIT,
                    () -> reached(probe(replica)),
                    r -> position(r).compareWith(written) != Comparison.BEHIND && r.lag().bytes().equals(Optional.of(0L)));
            assertThat(position(caughtUp).compareWith(before)).isEqualTo(Comparison.AHEAD);
            // Everything received is replayed: the replay delay is zero, however long ago the last write was.
            assertThat(caughtUp.lag().time()).contains(Duration.ZERO);
        }
    }

    @Test
    @Order(3)
    void pausedReplayShowsApplyingStoppedAndGrowingByteLag() throws SQLException {
        on(replica2, "SELECT pg_wal_replay_pause()");
        try {
            onPrimary("INSERT INTO probe_it (payload) SELECT md5(g::text) FROM generate_series(1, 2000) g");
            var first = Eventually.await(replica2 + " paused with byte lag", WAIT, () -> probe(replica2),
                    o -> Observed.isReached(o) && !stream(o).applying() && reached(o).lag().bytes().orElse(0L) > 0);
            long lag1 = reached(first).lag().bytes().orElseThrow();
            assertThat(stream(first).receiving()).isTrue();

            onPrimary("INSERT INTO probe_it (payload) SELECT md5(g::text) FROM generate_series(1, 2000) g");
            var second = Eventually.await(replica2 + " byte lag above " + lag1, WAIT, () -> probe(replica2),
                    o -> Observed.isReached(o) && reached(o).lag().bytes().orElse(0L) > lag1);
            var r = reached(second);
            assertThat(r.received().orElseThrow().compareWith(r.applied().orElseThrow())).isEqualTo(Comparison.AHEAD);
            assertThat(stream(second).applying()).isFalse();
        } finally {
            on(replica2, "SELECT pg_wal_replay_resume()");
        }
        Eventually.await(replica2 + " replaying again, lag 0", WAIT, () -> probe(replica2),
                o -> Observed.isReached(o) && stream(o).applying() && reached(o).lag().bytes().equals(Optional.of(0L)));
    }

    @Test
    @Order(4)
    void aCutStreamShowsNotReceivingAndFallsBehind() throws SQLException {
        var link = topology.replicationLink(replica1);
        link.refuse();
        link.cutExisting();
        try {
            Eventually.await(replica1 + " not receiving", WAIT, () -> probe(replica1),
                    o -> Observed.isReached(o) && !stream(o).receiving());
            onPrimary("INSERT INTO probe_it (payload) SELECT md5(g::text) FROM generate_series(1, 100) g");
            var written = position(reached(probe(primary)));
            var o = probe(replica1);
            var r = reached(o);
            assertThat(position(r).compareWith(written)).isEqualTo(Comparison.BEHIND);
            assertThat(r.role()).isEqualTo(Role.REPLICA);
            // The receiver is down, yet the received position is still reported: the loss is measured on it.
            assertThat(r.received()).isPresent();
            assertThat(stream(o).receiving()).isFalse();
        } finally {
            link.pass();
        }
        topology.awaitStreaming(replica1);
        Eventually.await(replica1 + " streaming again", WAIT, () -> probe(replica1),
                o -> Observed.isReached(o) && stream(o).receiving());
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
    void aNodeThatHangsMidConnectionTimesOutWithinTheProbeTimeout() {
        reached(probe(replica2)); // the pool holds a live connection that is about to hang
        var link = topology.drctlLink(replica2);
        link.blackhole();
        try {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                var o = probe(replica2);
                var wall = Duration.ofNanos(System.nanoTime() - start);
                assertThat(o.outcome()).isInstanceOfSatisfying(ProbeOutcome.Failed.class,
                        f -> assertThat(f.kind()).as(f.detail()).isEqualTo(FailureKind.TIMEOUT));
                // The pooled connection fails its check and a new one never logs in: the connect budget bounds it.
                assertThat(wall).isLessThan(JdbcProbe.connectBudget(cluster.failover().probeTimeout()).plus(MARGIN));
                reached(probe(primary)); // the others are not held up
            }
        } finally {
            link.pass();
        }
        Eventually.await(replica2 + " answering again", WAIT, () -> probe(replica2), Observed::isReached);
    }

    @Test
    @Order(7)
    void theSchedulerKeepsItsRoundsWhileOneNodeHangs() throws InterruptedException {
        var link = topology.drctlLink(replica2);
        link.blackhole();
        var interval = cluster.failover().probeInterval();
        // The scheduler's probe is new: replica2, hung from the start, never let it in, so each of its
        // probes has the first-connection budget.
        var bound = interval.plus(JdbcProbe.firstConnectBudget(cluster.failover().probeTimeout())).plus(MARGIN);
        var rounds = new LinkedBlockingQueue<ClusterHistory>();
        var arrivals = new ArrayList<Long>();
        try (var scheduler = new ProbeScheduler(List.of(cluster), Map.of(), Clock.systemUTC())) {
            scheduler.onRound(h -> {
                synchronized (arrivals) {
                    arrivals.add(System.nanoTime());
                }
                rounds.add(h);
            });
            scheduler.start();
            for (int i = 0; i < 4; i++) {
                var round = rounds.poll(bound.toMillis() + 2000, TimeUnit.MILLISECONDS);
                assertThat(round).as("round " + i).isNotNull();
                if (i > 0) { // the first round may meet cold pools
                    assertThat(Observed.isReached(round.latest(primary).orElseThrow())).isTrue();
                    assertThat(Observed.isReached(round.latest(replica1).orElseThrow())).isTrue();
                    assertThat(round.latest(replica2).orElseThrow().outcome())
                            .isInstanceOfSatisfying(ProbeOutcome.Failed.class,
                                    f -> assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT));
                }
            }
            synchronized (arrivals) {
                for (int i = 1; i < arrivals.size(); i++) {
                    assertThat(Duration.ofNanos(arrivals.get(i) - arrivals.get(i - 1))).isLessThan(bound);
                }
            }
            assertThat(scheduler.snapshot(cluster.name()).of(primary)).hasSizeGreaterThanOrEqualTo(4);
            scheduler.close();
            rounds.clear();
            assertThat(rounds.poll(interval.toMillis() * 2 + 500, TimeUnit.MILLISECONDS)).as("a round after close").isNull();
        } finally {
            link.pass();
        }
    }

    @Test
    @Order(8)
    void aKilledNodeBehindItsProxyIsRefused() {
        topology.kill(replica2);
        var o = Eventually.await(replica2 + " refused", WAIT, () -> probe(replica2),
                x -> x.outcome() instanceof ProbeOutcome.Failed f && f.kind() == FailureKind.REFUSED);
        assertThat(o.latency()).isLessThan(cluster.failover().probeTimeout().plus(MARGIN));
        reached(probe(primary));
    }
}
