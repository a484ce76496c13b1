package dev.drctl.promotion;

import static dev.drctl.promotion.Observations.cluster;
import static dev.drctl.promotion.Observations.over;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.drctl.topology.Comparison;
import dev.drctl.topology.DataSize;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;

/** The ranking's order, components and reasons, which {@code drctl candidates} prints as they are. */
class ReplicaRankerTest {

    static ReplicaRanking rank(Observations f, String failed) {
        return ReplicaRanker.rank(f.history(), new NodeName(failed), f.now());
    }

    static java.util.List<String> order(ReplicaRanking r) {
        return r.ranked().stream().map(x -> x.node().value()).toList();
    }

    @Test
    void tieIsBrokenByRegionThenPriorityAndEachPlaceSaysWhy() {
        var r = rank(cluster("payments").preferRegions("ap-south-1", "ap-south-2")
                .primary("pg1").failing(3, over(ofSeconds(3)))
                .replica("pg2").region("ap-south-2").priority(100).notStreaming()
                .replica("pg3").priority(10).notStreaming()
                .replica("pg4").priority(50).notStreaming()
                .replica("pg5").region("us-east-1").priority(500).notStreaming(), "pg1");

        assertThat(order(r)).containsExactly("pg4", "pg3", "pg2", "pg5");
        assertThat(r.ranked().get(0).reason()).isEqualTo("first: same data as pg3 and region preference, higher priority"
                + " (50 over 10); data 0/3000000 (timeline 1) (all of pg1's last known data), region ap-south-1"
                + " (preferred #1), priority 50, lag 0s / 0B");
        assertThat(r.ranked().get(1).reason()).startsWith("same data as pg4 and region preference, but priority 10 is"
                + " below pg4's 50;");
        assertThat(r.ranked().get(2).reason()).startsWith("same data as pg3, but region ap-south-2 is less preferred than"
                + " pg3's ap-south-1;");
        assertThat(r.ranked().get(3).reason()).contains("region us-east-1 (not preferred)");
        assertThat(r.ranked().get(2).preferredRegion()).contains(1);
        assertThat(r.ranked().get(3).preferredRegion()).isEmpty();
        assertThat(r.rpoBlock()).isEmpty();
    }

    @Test
    void dataComesBeforePriority() {
        var r = rank(cluster("payments").primary("pg1").at("0/3000000").failing(3, over(ofSeconds(3)))
                .replica("pg2").at("0/2FFFFFF").priority(1000).notStreaming()
                .replica("pg3").at("0/3000000").notStreaming(), "pg1");
        assertThat(order(r)).containsExactly("pg3", "pg2");
        assertThat(r.ranked().get(1).behindCandidates()).isEqualTo(1);
        assertThat(r.ranked().get(1).shortfall()).contains(new dev.drctl.topology.DataPosition.Shortfall(1,
                dev.drctl.topology.DataPosition.Shortfall.Unit.BYTES));
        assertThat(r.ranked().get(1).reason()).startsWith("behind pg3 on data;");
    }

    @Test
    void everyNodeIsListedOnceWithItsExclusion() {
        var r = rank(cluster("payments").allowedRegions("ap-south-1", "ap-south-2")
                .primary("pg1").failing(3, over(ofSeconds(3)))
                .replica("pg2").noFailover().notStreaming()
                .replica("pg3").region("eu-west-1").notStreaming()
                .replica("pg4").unreachable()
                .replica("pg5").positionUnknown().notStreaming()
                .primary("pg6").readOnly()
                .replica("pg7").region("ap-south-2").notStreaming(), "pg1");
        assertThat(order(r)).containsExactly("pg7");
        assertThat(r.excluded()).extracting(x -> x.node().value() + " " + x.why()).containsExactly(
                "pg1 FAILED_PRIMARY", "pg2 NO_FAILOVER", "pg3 REGION_NOT_ALLOWED", "pg4 UNREACHABLE",
                "pg5 POSITION_UNKNOWN", "pg6 NOT_A_REPLICA");
        assertThat(r.excluded().get(2).detail()).isEqualTo("region eu-west-1 is outside allowed-regions [ap-south-1,"
                + " ap-south-2]: never promoted there, whatever its data");
        assertThat(r.excluded().get(4).detail()).isEqualTo("reports no data position: never treated as caught up");
    }

    @Test
    void replicaOfAnotherPrimaryIsOffTheLineage() {
        var r = rank(cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                .replica("pg2").notStreaming()
                .primary("other").readOnly()
                .replica("pg3").streamingFrom("other"), "pg1");
        assertThat(order(r)).containsExactly("pg2");
        assertThat(r.excluded()).extracting(x -> x.node().value() + " " + x.why())
                .contains("pg3 OTHER_LINEAGE", "other NOT_A_REPLICA");
    }

    @Test
    void cascadedReplicaIsOnTheLineage() {
        var r = rank(cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                .replica("pg2").notStreaming()
                .replica("pg3").streamingFrom("pg2").priority(10), "pg1");
        assertThat(order(r)).containsExactly("pg3", "pg2");
    }

