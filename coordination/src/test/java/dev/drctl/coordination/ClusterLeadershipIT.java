package dev.drctl.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.LeadershipToken;
import dev.drctl.compliance.StateStore;
import dev.drctl.testenv.FaultProxy;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.CoordinationSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leadership, tokens, session loss and the observer quorum on a real 3-server ZooKeeper ensemble (Curator's
 * {@link TestingCluster}, in process, on loopback). The servers tick every 250 ms so a 4 s session is allowed (short
 * tests, yet long enough that a busy 2-core machine does not suspend sessions by itself); the timing argument is the
 * same at 10 s.
 */
class ClusterLeadershipIT {
    static final Duration SESSION = Duration.ofSeconds(4);
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ClusterName PAYMENTS = new ClusterName("payments");

    @TempDir
    Path dir;
    private TestingCluster ensemble;
    private final List<ClusterLeadership> daemons = new ArrayList<>();
    private final List<FaultProxy> proxies = new ArrayList<>();

    @BeforeEach
    void startEnsemble() throws Exception {
        // nine distinct ports from testenv's range (below the ephemeral one): Curator's own random picks can collide,
        // and ZooKeeper then refuses a server whose client and election ports are the same
        var ports = dev.drctl.testenv.LoopbackPorts.allocate(9);
        var specs = IntStream.rangeClosed(1, 3).mapToObj(id -> new InstanceSpec(null, ports.get(3 * id - 3),
                ports.get(3 * id - 2), ports.get(3 * id - 1), true, id, 250, -1)).toList();
        ensemble = new TestingCluster(specs);
        ensemble.start();
    }

    @AfterEach
    void stop() throws Exception {
        daemons.forEach(ClusterLeadership::close);
        proxies.forEach(FaultProxy::close);
        ensemble.close();
    }

    private CoordinationSpec spec(String connect) {
        return new CoordinationSpec(List.of(connect.split(",")), "drctl-test", SESSION);
    }

    private ClusterLeadership daemon(String id, List<ClusterName> clusters) {
        return daemon(id, clusters, ensemble.getConnectString());
    }

    private ClusterLeadership daemon(String id, List<ClusterName> clusters, String connect) {
        var d = ClusterLeadership.start(spec(connect), id, clusters, Clock.systemUTC());
        daemons.add(d);
        return d;
    }

    private static List<ClusterLeadership> leadersOf(List<ClusterLeadership> ds, ClusterName c) {
        return ds.stream().filter(d -> d.look(c) instanceof ClusterLeadership.Look.Leading).toList();
    }

    private static long token(ClusterLeadership d, ClusterName c) {
        return ((ClusterLeadership.Look.Leading) d.look(c)).token().value();
    }

    @Test
    void eachClusterHasOneLeaderSpreadOverTheDaemonsAndEveryoneAgrees() throws Exception {
        var clusters = IntStream.range(0, 6).mapToObj(i -> new ClusterName("c" + i)).toList();
        var ds = List.of(daemon("mum-1", clusters), daemon("hyd-1", clusters), daemon("sgp-1", clusters));
        Await.until("every daemon live", WAIT, () -> ds.stream().allMatch(d -> {
            try {
                return d.liveDaemons().size() == 3;
            } catch (Exception e) {
                return false;
            }
        }));
        Await.until("one leader per cluster", WAIT, () -> clusters.stream().allMatch(c -> leadersOf(ds, c).size() == 1));
        var ids = List.of("mum-1", "hyd-1", "sgp-1");
        // Idle leaders hand clusters on until each is led by its preferred daemon.
        Await.until("leadership spread by preference", WAIT, () -> {
            ds.forEach(d -> d.rebalance(Set.of()));
            return clusters.stream().allMatch(c -> {
                var leaders = leadersOf(ds, c);
                return leaders.size() == 1
                        && leaders.getFirst().daemonId().equals(Preference.preferred(c, ids).orElseThrow());
            });
        });
        var spread = clusters.stream().collect(Collectors.groupingBy(c -> leadersOf(ds, c).getFirst().daemonId(),
                Collectors.counting()));
        System.out.println("leaderships per daemon: " + spread);
        assertThat(spread.size()).as("more than one daemon leads").isGreaterThan(1);

        // drctl status reads the same answer with a client of its own.
        var view = ClusterLeadership.read(spec(ensemble.getConnectString()), clusters, Duration.ofSeconds(10));
        assertThat(view.reachable()).isTrue();
        assertThat(view.liveDaemons()).containsExactly("hyd-1", "mum-1", "sgp-1");
        for (var c : clusters) {
            var leader = leadersOf(ds, c).getFirst();
            assertThat(view.leader(c)).contains(new CoordinationView.Leader(leader.daemonId(), token(leader, c)));
        }
    }

