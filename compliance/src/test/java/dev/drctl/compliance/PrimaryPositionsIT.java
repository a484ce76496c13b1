package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store's memory of each cluster's primary, on both vendors: one probe round at a time, the writable primary's
 * positions (bounded), the first failure after it was last seen, and {@link StateStore#memory} for a decision taken
 * later without watching.
 */
class PrimaryPositionsIT {
    static final ClusterName CLUSTER = new ClusterName("payments");
    static final NodeName PG1 = new NodeName("pg-1");
    static final NodeName PG2 = new NodeName("pg-2");
    static final Instant T0 = Instant.parse("2026-11-01T02:14:00.123456Z");

    static NodeObservation primary(NodeName node, Instant at, String lsn, boolean writable) {
        var p = Optional.<DataPosition>of(DataPosition.PgLsn.parse(1, lsn));
        return new NodeObservation(node, at, Duration.ofMillis(2),
                new ProbeOutcome.Reached(Role.PRIMARY, writable, p, p, Lag.none(), Optional.empty(), "15.8"));
    }

    static NodeObservation replica(NodeName node, Instant at, String lsn) {
        var p = Optional.<DataPosition>of(DataPosition.PgLsn.parse(1, lsn));
        return new NodeObservation(node, at, Duration.ofMillis(2),
                new ProbeOutcome.Reached(Role.REPLICA, false, p, p, Lag.none(), Optional.empty(), "15.8"));
    }

    static NodeObservation failed(NodeName node, Instant at) {
        return new NodeObservation(node, at, Duration.ofMillis(800),
                new ProbeOutcome.Failed(FailureKind.REFUSED, "connection refused"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void remembersTheLastPositionAndTheFirstFailureAfterIt(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            assertThat(store.memory(CLUSTER)).isEqualTo(ClusterMemory.none());
            assertThat(store.recordRound(CLUSTER, List.of(primary(PG1, T0, "0/3000000", true),
                    replica(PG2, T0, "0/3000000")))).isEqualTo(PrimaryPositionTable.Recorded.NEW_POSITION);
            // An idle primary costs no new row: the same position only moves when it was last seen.
            assertThat(store.recordRound(CLUSTER, List.of(primary(PG1, T0.plusSeconds(1), "0/3000000", true))))
                    .isEqualTo(PrimaryPositionTable.Recorded.SAME_POSITION);
            assertThat(store.recordRound(CLUSTER, List.of(primary(PG1, T0.plusSeconds(2), "0/5000000", true))))
                    .isEqualTo(PrimaryPositionTable.Recorded.NEW_POSITION);
            assertThat(store.primaryPositions().sightings(CLUSTER, 10)).hasSize(2);

            // Killed: the first failed round is the start of the outage; later failures do not move it.
            assertThat(store.recordRound(CLUSTER, List.of(failed(PG1, T0.plusSeconds(3)), replica(PG2, T0.plusSeconds(3),
                    "0/5000000")))).isEqualTo(PrimaryPositionTable.Recorded.FIRST_FAILURE);
            assertThat(store.recordRound(CLUSTER, List.of(failed(PG1, T0.plusSeconds(4)))))
                    .isEqualTo(PrimaryPositionTable.Recorded.NOTHING);
            var memory = store.memory(CLUSTER);
            assertThat(memory.lastPrimary()).contains(PG1);
            assertThat(memory.lastPosition()).contains(DataPosition.PgLsn.parse(1, "0/5000000"));
            assertThat(memory.lastPositionAt()).contains(T0.plusSeconds(2));
            assertThat(memory.firstFailureAt()).contains(T0.plusSeconds(3));

            // Back and writable: the outage is over, its failure forgotten.
            store.recordRound(CLUSTER, List.of(primary(PG1, T0.plusSeconds(5), "0/5000000", true)));
            assertThat(store.memory(CLUSTER).firstFailureAt()).isEmpty();
            assertThat(store.memory(CLUSTER).lastPositionAt()).contains(T0.plusSeconds(5));
        }
        // It survives the process: a later command opens the store and finds it.
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void twoWritablePrimariesRecordNoPositionAndAReadOnlyOneNoFailure(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            store.recordRound(CLUSTER, List.of(primary(PG1, T0, "0/3000000", true)));
            assertThat(store.recordRound(CLUSTER, List.of(primary(PG1, T0.plusSeconds(1), "0/4000000", true),
                    primary(PG2, T0.plusSeconds(1), "0/3800000", true)))).isEqualTo(PrimaryPositionTable.Recorded.NOTHING);
            assertThat(store.recordRound(CLUSTER, List.of(primary(PG1, T0.plusSeconds(2), "0/4000000", false))))
                    .isEqualTo(PrimaryPositionTable.Recorded.NOTHING);
            assertThat(store.memory(CLUSTER).lastPosition()).contains(DataPosition.PgLsn.parse(1, "0/3000000"));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theHistoryIsBoundedPerCluster(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            var other = new ClusterName("ledger");
            store.recordRound(other, List.of(primary(PG1, T0, "0/1", true)));
            int rounds = PrimaryPositionTable.KEPT + 20;
            for (int i = 0; i < rounds; i++) {
                store.recordRound(CLUSTER, List.of(primary(PG1, T0.plusMillis(i), "0/" + Integer.toHexString(0x100 + i),
                        true)));
            }
            var kept = store.primaryPositions().sightings(CLUSTER, 10_000);
            assertThat(kept).hasSize(PrimaryPositionTable.KEPT);
            assertThat(kept.getFirst().position()).isEqualTo(DataPosition.PgLsn.parse(1, "0/"
                    + Integer.toHexString(0x100 + rounds - 1)));
            assertThat(store.primaryPositions().sightings(other, 10)).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCompletedFailoverNamesTheNewPrimaryUntilARoundSeesIt(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            store.recordRound(CLUSTER, List.of(primary(PG1, T0, "0/3000000", true)));
            store.recordRound(CLUSTER, List.of(failed(PG1, T0.plusSeconds(1))));
            var run = RunRecord.started("run-1", RunKind.FAILOVER, CLUSTER, Actor.daemon("d1"), T0.plusSeconds(2))
                    .withNodes(PG1, PG2, 2)
                    .withTimeline(T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3), null, null, T0.plusSeconds(4))
                    .withStatus(RunStatus.SUCCEEDED, "promoted pg-2");
            store.runs().save(run);
            store.journal().append(JournalDraft.of(Actor.daemon("d1"), JournalKind.RUN_FINISHED, run.toJson())
                    .cluster(CLUSTER).run("run-1"));
            var memory = store.memory(CLUSTER);
            assertThat(memory.lastPrimary()).contains(PG2);
            assertThat(memory.lastPosition()).isEmpty();
            assertThat(memory.firstFailureAt()).isEmpty();

            store.recordRound(CLUSTER, List.of(failed(PG1, T0.plusSeconds(5)), primary(PG2, T0.plusSeconds(5),
                    "0/3100000", true)));
            memory = store.memory(CLUSTER);
            assertThat(memory.lastPrimary()).contains(PG2);
            assertThat(memory.lastPosition()).contains(DataPosition.PgLsn.parse(1, "0/3100000"));
        }
    }
}
