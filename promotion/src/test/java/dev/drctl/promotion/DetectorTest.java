package dev.drctl.promotion;

import static dev.drctl.promotion.Observations.cluster;
import static dev.drctl.promotion.Observations.over;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ClusterName;

class DetectorTest {
    private final List<DetectorEvent> events = new ArrayList<>();
    private final Detector detector = new Detector(List.of(events::add));

    static Observations healthy(Instant now) {
        return cluster("payments").now(now).primary("pg1").replica("pg2").replica("pg3");
    }

    static Observations dead(Instant now) {
        return cluster("payments").now(now).primary("pg1").failing(3, over(ofSeconds(3)))
                .replica("pg2").notStreaming().replica("pg3").notStreaming();
    }

    static Observations suspect(Instant now, int failures) {
        return cluster("payments").now(now).primary("pg1").failing(failures, over(ofSeconds(failures)))
                .replica("pg2").replica("pg3");
    }

    /**
     * The store's cooldown as the runbook leaves it: a Promote's run records the failover before it acts (its commit
     * step), and the next round's memory carries it. The detector itself keeps none.
     */
    private final Map<ClusterName, Instant> committed = new HashMap<>();

    void feed(Observations f) {
        var cluster = f.history().cluster().name();
        var a = detector.accept(f.history(), memory(Optional.ofNullable(committed.get(cluster))), f.now());
        if (a.decision() instanceof FailoverDecision.Promote) {
            committed.put(cluster, f.now());
        }
    }

    static ClusterMemory memory(Optional<Instant> lastFailover) {
        return new ClusterMemory(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, lastFailover);
    }

    long promotions() {
        return events.stream().filter(e -> e instanceof DetectorEvent.DecisionMade d
                && d.decision() instanceof FailoverDecision.Promote).count();
    }

