package dev.drctl.runbooks.watch;

import static java.time.Duration.ofMinutes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AutomationBrakes} reading a real (SQLite) store: maintenance, the cooldown with acks, the breaker over the
 * daemon's runs of every cluster, and admission closing the gap between a decision and its run reaching the store.
 */
class AutomationBrakesStoreTest {
    static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
    static final Actor DAEMON = Actor.daemon("host-1");

    @TempDir
    Path dir;
    private StateStore store;
    private AutomationBrakes brakes;

    @BeforeEach
    void open() {
        store = StateStore.open(new ComplianceSpec("jdbc:sqlite:" + dir.resolve("drctl.db"),
                ComplianceSpec.Targets.defaults(), Period.ofYears(7), ZoneId.of("UTC")), Clock.systemUTC(), Set.of());
        brakes = new AutomationBrakes(store, BreakerPolicy.defaults());
    }

    @AfterEach
    void close() {
        store.close();
    }

    static ClusterSpec cluster(String name) {
        return new ClusterSpec(new ClusterName(name), Engine.POSTGRESQL, new Credentials("drctl", Optional.empty()),
                List.of(new NodeSpec(new NodeName(name + "-1"), "127.0.0.1", 1, "r1", 0, false),
                        new NodeSpec(new NodeName(name + "-2"), "127.0.0.1", 2, "r1", 0, false)),
                FailoverPolicy.defaults(), Optional.empty());
    }

    private void run(String id, ClusterSpec cluster, Actor actor, Instant started, RunStatus status) {
        store.runs().save(RunRecord.started(id, RunKind.FAILOVER, cluster.name(), actor, started)
                .withStatus(status, "test"));
    }

    @Test
    void maintenanceAndTheCooldownComeFromTheStoreAndAnAckClearsTheCooldown() {
        var payments = cluster("payments");
        assertThat(brakes.hold(payments, T)).isEmpty();

        store.automation().maintenanceOn(payments.name(), "kernel upgrade", Actor.user("alice"));
        assertThat(brakes.hold(payments, T)).hasValueSatisfying(h -> assertThat(h)
                .isInstanceOfSatisfying(AutomationHold.Maintenance.class, m -> {
                    assertThat(m.reason()).isEqualTo("kernel upgrade");
                    assertThat(m.by()).isEqualTo("user:alice");
                }));
        assertThat(brakes.hold(cluster("ledger"), T)).as("maintenance is per cluster").isEmpty();
        assertThat(brakes.maintenance(payments)).hasValueSatisfying(m -> assertThat(m.reason())
                .isEqualTo("kernel upgrade"));
        assertThat(brakes.maintenance(cluster("ledger"))).isEmpty();
        store.automation().maintenanceOff(payments.name(), Optional.empty(), Actor.user("alice"));
        assertThat(brakes.hold(payments, T)).isEmpty();

        var state = store.clusterStates().load(payments.name());
        store.clusterStates().save(state.withLastFailoverAt(T.minus(ofMinutes(2))));
        assertThat(brakes.holds(payments, T)).containsExactly(
                new AutomationHold.CoolingDown(payments.name(), T.minus(ofMinutes(2)), T.plus(ofMinutes(8))));

        store.automation().ack(payments.name(), Optional.of("looked at it"), Actor.user("bob"), Map.of());
        assertThat(brakes.holds(payments, Instant.now())).as("acknowledged").isEmpty();
    }

    @Test
    void theBreakerCountsOnlyTheDaemonsFailoversOfEveryClusterInTheWindow() {
        var payments = cluster("payments");
        var ledger = cluster("ledger");
        run("manual", payments, Actor.user("alice"), T.minus(ofMinutes(1)), RunStatus.SUCCEEDED);
        run("refused", payments, DAEMON, T.minus(ofMinutes(1)), RunStatus.ABORTED);
        run("old", payments, DAEMON, T.minus(ofMinutes(11)), RunStatus.SUCCEEDED);
        assertThat(brakes.hold(ledger, T)).isEmpty();
        assertThat(brakes.breaker(T).open()).isFalse();

        run("auto", payments, DAEMON, T.minus(ofMinutes(4)), RunStatus.SUCCEEDED);
        assertThat(brakes.hold(ledger, T)).contains(
                new AutomationHold.BreakerOpen(1, ofMinutes(10), T.plus(ofMinutes(6))));
        assertThat(brakes.breaker(T).openUntil()).contains(T.plus(ofMinutes(6)));
        assertThat(brakes.hold(ledger, T.plus(ofMinutes(6)))).isEmpty();
    }

    @Test
    void twoClustersAdmittedInTheSameInstantGetOneFailover() throws Exception {
        var payments = cluster("payments");
        var ledger = cluster("ledger");
        assertThat(brakes.admit(payments, T)).isEmpty();
        // payments' run is not in the store yet: ledger must still see the breaker open
        assertThat(brakes.admit(ledger, T)).hasValueSatisfying(h -> assertThat(h)
                .isInstanceOf(AutomationHold.BreakerOpen.class));

        // the run reaches the store: still one failover, not two
        run("auto-payments", payments, DAEMON, T.plusMillis(50), RunStatus.RUNNING);
        assertThat(brakes.breaker(T.plusSeconds(1)).failovers()).isEqualTo(1);

        // refused before it acted: it counts for nothing, the breaker closes
        run("auto-payments", payments, DAEMON, T.plusMillis(50), RunStatus.ABORTED);
        assertThat(brakes.breaker(T.plusSeconds(1)).open()).isFalse();
        assertThat(brakes.admit(ledger, T.plusSeconds(1))).isEmpty();
        // ledger's run never started (another drctl held its lock): withdrawn, it counts for nothing either
        brakes.withdraw(ledger.name());
        assertThat(brakes.breaker(T.plusSeconds(2)).open()).isFalse();
    }

    @Test
    void manyClustersAdmittedConcurrentlyGetExactlyOneFailover() throws Exception {
        var clusters = new ArrayList<ClusterSpec>();
        for (int i = 0; i < 8; i++) {
            clusters.add(cluster("c" + i));
        }
        var start = new CountDownLatch(1);
        var admitted = new ArrayList<java.util.concurrent.Future<Boolean>>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var c : clusters) {
                admitted.add(pool.submit((Callable<Boolean>) () -> {
                    start.await();
                    return brakes.admit(c, T).isEmpty();
                }));
            }
            start.countDown();
        }
        long count = 0;
        for (var f : admitted) {
            count += f.get() ? 1 : 0;
        }
        assertThat(count).isEqualTo(1);
    }
}
