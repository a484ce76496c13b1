package dev.drctl.promotion;

import static dev.drctl.promotion.Observations.cluster;
import static dev.drctl.promotion.Observations.over;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;

/**
 * Safety rule 3 as a table: each candidate's {@link DataLoss}, measured on what it received against the best known
 * primary position (these rounds', else the store's memory), and the RPO block it meets. The one-shot command after
 * a kill -9 never sees the primary answer: only the store's memory bounds the loss.
 */
class DataLossRankingTest {
    /** The store saw the primary writable at this position 8 s before now, and first failing 1 s later. */
    static ClusterMemory remembered(Observations f, String primary, DataPosition position, Duration before) {
        var at = f.now().minus(before);
        return new ClusterMemory(Optional.of(new NodeName(primary)), Optional.of(position), Optional.of(at),
                Optional.of(at.plusSeconds(1)), 1, Optional.empty());
    }

    static DataPosition lsn(String text) {
        return DataPosition.PgLsn.parse(1, text);
    }

    static ReplicaRanking rank(Observations f, String failed, ClusterMemory memory) {
        return ReplicaRanker.rank(f.history(), new NodeName(failed), memory, f.now());
    }

    static ReplicaRanking.Ranked candidate(ReplicaRanking r, String node) {
        return r.ranked().stream().filter(x -> x.node().value().equals(node)).findFirst().orElseThrow();
    }

    record Row(String name, Observations f, Function<Observations, ClusterMemory> memory, Consumer<ReplicaRanking> check) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Arguments row(String name, Observations f, Function<Observations, ClusterMemory> memory,
                         Consumer<ReplicaRanking> check) {
        return Arguments.of(new Row(name, f, memory, check));
    }

    static Function<Observations, ClusterMemory> fixed(ClusterMemory memory) {
        return f -> memory;
    }

    /** The store saw pg1 writable at 0/5000000 8 s before now, and first failing 1 s later. */
    static ClusterMemory recent(Observations f) {
        return remembered(f, "pg1", lsn("0/5000000"), ofSeconds(8));
    }

    /** Recorded an hour before the first failure the store saw (now - 60 s): nobody watched in between. */
    static ClusterMemory stale(Observations f) {
        var at = f.now().minus(ofMinutes(61));
        return new ClusterMemory(Optional.of(new NodeName("pg1")), Optional.of(lsn("0/5000000")), Optional.of(at),
                Optional.of(at.plus(ofMinutes(60))), 1, Optional.empty());
    }