    @Test
    void theTokenGrowsWithEveryLeaderChangeAndTheStoreRefusesTheOlderTerm() throws Exception {
        var a = daemon("mum-1", List.of(PAYMENTS));
        Await.until("mum-1 leads", WAIT, () -> a.look(PAYMENTS) instanceof ClusterLeadership.Look.Leading);
        var b = daemon("hyd-1", List.of(PAYMENTS));
        var c = daemon("sgp-1", List.of(PAYMENTS));
        var all = List.of(a, b, c);
        try (var store = StateStore.open(new ComplianceSpec("jdbc:sqlite:" + dir.resolve("drctl.db"),
                ComplianceSpec.Targets.defaults(), Period.ofYears(7), ZoneId.of("UTC")), Clock.systemUTC(), Set.of())) {
            var tokens = new ArrayList<LeadershipToken>();
            var leader = a;
            for (int term = 0; term < 3; term++) {
                var current = leader;
                var t = ((ClusterLeadership.Look.Leading) current.look(PAYMENTS)).token();
                tokens.add(t);
                assertThat(store.leadershipTokens().checkAndRecord(PAYMENTS, t))
                        .isInstanceOf(LeadershipToken.Check.Accepted.class);
                if (term == 2) {
                    break;
                }
                current.close();
                var rest = all.stream().filter(d -> d != current && d.connection() != ClusterLeadership.Connection.CLOSED)
                        .toList();
                Await.until("a new leader after " + current.daemonId(), WAIT, () -> leadersOf(rest, PAYMENTS).size() == 1);
                leader = leadersOf(rest, PAYMENTS).getFirst();
            }
            System.out.println("tokens by term: " + tokens);
            assertThat(tokens).extracting(LeadershipToken::value).isSorted().doesNotHaveDuplicates();
            assertThat(tokens).extracting(LeadershipToken::holder).doesNotHaveDuplicates();
            // The first leader, had it kept acting, is refused by the store.
            assertThat(store.leadershipTokens().checkAndRecord(PAYMENTS, tokens.getFirst()))
                    .isInstanceOf(LeadershipToken.Check.Stale.class);
        }
    }