    @Test
    void rpoGuardGivesTheFigures() {
        var r = rank(cluster("payments").maxLag(new DataSize(16L << 20), ofSeconds(10))
                .primary("pg1").at("0/5000000").failing(3, over(ofSeconds(3)))
                .replica("pg2").at("0/3000000").lag(4096, ofSeconds(4)).notStreaming(), "pg1");
        assertThat(r.rpoBlock()).contains("RPO guard: best candidate pg2 lacks 32MB (33554432 bytes) of pg1's last"
                + " known position 0/5000000 (timeline 1), lag 4s / 4kB; max-lag 16MB / 10s: 32MB behind is over"
                + " max-lag 16MB");
    }

    @Test
    void rpoGuardWithinLimitsIsClear() {
        var r = rank(cluster("payments").primary("pg1").at("0/5000000").failing(3, over(ofSeconds(3)))
                .replica("pg2").at("0/4000000").lag(ofSeconds(9)).notStreaming(), "pg1");
        assertThat(r.rpoBlock()).isEmpty();
    }

    @Test
    void lagUnknownIsNeverZero() {
        var r = rank(cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                .replica("pg2").lagUnknown().notStreaming(), "pg1");
        assertThat(r.rpoBlock()).contains("RPO guard: best candidate pg2 holds all of pg1's last known position"
                + " 0/3000000 (timeline 1), lag unknown; max-lag 16MB / 10s: its lag is unknown (never treated as 0)");
    }

    @Test
    void onlyCandidateOnAnotherTimelineIsBlockedAsUnknownLoss() {
        var r = rank(cluster("payments").primary("pg1").timeline(2).at("0/5000000").failing(3, over(ofSeconds(3)))
                .replica("pg2").timeline(1).at("0/5800000").notStreaming(), "pg1");
        assertThat(r.ranked().getFirst().versusPrimary()).contains(Comparison.INCOMPARABLE);
        assertThat(r.rpoBlock()).contains("RPO guard: best candidate pg2 cannot be measured against pg1's last known"
                + " position 0/5000000 (timeline 2) (0/5800000 (timeline 1) has no order with it), lag 0s / 0B;"
                + " max-lag 16MB / 10s: data loss unknown");
    }

    @Test
    void incomparableGtidSetsAreReportedAndRankedAfterTheComparableLeader() {
        var a = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        var r = rank(cluster("orders").engine(Engine.MYSQL)
                .primary("db1").at(a + ":1-100").failing(3, over(ofSeconds(3)))
                .replica("db2").at(a + ":1-95").notStreaming()
                .replica("db3").at(a + ":1-94").notStreaming()
                .replica("db4").at(a + ":1-90,aaaaaaaa-0000-0000-0000-000000000000:1-3").priority(100).notStreaming(),
                "db1");
        // Data first: db4 is behind nobody, so it stays above db3 (behind db2), but after the comparable leader.
        assertThat(order(r)).containsExactly("db2", "db4", "db3");
        var db4 = r.ranked().get(1);
        assertThat(db4.incomparableWith()).extracting(NodeName::value).containsExactly("db2", "db3");
        assertThat(r.ranked().get(2).reason()).startsWith("data has no order with db4's and is behind 1 other candidate;");
        assertThat(db4.versusPrimary()).contains(Comparison.INCOMPARABLE);
        assertThat(db4.reason()).startsWith("data has no order with the primary's last known position (another"
                + " timeline or errant transactions): ranked after the comparable leader;");
        assertThat(r.ranked().get(0).shortfall()).map(s -> s.toString()).contains("5 transactions");
    }

    @Test
    void errantBestCandidateIsBlocked() {
        var a = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        var r = rank(cluster("orders").engine(Engine.MYSQL)
                .primary("db1").at(a + ":1-100").failing(3, over(ofSeconds(3)))
                .replica("db2").at(a + ":1-99,aaaaaaaa-0000-0000-0000-000000000000:1").notStreaming(), "db1");
        assertThat(r.rpoBlock()).map(s -> s.endsWith("it holds transactions db1 never had (errant:"
                + " aaaaaaaa-0000-0000-0000-000000000000:1); drctl failover orders --accept-data-loss promotes it anyway"))
                .contains(true);
        assertThat(r.ranked().getFirst().errant()).containsExactly("aaaaaaaa-0000-0000-0000-000000000000:1");
    }

    @Test
    void noCandidateMeansNoRpoFigure() {
        var r = rank(cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                .replica("pg2").unreachable(), "pg1");
        assertThat(r.ranked()).isEmpty();
        assertThat(r.rpoBlock()).isEqualTo(Optional.empty());
    }

    @Test
    void withoutAKnownPrimaryReplicasAreStillRankedButTheLossIsUnmeasurable() {
        var f = cluster("payments").replica("pg2").at("0/2000000").noStream()
                .replica("pg3").at("0/3000000").noStream().replica("pg4").unreachable();
        var r = ReplicaRanker.rankWithoutPrimary(f.history(), f.now());
        assertThat(order(r)).containsExactly("pg3", "pg2");
        assertThat(r.excluded()).extracting(x -> x.node().value() + " " + x.why()).containsExactly("pg4 UNREACHABLE");
        assertThat(r.rpoBlock()).contains("RPO guard: best candidate pg3 cannot be measured: no primary was seen, so its"
                + " last position is unknown, lag 0s / 0B; max-lag 16MB / 10s: data loss unknown");
    }
}