    static Observations pgKilled() {
        return cluster("testenv-pg").primary("pg1").at("0/5000000").downThroughout();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("one-shot after a kill, nothing remembered: every loss unknown, blocked",
                        pgKilled().replica("pg2").at("0/5000000").noStream(),
                        fixed(ClusterMemory.none()),
                        r -> {
                            assertThat(candidate(r, "pg2").loss()).isInstanceOf(DataLoss.Unknown.class);
                            assertThat(candidate(r, "pg2").loss().words()).isEqualTo("unknown: pg1's last position is"
                                    + " unknown: no probe round saw it answer and the store has no record of it");
                            assertThat(r.rpoBlock()).contains("RPO guard: best candidate pg2 cannot be measured: pg1's"
                                    + " last position is unknown, lag 0s / 0B; max-lag 16MB / 10s: data loss unknown");
                        }),
                row("remembered position: the in-sync replica holds it all; the one whose stream broke 45 min"
                                + " earlier is unknown, ranked below",
                        pgKilled().replica("pg2").at("0/5000000").neverStreaming()
                                .replica("pg3").at("0/3000000").stoppedReceiving(ofMinutes(45).plusSeconds(8)),
                        DataLossRankingTest::recent,
                        r -> {
                            assertThat(ReplicaRankerTest.order(r)).containsExactly("pg2", "pg3");
                            assertThat(candidate(r, "pg2").loss()).isInstanceOf(DataLoss.None.class);
                            assertThat(candidate(r, "pg2").loss().words()).isEqualTo("none: holds all of pg1's last"
                                    + " position 0/5000000 (timeline 1), recorded at 2026-01-01T00:00:52Z");
                            var pg3 = (DataLoss.Unknown) candidate(r, "pg3").loss();
                            assertThat(pg3.reason()).isEqualTo("pg3 stopped receiving at 2025-12-31T23:15:52Z, 45 min"
                                    + " before pg1 was last seen at 2026-01-01T00:00:52Z, and lacks 32MB (33554432"
                                    + " bytes) of pg1's last position 0/5000000 (timeline 1), recorded at"
                                    + " 2026-01-01T00:00:52Z");
                            assertThat(pg3.atLeast()).contains(new DataPosition.Shortfall(32L << 20,
                                    DataPosition.Shortfall.Unit.BYTES));
                            assertThat(r.rpoBlock()).isEmpty();
                            assertThat(candidate(r, "pg3").rpoBlock()).hasValueSatisfying(b -> assertThat(b)
                                    .startsWith("RPO guard: candidate pg3 data loss unknown: pg3 stopped receiving at")
                                    .endsWith("data loss unknown; drctl failover testenv-pg --to pg3"
                                            + " --accept-data-loss promotes it anyway"));
                        }),
                row("only the broken replica is left: blocked, said in plain words",
                        pgKilled().replica("pg2").at("0/5000000").neverStreaming().noFailover()
                                .replica("pg3").at("0/3000000").stoppedReceiving(ofMinutes(45).plusSeconds(8)),
                        DataLossRankingTest::recent,
                        r -> assertThat(r.rpoBlock()).contains("RPO guard: best candidate pg3 data loss unknown: pg3"
                                + " stopped receiving at 2025-12-31T23:15:52Z, 45 min before pg1 was last seen at"
                                + " 2026-01-01T00:00:52Z, and lacks 32MB (33554432 bytes) of pg1's last position"
                                + " 0/5000000 (timeline 1), recorded at 2026-01-01T00:00:52Z, lag 0s / 0B; max-lag"
                                + " 16MB / 10s: data loss unknown; drctl failover testenv-pg --accept-data-loss"
                                + " promotes it anyway")),
                row("received, not replayed, is what counts: a broken stream with 0 B replay lag is still unknown",
                        pgKilled().replica("pg3").at("0/4FFF000").lag(0, ofSeconds(0))
                                .stoppedReceiving(ofMinutes(45)),
                        DataLossRankingTest::recent,
                        r -> assertThat(candidate(r, "pg3").loss()).isInstanceOf(DataLoss.Unknown.class)),
                row("a broken replica whose position proves it has everything is bounded (none)",
                        pgKilled().replica("pg3").at("0/5000000").stoppedReceiving(ofMinutes(45)),
                        DataLossRankingTest::recent,
                        r -> {
                            assertThat(candidate(r, "pg3").loss()).isInstanceOf(DataLoss.None.class);
                            assertThat(r.rpoBlock()).isEmpty();
                        }),
                row("a replica received more than the primary was last seen with: the others are measured against it",
                        pgKilled().replica("pg2").at("0/6000000").neverStreaming()
                                .replica("pg4").at("0/5800000").neverStreaming(),
                        DataLossRankingTest::recent,
                        r -> {
                            assertThat(candidate(r, "pg2").loss()).isInstanceOf(DataLoss.None.class);
                            var pg4 = (DataLoss.Bounded) candidate(r, "pg4").loss();
                            assertThat(pg4.amount()).isEqualTo(new DataPosition.Shortfall(8L << 20,
                                    DataPosition.Shortfall.Unit.BYTES));
                            assertThat(pg4.basis().source()).isEqualTo(DataLoss.Source.REPLICA);
                            assertThat(pg4.words()).isEqualTo("lacks 8MB (8388608 bytes) of the position"
                                    + " 0/6000000 (timeline 1) that pg2 received");
                        }),
                row("nobody watched between the record and the failure: even the furthest replica is unknown",
                        pgKilled().replica("pg2").at("0/5000000").neverStreaming(),
                        DataLossRankingTest::stale,
                        r -> {
                            assertThat(candidate(r, "pg2").loss().words()).isEqualTo("unknown: pg1's last known"
                                    + " position was recorded at 2025-12-31T23:00:00Z, 1 h before it was first seen"
                                    + " failing at 2026-01-01T00:00:00Z, and pg2 is not receiving and was not seen receiving"
                                    + " since pg1 was first seen failing at 2026-01-01T00:00:00Z (its last contact with its"
                                    + " upstream is not reported): what pg1 wrote in between may be missing");
                            assertThat(r.rpoBlock()).hasValueSatisfying(b -> assertThat(b).contains("data loss unknown"));
                        }),
                row("...unless it streamed until the primary failed (its last contact is after the failure)",
                        pgKilled().replica("pg2").at("0/5000000").stoppedReceiving(ofSeconds(30)),
                        DataLossRankingTest::stale,
                        r -> assertThat(candidate(r, "pg2").loss()).isInstanceOf(DataLoss.None.class)),
                row("the store's position of another primary says nothing of this one",
                        pgKilled().replica("pg2").at("0/5000000").neverStreaming(),
                        fixed(new ClusterMemory(Optional.of(new NodeName("pg9")), Optional.of(lsn("0/5000000")),
                                Optional.of(Observations.T0), Optional.empty(), 1, Optional.empty())),
                        r -> assertThat(candidate(r, "pg2").loss()).isInstanceOf(DataLoss.Unknown.class)),
                row("these rounds' sighting is later than the store's: it is the basis",
                        cluster("testenv-pg").primary("pg1").at("0/5000000").failing(3, over(ofSeconds(3)))
                                .replica("pg2").at("0/5000000").notStreaming(),
                        fixed(new ClusterMemory(Optional.of(new NodeName("pg1")), Optional.of(lsn("0/4000000")),
                                Optional.of(Observations.T0), Optional.empty(), 1, Optional.empty())),
                        r -> {
                            var none = (DataLoss.None) candidate(r, "pg2").loss();
                            assertThat(none.basis().source()).isEqualTo(DataLoss.Source.PROBED);
                            assertThat(none.basis().reference()).isEqualTo(lsn("0/5000000"));
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void estimatesTheLoss(Row row) {
        row.check().accept(rank(row.f(), "pg1", row.memory().apply(row.f())));
    }

    // ---- MySQL family: GTID sets, missing transactions counted and named

    @Test
    void mariadbReplicaWithItsIoThreadStoppedLacksNamedTransactionsAndRanksBelow() {
        var f = cluster("testenv-mariadb").engine(Engine.MARIADB).primary("m1").at("0-1-145").downThroughout()
                .replica("m2").at("0-1-145").neverStreaming()
                .replica("m3").at("0-1-100").neverStreaming().priority(100);
        var r = rank(f, "m1", new ClusterMemory(Optional.of(new NodeName("m1")),
                Optional.of(new DataPosition.MariadbGtidPos("0-1-145")), Optional.of(f.now().minusSeconds(8)),
                Optional.of(f.now().minusSeconds(7)), 1, Optional.empty()));
        assertThat(ReplicaRankerTest.order(r)).containsExactly("m2", "m3");
        assertThat(candidate(r, "m2").loss()).isInstanceOf(DataLoss.None.class);
        var m3 = (DataLoss.Unknown) candidate(r, "m3").loss();
        assertThat(m3.missing()).containsExactly("0-1-101..145");
        assertThat(m3.atLeast()).contains(new DataPosition.Shortfall(45, DataPosition.Shortfall.Unit.TRANSACTIONS));
        assertThat(r.rpoBlock()).isEmpty();
        assertThat(candidate(r, "m3").rpoBlock()).hasValueSatisfying(b -> assertThat(b)
                .contains("lacks 45 transactions (0-1-101..145) of m1's last position 0-1-145"));
    }

    @Test
    void knownMissingTransactionsAreRefusedWhateverMaxLagBytes() {
        var f = cluster("ledger").engine(Engine.MARIADB).primary("m1").at("0-1-100").failing(3, over(ofSeconds(3)))
                .replica("m2").at("0-1-95").notStreaming();
        var r = rank(f, "m1", ClusterMemory.none());
        var loss = (DataLoss.Bounded) candidate(r, "m2").loss();
        assertThat(loss.amount().toString()).isEqualTo("5 transactions");
        assertThat(loss.missing()).containsExactly("0-1-96..100");
        assertThat(r.rpoBlock()).contains("RPO guard: best candidate m2 lacks 5 transactions of m1's last known"
                + " position 0-1-100, lag 0s / 0B; max-lag 16MB / 10s: missing 5 transactions (0-1-96..100):"
                + " max-lag.bytes does not measure GTIDs, so any missing transaction refuses automatic promotion;"
                + " drctl failover ledger --accept-data-loss promotes it anyway");
    }

    @Test
    void mysqlCandidateLackingWhatAnotherReplicaHoldsRanksBelowIt() {
        var a = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        var f = cluster("orders").engine(Engine.MYSQL).primary("db1").at(a + ":1-100").downThroughout()
                .replica("db2").at(a + ":1-120").neverStreaming()
                .replica("db3").at(a + ":1-100").neverStreaming().priority(500);
        var r = rank(f, "db1", new ClusterMemory(Optional.of(new NodeName("db1")),
                Optional.of(new DataPosition.MysqlGtidSet(a + ":1-100")), Optional.of(f.now().minusSeconds(8)),
                Optional.of(f.now().minusSeconds(7)), 1, Optional.empty()));
        assertThat(ReplicaRankerTest.order(r)).containsExactly("db2", "db3");
        // Ahead of the remembered set is what the primary wrote after it, not errant.
        assertThat(candidate(r, "db2").errant()).isEmpty();
        assertThat(candidate(r, "db2").loss()).isInstanceOf(DataLoss.None.class);
        var db3 = (DataLoss.Bounded) candidate(r, "db3").loss();
        assertThat(db3.missing()).containsExactly(a + ":101-120");
        assertThat(r.rpoBlock()).isEmpty();
        assertThat(candidate(r, "db3").rpoBlock()).hasValueSatisfying(b -> assertThat(b).contains("missing 20"
                + " transactions (" + a + ":101-120)"));
    }

    @Test
    void withoutAMemoryTheOldSignatureStillBlocksAnUnseenPrimary() {
        var f = pgKilled().replica("pg2").at("0/5000000").noStream();
        assertThat(ReplicaRanker.rank(f.history(), new NodeName("pg1"), f.now()).rpoBlock()).isPresent();
    }

    /**
     * Property-style, over generated one-shot situations (the primary down throughout, replicas at random positions,
     * some streams broken long ago, a random memory): an unclear loss is never let through.
     */
    @Test
    void anUnboundedLossIsNeverClearedForGeneratedClusters() {
        var rnd = new java.util.Random(20261128);
        int cleared = 0;
        for (int i = 0; i < 2000; i++) {
            var f = cluster("gen").primary("pg1").downThroughout();
            int replicas = 1 + rnd.nextInt(3);
            for (int k = 0; k < replicas; k++) {
                f.replica("r" + k).at("0/" + Integer.toHexString(0x4000000 + rnd.nextInt(0x2000000)));
                switch (rnd.nextInt(3)) {
                    case 0 -> f.neverStreaming();
                    case 1 -> f.stoppedReceiving(Duration.ofSeconds(rnd.nextInt(3600)));
                    default -> f.noStream();
                }
            }
            var known = lsn("0/" + Integer.toHexString(0x4000000 + rnd.nextInt(0x2000000)));
            var at = f.now().minusSeconds(2 + rnd.nextInt(120));
            var memory = rnd.nextInt(6) == 0 ? ClusterMemory.none()
                    : new ClusterMemory(Optional.of(new NodeName("pg1")), Optional.of(known), Optional.of(at),
                            rnd.nextBoolean() ? Optional.of(at.plusSeconds(rnd.nextInt(10))) : Optional.empty(), 1,
                            Optional.empty());
            var r = rank(f, "pg1", memory);
            var ctx = "case " + i + ": " + memory + " " + r;
            for (var c : r.ranked()) {
                if (c.loss() instanceof DataLoss.Unknown) {
                    assertThat(c.rpoBlock()).as(ctx).isPresent();
                }
                // Cleared only with a known position it holds all of, or a contact after the primary was last seen.
                if (c.rpoBlock().isEmpty()) {
                    cleared++;
                    assertThat(memory.lastPosition()).as(ctx).isPresent();
                    var lacksKnown = c.position().shortfallFrom(known).orElseThrow().amount() > 0;
                    var since = at.minusSeconds(2);
                    var contact = f.history().of(c.node()).stream().anyMatch(o -> o.outcome()
                            instanceof dev.drctl.topology.ProbeOutcome.Reached x && x.stream().isPresent()
                            && (x.stream().get().receiving() && !o.at().isBefore(since)
                                    || x.stream().get().lastContact().map(t -> !t.isBefore(since)).orElse(false)));
                    assertThat(!lacksKnown || contact).as(c + " in " + ctx).isTrue();
                }
            }
        }
        assertThat(cleared).as("the generator reaches the cleared branch").isGreaterThan(50);
    }
}
