package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.ClusterName;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The brakes' state in the store, on both vendors: maintenance mode and cooldown acks, each change journaled in the
 * same commit (the chain still verifies), the cooldown read from one place with acks applied, and the automatic
 * failovers the circuit breaker counts.
 */
class AutomationTableIT {
    static final ClusterName PAYMENTS = new ClusterName("payments");
    static final ClusterName LEDGER = new ClusterName("ledger");
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00.000001Z");
    static final Actor ALICE = Actor.user("alice");
    static final Actor DAEMON = Actor.daemon("host-1");

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void maintenanceIsJournaledOnceAndEndsJournaled(StoreKind kind) throws Exception {
        var clock = new SettableClock(T0);
        try (var fresh = TestStore.fresh(kind); var store = fresh.open(clock, Set.of())) {
            var table = store.automation();
            assertThat(table.maintenance(PAYMENTS)).isEmpty();

            var on = table.maintenanceOn(PAYMENTS, "kernel upgrade, CHG-4411", ALICE);
            assertThat(on.changed()).isTrue();
            assertThat(on.after()).contains(new Maintenance(PAYMENTS, "kernel upgrade, CHG-4411", ALICE, T0));
            assertThat(table.maintenance(PAYMENTS)).isEqualTo(on.after());
            assertThat(table.maintenance(LEDGER)).as("per cluster").isEmpty();

            clock.set(T0.plusSeconds(60));
            var again = table.maintenanceOn(PAYMENTS, "another reason", Actor.user("bob"));
            assertThat(again.changed()).as("already on: nothing changed, nothing journaled").isFalse();
            assertThat(again.before()).isEqualTo(on.after());

            clock.set(T0.plusSeconds(120));
            var off = table.maintenanceOff(PAYMENTS, Optional.of("upgrade done"), Actor.user("bob"));
            assertThat(off.changed()).isTrue();
            assertThat(off.before()).isEqualTo(on.after());
            assertThat(table.maintenance(PAYMENTS)).isEmpty();
            assertThat(table.maintenanceOff(PAYMENTS, Optional.empty(), ALICE).changed()).isFalse();

            var entries = store.journal().entries(JournalQuery.all().cluster(PAYMENTS));
            assertThat(entries).extracting(JournalEntry::kind)
                    .containsExactly(JournalKind.MAINTENANCE_ON, JournalKind.MAINTENANCE_OFF);
            assertThat(entries.get(0).actor()).isEqualTo(ALICE);
            assertThat(entries.get(0).payloadTree().path("reason").asText()).isEqualTo("kernel upgrade, CHG-4411");
            assertThat(entries.get(1).actor()).isEqualTo(Actor.user("bob"));
            assertThat(entries.get(1).payloadTree().path("reason").asText()).isEqualTo("upgrade done");
            assertThat(entries.get(1).payloadTree().path("wasBy").asText()).isEqualTo("user:alice");
            assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAckEndsTheCooldownOfEarlierFailoversOnlyForEveryReader(StoreKind kind) throws Exception {
        var clock = new SettableClock(T0);
        try (var fresh = TestStore.fresh(kind); var store = fresh.open(clock, Set.of())) {
            assertThat(store.cooldownStart(PAYMENTS)).isEmpty();
            failedOver(store, PAYMENTS, T0);
            assertThat(store.cooldownStart(PAYMENTS)).contains(T0);
            assertThat(store.memory(PAYMENTS).lastFailoverAt()).contains(T0);

            clock.set(T0.plusSeconds(30));
            var ack = store.automation().ack(PAYMENTS, Optional.of("checked by hand, INC-7"), ALICE,
                    Map.of("lastFailover", T0.toString()));
            assertThat(ack.after()).contains(new CooldownAck(PAYMENTS, T0.plusSeconds(30), ALICE,
                    Optional.of("checked by hand, INC-7")));
            assertThat(store.cooldownStart(PAYMENTS)).as("acknowledged").isEmpty();
            assertThat(store.memory(PAYMENTS).lastFailoverAt()).as("the pipeline's memory reads the same").isEmpty();
            assertThat(store.clusterStates().load(PAYMENTS).lastFailoverAt()).as("the failover itself stays on record")
                    .contains(T0);

            // A later failover starts a new cooldown the old ack does not clear.
            failedOver(store, PAYMENTS, T0.plusSeconds(60));
            assertThat(store.cooldownStart(PAYMENTS)).contains(T0.plusSeconds(60));
            assertThat(store.memory(PAYMENTS).lastFailoverAt()).contains(T0.plusSeconds(60));

            var acks = store.journal().entries(JournalQuery.all().cluster(PAYMENTS).kinds(Set.of(JournalKind.COOLDOWN_ACKED)));
            assertThat(acks).singleElement().satisfies(e -> {
                assertThat(e.actor()).isEqualTo(ALICE);
                assertThat(e.payloadTree().path("reason").asText()).isEqualTo("checked by hand, INC-7");
                assertThat(e.payloadTree().path("lastFailover").asText()).isEqualTo(T0.toString());
            });
            assertThat(store.firstJournaled(PAYMENTS)).contains(T0.plusSeconds(30));
            assertThat(store.firstJournaled(LEDGER)).isEmpty();
            assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theBreakerCountsTheDaemonsFailoverRunsOnEveryCluster(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            store.runs().save(run("r1", RunKind.FAILOVER, PAYMENTS, DAEMON, T0, RunStatus.SUCCEEDED));
            store.runs().save(run("r2", RunKind.FAILOVER, LEDGER, DAEMON, T0.plusSeconds(10), RunStatus.RUNNING));
            store.runs().save(run("r3", RunKind.FAILOVER, LEDGER, DAEMON, T0.plusSeconds(20), RunStatus.ABORTED));
            store.runs().save(run("manual", RunKind.FAILOVER, PAYMENTS, ALICE, T0.plusSeconds(30), RunStatus.SUCCEEDED));
            store.runs().save(run("fence", RunKind.FENCE, PAYMENTS, DAEMON, T0.plusSeconds(40), RunStatus.SUCCEEDED));
            store.runs().save(run("old", RunKind.FAILOVER, PAYMENTS, DAEMON, T0.minusSeconds(1), RunStatus.FAILED));

            assertThat(store.automation().automaticFailoversSince(T0)).containsExactly(
                    new AutomationTable.AutomaticFailover("r1", PAYMENTS, T0, true),
                    new AutomationTable.AutomaticFailover("r2", LEDGER, T0.plusSeconds(10), true),
                    new AutomationTable.AutomaticFailover("r3", LEDGER, T0.plusSeconds(20), false));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theLastSuccessfulDrillIsTheNewestSucceededDrillRun(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            assertThat(store.runs().lastSucceeded(PAYMENTS, RunKind.DRILL)).isEmpty();
            store.runs().save(run("d1", RunKind.DRILL, PAYMENTS, DAEMON, T0, RunStatus.SUCCEEDED)
                    .withTimeline(null, null, null, null, null, T0.plusSeconds(100)));
            store.runs().save(run("d2", RunKind.DRILL, PAYMENTS, DAEMON, T0.plusSeconds(200), RunStatus.FAILED));
            store.runs().save(run("d3", RunKind.DRILL, LEDGER, DAEMON, T0.plusSeconds(300), RunStatus.SUCCEEDED));
            store.runs().save(run("f1", RunKind.FAILOVER, PAYMENTS, DAEMON, T0.plusSeconds(400), RunStatus.SUCCEEDED));
            assertThat(store.runs().lastSucceeded(PAYMENTS, RunKind.DRILL)).hasValueSatisfying(r ->
                    assertThat(r.runId()).isEqualTo("d1"));
        }
    }

    private static void failedOver(StateStore store, ClusterName cluster, Instant at) {
        var state = store.clusterStates().load(cluster);
        assertThat(store.clusterStates().save(state.withLastFailoverAt(at))).isPresent();
    }

    private static RunRecord run(String id, RunKind kind, ClusterName cluster, Actor actor, Instant started,
                                 RunStatus status) {
        return RunRecord.started(id, kind, cluster, actor, started).withStatus(status, "test");
    }
}
