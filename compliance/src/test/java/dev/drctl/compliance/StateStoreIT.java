package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.NodeName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Flyway migrations on a fresh SQLite file and a fresh PostgreSQL database, and the tables they create. */
class StateStoreIT {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void migratesAFreshStoreAndReopensIt(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind)) {
            try (var store = fresh.open()) {
                assertThat(store.schemaVersion()).isEqualTo("6");
            }
            try (var store = fresh.open(); var c = fresh.raw(); var st = c.createStatement()) {
                assertThat(store.schemaVersion()).isEqualTo("6");
                for (var table : List.of("journal_entry", "journal_head", "journal_checkpoint", "run_record",
                        "notification_outbox", "cluster_state", "primary_position", "primary_failure", "daemon_view")) {
                    try (var rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                        assertThat(rs.next()).isTrue();
                    }
                }
                if (kind == StoreKind.SQLITE) {
                    try (var rs = st.executeQuery("PRAGMA journal_mode")) {
                        rs.next();
                        assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
                    }
                    try (var own = new StoreConnection(fresh.url()).open(); var ownSt = own.createStatement()) {
                        try (var rs = ownSt.executeQuery("PRAGMA synchronous")) {
                            rs.next();
                            assertThat(rs.getInt(1)).as("synchronous=FULL").isEqualTo(2);
                        }
                        try (var rs = ownSt.executeQuery("PRAGMA busy_timeout")) {
                            rs.next();
                            assertThat(rs.getInt(1)).isEqualTo(10_000);
                        }
                    }
                }
            }
        }
    }

    /** A hung PostgreSQL store must fail a statement, not hang it: every store connection has a socket timeout. */
    @org.junit.jupiter.api.Test
    void postgresStoreConnectionsHaveBoundedWaitsThatTheUrlMayTune() throws Exception {
        try (var fresh = TestStore.fresh(StoreKind.POSTGRESQL)) {
            try (var c = new StoreConnection(fresh.url()).open()) {
                assertThat(c.getNetworkTimeout()).isEqualTo((int) StoreConnection.PG_SOCKET_TIMEOUT.toMillis());
            }
            try (var c = new StoreConnection(fresh.url()).dataSource().getConnection()) {
                assertThat(c.getNetworkTimeout()).as("a migration may be silent for longer")
                        .isEqualTo((int) StoreConnection.MIGRATION_SOCKET_TIMEOUT.toMillis());
            }
            try (var c = new StoreConnection(fresh.url() + "&socketTimeout=45").open()) {
                assertThat(c.getNetworkTimeout()).as("the URL's own setting wins").isEqualTo(45_000);
            }
            try (var c = StateStore.openPostgresSession(fresh.url(), java.time.Duration.ofSeconds(7), "drctl test");
                 var st = c.createStatement(); var rs = st.executeQuery("SELECT current_setting('application_name')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("drctl test");
                assertThat(c.getNetworkTimeout()).isEqualTo(7_000);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void refusesAStoreMigratedByANewerDrctl(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind)) {
            StateStore.open(fresh.url(), Clock.systemUTC(), Set.of(),
                    List.of(StateStore.MIGRATIONS, "classpath:db/future-test")).close();
            assertThatThrownBy(fresh::open)
                    .isInstanceOfSatisfying(DrctlException.class, e -> {
                        assertThat(e.code()).isEqualTo(ComplianceErrorCode.STORE_SCHEMA_TOO_NEW);
                        assertThat(e.code().exitCode()).isEqualTo(2);
                    })
                    .hasMessageContaining("schema version 99, newer than this drctl knows (version 6)")
                    .hasMessageContaining("nothing was written");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void keepsRunsOutboxAndClusterStateAcrossRestarts(StoreKind kind) throws Exception {
        var cluster = new ClusterName("payments");
        var t0 = Instant.parse("2026-11-01T02:14:00.123456Z");
        try (var fresh = TestStore.fresh(kind)) {
            var run = RunRecord.started("run-1", RunKind.FAILOVER, cluster, Actor.daemon("d1"), t0)
                    .withNodes(new NodeName("pg-1"), new NodeName("pg-2"), 7)
                    .withTimeline(t0, t0.plusSeconds(3), t0.plusSeconds(5), null, null, null);
            try (var store = fresh.open()) {
                store.runs().save(run);
                assertThat(store.outbox().enqueue(OutboxMessage.fresh("m1", Optional.of("run-1/dba/email"), "FAILOVER_STARTED",
                        "dba", "email", Optional.of(cluster), Optional.of("run-1"), "{\"subject\":\"x\"}", t0))).isTrue();
                assertThat(store.outbox().enqueue(OutboxMessage.fresh("m2", Optional.of("run-1/dba/email"), "FAILOVER_STARTED",
                        "dba", "email", Optional.of(cluster), Optional.of("run-1"), "{}", t0))).as("dedup").isFalse();
                var state = store.clusterStates().save(ClusterState.initial(cluster).withEpoch(7).withLastFailoverAt(t0)
                        .withActiveRun(Optional.of("run-1"))).orElseThrow();
                assertThat(store.clusterStates().save(ClusterState.initial(cluster))).as("stale version").isEmpty();
                assertThat(store.clusterStates().save(state.withEpoch(8))).isPresent();
            }
            try (var store = fresh.open()) {
                assertThat(store.runs().find("run-1")).contains(run);
                assertThat(store.runs().unfinished(cluster)).containsExactly(run);
                assertThat(store.outbox().due(t0, 10)).extracting(OutboxMessage::id).containsExactly("m1");
                store.outbox().markAttemptFailed("m1", "SMTP 421", t0.plusSeconds(30));
                assertThat(store.outbox().due(t0.plusSeconds(29), 10)).isEmpty();
                store.outbox().markDelivered("m1", t0.plusSeconds(31), Optional.of("<abc@drctl>"));
                var delivered = store.outbox().find("m1").orElseThrow();
                assertThat(delivered.attempts()).isEqualTo(2);
                assertThat(delivered.deliveredAt()).contains(t0.plusSeconds(31));
                assertThat(store.outbox().due(t0.plusSeconds(3600), 10)).isEmpty();
                var state = store.clusterStates().load(cluster);
                assertThat(state.epoch()).isEqualTo(8);
                assertThat(state.lastFailoverAt()).contains(t0);
                assertThat(state.activeRunId()).contains("run-1");
                assertThat(state.version()).isEqualTo(2);
                var finished = run.withStatus(RunStatus.SUCCEEDED, "promoted pg-2")
                        .withMeasures(Duration.ofSeconds(42), Duration.ZERO, 0L, false);
                store.runs().save(finished);
                assertThat(store.runs().find("run-1")).contains(finished);
                assertThat(store.runs().unfinished(cluster)).isEmpty();
            }
        }
    }
}