    @Test
    void steadyRoundsEmitOnce() {
        var t = Observations.T0;
        for (int i = 0; i < 5; i++) {
            feed(healthy(t.plusSeconds(i)));
        }
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(DetectorEvent.VerdictChanged.class, v -> {
            assertThat(v.from()).isEmpty();
            assertThat(v.to()).isInstanceOf(ClusterVerdict.Healthy.class);
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(DetectorEvent.DecisionMade.class,
                d -> assertThat(d.decision()).isInstanceOf(FailoverDecision.Wait.class));
    }

    @Test
    void growingSuspicionIsOneChangeNotOnePerRound() {
        var t = Observations.T0;
        feed(healthy(t));
        feed(suspect(t.plusSeconds(1), 1));
        feed(suspect(t.plusSeconds(2), 2));
        var verdicts = events.stream().filter(e -> e instanceof DetectorEvent.VerdictChanged).toList();
        assertThat(verdicts).hasSize(2);
        assertThat(((DetectorEvent.VerdictChanged) verdicts.get(1)).to().summary())
                .isEqualTo("payments: primary pg1 failed 1 consecutive probe over 1s; suspect, not dead (needs 3 over 3s"
                        + " and the replicas' agreement)");
    }

    @Test
    void flappingPrimaryFailsOverAtMostOnceThenCooldown() {
        var t = Observations.T0;
        for (int cycle = 0; cycle < 6; cycle++) {
            feed(healthy(t.plusSeconds(cycle * 20L)));
            feed(dead(t.plusSeconds(cycle * 20L + 10)));
        }
        assertThat(promotions()).isEqualTo(1);
        var refusals = events.stream().filter(e -> e instanceof DetectorEvent.DecisionMade d
                && d.decision() instanceof FailoverDecision.Refuse r && r.refusal() == Refusal.COOLDOWN).toList();
        assertThat(refusals).hasSize(5);
        assertThat(((DetectorEvent.DecisionMade) refusals.getFirst()).decision().reason()).endsWith(
                "automatic failover refused: payments failed over at 2026-01-01T00:00:10Z, cooldown until"
                        + " 2026-01-01T00:10:10Z; `drctl failover payments` acts manually and is journaled as manual");
        assertThat(detector.latest(new ClusterName("payments")).orElseThrow().cooldown().until())
                .contains(t.plusSeconds(10).plus(ofMinutes(10)));
    }

    @Test
    void afterTheCooldownAnotherFailoverIsAllowed() {
        var t = Observations.T0;
        feed(dead(t));
        feed(healthy(t.plusSeconds(30)));
        feed(dead(t.plus(ofMinutes(10)).plusSeconds(1)));
        assertThat(promotions()).isEqualTo(2);
    }

    @Test
    void aFailedFailoverIsNotRetriedEveryRound() {
        var t = Observations.T0;
        for (int i = 0; i < 30; i++) {
            feed(dead(t.plusSeconds(i)));
        }
        assertThat(promotions()).isEqualTo(1);
        assertThat(events.stream().filter(e -> e instanceof DetectorEvent.DecisionMade)).hasSize(2);
    }

    /**
     * Issue 13: a daemon that saw the primary dead while another daemon led (or before a quorum of daemons agreed)
     * did not act; when it can act, the Promote must still stand. Accepting started the cooldown at the first
     * Promote, so the new leader refused its own failover for the whole cooldown.
     */
    @Test
    void aPromoteNotActedOnStartsNoCooldownUntilTheStoreRecordsAFailover() {
        var t = Observations.T0;
        var watch = new Detector(List.of(events::add));
        for (int i = 0; i < 5; i++) {
            var f = dead(t.plusSeconds(i));
            assertThat(watch.assess(f.history(), ClusterMemory.none(), f.now()).decision())
                    .as("round %d, not acted on", i).isInstanceOf(FailoverDecision.Promote.class);
        }
        // the failover runbook records the failover in the store when it commits: from then on the store's cooldown binds
        var f = dead(t.plusSeconds(6));
        assertThat(watch.assess(f.history(), memory(Optional.of(t.plusSeconds(5))), f.now()).decision())
                .isInstanceOfSatisfying(FailoverDecision.Refuse.class,
                        r -> assertThat(r.refusal()).isEqualTo(Refusal.COOLDOWN));
    }

    @Test
    void theCooldownIsTheStoresAndAnAckClearsIt() {
        var t = Observations.T0;
        var fresh = new Detector(List.of(events::add));
        var f = dead(t);
        var cooling = fresh.accept(f.history(), memory(Optional.of(t.minus(ofMinutes(2)))), f.now());
        assertThat(cooling.decision()).isInstanceOfSatisfying(FailoverDecision.Refuse.class,
                r -> assertThat(r.refusal()).isEqualTo(Refusal.COOLDOWN));
        assertThat(cooling.cooldown().until()).contains(t.plus(ofMinutes(8)));
        // drctl ack: the store's memory no longer carries the failover; the next round may promote
        var acked = fresh.accept(dead(t.plusSeconds(1)).history(), memory(Optional.empty()), t.plusSeconds(1));
        assertThat(acked.decision()).isInstanceOf(FailoverDecision.Promote.class);
        // and the detector remembers no cooldown of its own: the store not recording a failover means none
        var again = fresh.accept(dead(t.plusSeconds(2)).history(), memory(Optional.empty()), t.plusSeconds(2));
        assertThat(again.decision()).isInstanceOf(FailoverDecision.Promote.class);
        assertThat(again.cooldown().lastFailover()).isEmpty();
    }

    @Test
    void partitionHeldForManyRoundsNeverPromotes() {
        var t = Observations.T0;
        for (int i = 0; i < 20; i++) {
            var f = cluster("payments").now(t.plusSeconds(i)).primary("pg1").failing(3 + i, over(ofSeconds(3 + i)))
                    .replica("pg2").replica("pg3");
            feed(f);
        }
        assertThat(promotions()).isZero();
        assertThat(events.stream().filter(e -> e instanceof DetectorEvent.VerdictChanged v
                && v.to() instanceof ClusterVerdict.PrimaryDead)).isEmpty();
    }
}
