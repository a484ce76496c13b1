package dev.drctl.promotion;

import static dev.drctl.promotion.Observations.cluster;
import static dev.drctl.promotion.Observations.over;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.drctl.topology.FailoverMode;
import dev.drctl.topology.NodeName;

/** The decision sentences are contract: what a human reads when drctl does, or refuses to do, a failover. */
class FailoverDeciderTest {
    static final String DEAD = "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replica pg2"
            + " lost its stream from it";

    static Observations dead() {
        return cluster("payments").primary("pg1").failing(3, over(ofSeconds(3))).replica("pg2").notStreaming();
    }

    @Test
    void promoteNamesTheCandidateTheFencedPrimaryAndWhy() {
        var d = ClusterDecisionTest.run(dead()).decision();
        var p = (FailoverDecision.Promote) d;
        assertThat(p.candidate()).isEqualTo(new NodeName("pg2"));
        assertThat(p.fenced()).isEqualTo(new NodeName("pg1"));
        assertThat(p.lossAccepted()).isFalse();
        assertThat(p.deathAsserted()).isFalse();
        assertThat(p.loss().bytes()).contains(0L);
        assertThat(p.reason()).isEqualTo(DEAD + "; promote pg2 (fencing pg1): the only candidate; data"
                + " 0/3000000 (timeline 1) (all of pg1's last known data), region ap-south-1, priority 0, lag 0s / 0B");
    }

    @Test
    void cooldownSaysWhenItEndsAndWhatAHumanMayDo() {
        var d = ClusterDecisionTest.run(dead().failedOverAgo(ofMinutes(4))).decision();
        assertThat(d.reason()).isEqualTo(DEAD + "; automatic failover refused: payments failed over at"
                + " 2025-12-31T23:57:00Z, cooldown until 2026-01-01T00:07:00Z; `drctl failover payments` acts manually"
                + " and is journaled as manual");
    }

    @Test
    void manualModeSaysWhatWouldHappen() {
        var d = ClusterDecisionTest.run(dead().mode(FailoverMode.MANUAL)).decision();
        assertThat(d.reason()).isEqualTo(DEAD + "; failover mode is manual: would promote pg2 (fencing pg1): the only"
                + " candidate; data 0/3000000 (timeline 1) (all of pg1's last known data), region ap-south-1, priority 0,"
                + " lag 0s / 0B; `drctl failover payments` acts manually and is journaled as manual");
    }

    @Test
    void dryRunChangesNothing() {
        var d = ClusterDecisionTest.run(dead().mode(FailoverMode.DRY_RUN)).decision();
        assertThat(d.reason()).startsWith(DEAD + "; failover mode is dry-run: would promote pg2 (fencing pg1): ")
                .endsWith("; nothing changed");
    }

    @Test
    void rpoGuardPointsAtAcceptDataLoss() {
        var d = ClusterDecisionTest.run(cluster("payments").primary("pg1").at("0/5000000").failing(3, over(ofSeconds(3)))
                .replica("pg2").at("0/3000000").notStreaming()).decision();
        assertThat(d.reason()).isEqualTo(DEAD + "; automatic failover refused: RPO guard: best candidate pg2 lacks 32MB"
                + " (33554432 bytes) of pg1's last known position 0/5000000 (timeline 1), lag 0s / 0B; max-lag 16MB / 10s:"
                + " 32MB behind is over max-lag 16MB; `drctl failover payments --accept-data-loss` acts manually and is"
                + " journaled as manual");
    }

    @Test
    void noCandidateListsEveryExclusion() {
        // pg2 and pg3 both confirm (a majority of two); neither may be promoted: pg3 is not caught up.
        var d = ClusterDecisionTest.run(cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                .replica("pg2").noFailover().notStreaming().replica("pg3").positionUnknown().notStreaming()).decision();
        assertThat(d.reason()).isEqualTo("payments: primary pg1 is dead: 3 consecutive failed probes over 3s and"
                + " replicas pg2, pg3 lost their stream from it; automatic failover refused: no eligible replica (pg2:"
                + " marked no-failover: never promoted; pg3: reports no data position: never treated as caught up);"
                + " `drctl failover payments --to NODE` acts manually and is journaled as manual");
    }

    @Test
    void splitBrainAndNoPrimaryTellHumansWhatToDo() {
        var split = ClusterDecisionTest.run(cluster("payments").primary("pg1").primary("pg2")).decision();
        assertThat(split.reason()).isEqualTo("payments: split brain: pg1, pg2 both answer as writable primaries;"
                + " automatic failover refused: fence all but one of them by hand (read-only or stopped); drctl will not"
                + " choose a writer");
        var none = ClusterDecisionTest.run(cluster("payments").replica("pg2").replica("pg3")).decision();
        assertThat(none.reason()).isEqualTo("payments: no node has been seen as a writable primary; automatic failover"
                + " refused: there is no confirmed primary to fail over from; `drctl failover payments --to NODE` acts"
                + " manually and is journaled as manual");
    }

    @Test
    void cooldownIsData() {
        var at = Instant.parse("2026-01-01T00:00:00Z");
        var c = new Cooldown(Optional.of(at), ofMinutes(10));
        assertThat(c.active(at)).isTrue();
        assertThat(c.active(at.plus(ofMinutes(10)).minusMillis(1))).isTrue();
        assertThat(c.active(at.plus(ofMinutes(10)))).isFalse();
        assertThat(c.until()).contains(at.plus(ofMinutes(10)));
        assertThat(Cooldown.none(ofMinutes(10)).active(at)).isFalse();
        assertThat(Cooldown.none(ofMinutes(10)).until()).isEmpty();
        assertThat(Cooldown.none(ofMinutes(10)).startedAt(at)).isEqualTo(c);
    }
}