    @Test
    void aLeaderCutOffFromZooKeeperStopsActingBeforeAnotherStarts() throws Exception {
        // mum-1 reaches the ensemble only through fault proxies, so it alone can be cut off.
        var connect = new StringBuilder();
        for (var server : ensemble.getInstances()) {
            var proxy = FaultProxy.start("zk" + server.getServerId(), "127.0.0.1", server.getPort());
            proxies.add(proxy);
            connect.append(connect.isEmpty() ? "" : ",").append("127.0.0.1:").append(proxy.port());
        }
        var cutOff = daemon("mum-1", List.of(PAYMENTS), connect.toString());
        Await.until("mum-1 leads", WAIT, () -> cutOff.look(PAYMENTS) instanceof ClusterLeadership.Look.Leading);
        var oldToken = token(cutOff, PAYMENTS);
        var other = daemon("hyd-1", List.of(PAYMENTS));
        Await.until("hyd-1 is live", WAIT, () -> other.connection() == ClusterLeadership.Connection.CONNECTED);

        var stoppedAt = new Instant[1];
        var startedAt = new Instant[1];
        var cutAt = new java.util.concurrent.atomic.AtomicReference<Instant>();
        var watcher = Thread.ofPlatform().daemon().unstarted(() -> {
            while (stoppedAt[0] == null || startedAt[0] == null) {
                var now = Instant.now();
                if (cutAt.get() == null) {
                    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                    continue;
                }
                if (stoppedAt[0] == null && !(cutOff.look(PAYMENTS) instanceof ClusterLeadership.Look.Leading)) {
                    stoppedAt[0] = now;
                }
                if (startedAt[0] == null && other.look(PAYMENTS) instanceof ClusterLeadership.Look.Leading) {
                    startedAt[0] = now;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            }
        });
        watcher.start();
        proxies.forEach(FaultProxy::blackhole);
        var cut = Instant.now();
        cutAt.set(cut);
        watcher.join(WAIT.toMillis());
        assertThat(stoppedAt[0]).as("mum-1 stopped acting").isNotNull();
        assertThat(startedAt[0]).as("hyd-1 took over").isNotNull();
        System.out.printf("cut off at 0 ms: the old leader stopped acting after %d ms, the new leader began after %d ms "
                        + "(session timeout %d ms)%n", Duration.between(cut, stoppedAt[0]).toMillis(),
                Duration.between(cut, startedAt[0]).toMillis(), SESSION.toMillis());
        assertThat(stoppedAt[0]).as("the old leader stops before the new one starts").isBefore(startedAt[0]);
        assertThat(token(other, PAYMENTS)).isGreaterThan(oldToken);
        // Cut off, it cannot count the others either: no quorum, whatever it sees.
        assertThat(cutOff.quorum(PAYMENTS, Instant.now(), Duration.ofSeconds(5)))
                .isInstanceOf(ObserverQuorum.Assessment.NotReached.class);

        // Back on the network, it rejoins as a follower: hyd-1 keeps leading.
        proxies.forEach(FaultProxy::pass);
        Await.until("mum-1 reconnected", WAIT, () -> cutOff.connection() == ClusterLeadership.Connection.CONNECTED);
        assertThat(cutOff.look(PAYMENTS)).isInstanceOf(ClusterLeadership.Look.NotLeading.class);
        assertThat(other.look(PAYMENTS)).isInstanceOf(ClusterLeadership.Look.Leading.class);
    }

    @Test
    void theLeaderCountsTheLiveDaemonsViews() throws Exception {
        var a = daemon("mum-1", List.of(PAYMENTS));
        var b = daemon("hyd-1", List.of(PAYMENTS));
        var c = daemon("sgp-1", List.of(PAYMENTS));
        Await.until("all live", WAIT, () -> {
            try {
                return a.liveDaemons().size() == 3;
            } catch (Exception e) {
                return false;
            }
        });
        var now = Instant.now();
        assertThat(a.publish(new Observation("mum-1", PAYMENTS, "PrimaryDead", "pg-1 refused", now))).isTrue();
        assertThat(b.publish(new Observation("hyd-1", PAYMENTS, "Healthy", "pg-1 answers", now))).isTrue();
        assertThat(c.publish(new Observation("sgp-1", PAYMENTS, "Healthy", "pg-1 answers", now))).isTrue();
        var minority = a.quorum(PAYMENTS, now, Duration.ofSeconds(5));
        assertThat(minority).isInstanceOf(ObserverQuorum.Assessment.NotReached.class);
        assertThat(minority.sentence()).startsWith("1 of 3 live daemons see the primary dead, 2 needed");

        assertThat(b.publish(new Observation("hyd-1", PAYMENTS, "PrimaryDead", "pg-1 refused", now))).isTrue();
        assertThat(c.quorum(PAYMENTS, now, Duration.ofSeconds(5))).isInstanceOf(ObserverQuorum.Assessment.Reached.class);

        // A daemon that leaves takes its view with it: 1 of 2 is no majority.
        b.close();
        Await.until("hyd-1 gone", WAIT, () -> {
            try {
                return a.liveDaemons().size() == 2 && a.observations(PAYMENTS).size() == 2;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(a.quorum(PAYMENTS, now, Duration.ofSeconds(5))).isInstanceOf(ObserverQuorum.Assessment.NotReached.class);
    }

    @Test
    void withTheEnsemblesMajorityDownNoDaemonActs() throws Exception {
        var a = daemon("mum-1", List.of(PAYMENTS));
        var b = daemon("hyd-1", List.of(PAYMENTS));
        Await.until("one leads", WAIT, () -> leadersOf(List.of(a, b), PAYMENTS).size() == 1);
        var servers = new ArrayList<>(ensemble.getInstances());
        ensemble.killServer(servers.get(0));
        ensemble.killServer(servers.get(1));
        Await.until("nobody leads", WAIT, () -> leadersOf(List.of(a, b), PAYMENTS).isEmpty());
        assertThat(List.of(a, b)).allSatisfy(d -> assertThat(d.look(PAYMENTS))
                .isInstanceOf(ClusterLeadership.Look.NotLeading.class));
        // a follower notices the lost connection a little after the leader does (Curator's own detection): until
        // then it says it does not lead, and it never acts in between
        Await.until("both daemons say their ZooKeeper connection is down", WAIT, () -> List.of(a, b).stream()
                .map(d -> d.look(PAYMENTS)).allMatch(l -> l instanceof ClusterLeadership.Look.NotLeading n
                        && n.reason().startsWith("the ZooKeeper connection is ")));
        var view = ClusterLeadership.read(spec(ensemble.getConnectString()), List.of(PAYMENTS), Duration.ofSeconds(1));
        assertThat(view.reachable()).isFalse();
        assertThat(view.problem()).isPresent();
        assertThat(Optional.of(view.liveDaemons())).contains(List.of());
    }

    /**
     * Two daemons under one id: the second waits a session and a half for the node to go (a crashed predecessor's
     * would), then is refused, contends for nothing and says why; the first goes on leading. A daemon that closes
     * cleanly deletes its node: the same id starts again at once.
     */
    @Test
    void aSecondLiveDaemonWithTheSameIdIsRefusedAndLeadsNothing() throws Exception {
        var first = daemon("mum-1", List.of(PAYMENTS));
        assertThat(first.awaitRegistration(first.registrationWait()))
                .isInstanceOf(ClusterLeadership.Registration.Registered.class);
        Await.until("mum-1 leads", WAIT, () -> first.look(PAYMENTS) instanceof ClusterLeadership.Look.Leading);
        long t0 = System.nanoTime();
        var second = daemon("mum-1", List.of(PAYMENTS));
        var registration = second.awaitRegistration(second.registrationWait());
        var waited = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(registration).isInstanceOfSatisfying(ClusterLeadership.Registration.Duplicate.class, d -> {
            assertThat(d.holder()).contains("pid " + ProcessHandle.current().pid());
            assertThat(d.sentence("mum-1", ensemble.getConnectString())).startsWith("daemon id \"mum-1\" is already "
                    + "used by another live daemon on " + ensemble.getConnectString()).contains("--daemon-id");
        });
        assertThat(waited).as("a crashed predecessor's node is waited out first")
                .isGreaterThanOrEqualTo(SESSION.multipliedBy(3).dividedBy(2));
        assertThat(second.look(PAYMENTS)).isInstanceOfSatisfying(ClusterLeadership.Look.NotLeading.class,
                n -> assertThat(n.reason()).contains("already used by another live daemon"));
        assertThat(first.look(PAYMENTS)).isInstanceOf(ClusterLeadership.Look.Leading.class);
        assertThat(first.view().liveDaemons()).containsExactly("mum-1");

        second.close();
        first.close();
        var again = daemon("mum-1", List.of(PAYMENTS));
        assertThat(again.awaitRegistration(Duration.ofSeconds(5)))
                .isInstanceOf(ClusterLeadership.Registration.Registered.class);
        Await.until("mum-1 leads again", WAIT, () -> again.look(PAYMENTS) instanceof ClusterLeadership.Look.Leading);
    }
}
