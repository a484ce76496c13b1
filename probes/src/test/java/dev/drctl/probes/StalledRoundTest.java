package dev.drctl.probes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Safety rule 1, "drctl's own stalls are never counted as node failures": rounds and stalls are fed as
 * values (a scripted probe, a scripted stall meter), so nothing here depends on the machine's load.
 */
class StalledRoundTest {
    private static final Duration TIMEOUT = Duration.ofMillis(800);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T08:00:00Z"), ZoneOffset.UTC);
    private static final Stall STALLED = new Stall(Duration.ofMillis(2100), Duration.ofMillis(1400));
    private static final Stall CALM = Stall.none();

    private final ClusterSpec cluster = Clusters.of(Engine.POSTGRESQL, "drctl", Optional.empty(), Duration.ofMillis(50), TIMEOUT,
            1, 2);

    @Test
    void aStalledRoundWithTimeoutsIsDiscardedAndRepeated() {
        var probe = new ScriptedProbe(List.of(timedOut(), timedOut()), List.of(reached(), reached()));
        try (var scheduler = scheduler(probe, STALLED, CALM)) {
            var round = scheduler.probeRound(cluster);

            assertThat(round.conclusive()).isTrue();
            assertThat(round.discarded()).containsExactly(STALLED);
            assertThat(round.note()).contains("drctl was stalled 1.4 s; round repeated");
            for (var node : cluster.nodes()) {
                assertThat(round.history().latest(node.name())).get().satisfies(o -> assertThat(o.reached()).isTrue());
                // The discarded round never reached the history either.
                assertThat(scheduler.snapshot(cluster.name()).of(node.name())).singleElement()
                        .satisfies(o -> assertThat(o.reached()).isTrue());
            }
            assertThat(probe.calls).isEqualTo(4);
        }
    }

    @Test
    void timeoutsInACalmRoundAreTheNodesAndCount() {
        var probe = new ScriptedProbe(List.of(timedOut(), timedOut()), List.of(reached(), reached()));
        try (var scheduler = scheduler(probe, CALM)) {
            var round = scheduler.probeRound(cluster);

            assertThat(round.discarded()).isEmpty();
            assertThat(round.note()).isEmpty();
            assertThat(round.history().latest(cluster.nodes().getFirst().name())).get()
                    .satisfies(o -> assertThat(o.reached()).isFalse());
            assertThat(probe.calls).isEqualTo(2);
        }
    }

    @Test
    void aStalledRoundInWhichEveryNodeAnsweredIsKept() {
        var probe = new ScriptedProbe(List.of(reached(), reached()));
        try (var scheduler = scheduler(probe, STALLED)) {
            var round = scheduler.probeRound(cluster);

            assertThat(round.discarded()).isEmpty();
            assertThat(round.history().latest(cluster.nodes().getFirst().name())).get()
                    .satisfies(o -> assertThat(o.reached()).isTrue());
        }
    }

    @Test
    void whenEveryAttemptIsStalledTheRoundIsInconclusiveAndNotRecorded() {
        var rounds = new java.util.ArrayList<List<NodeObservation>>();
        for (int i = 0; i < ProbeScheduler.ATTEMPTS; i++) {
            rounds.add(List.of(timedOut(), timedOut()));
        }
        var probe = new ScriptedProbe(rounds.toArray(List[]::new));
        var stalls = new Stall[ProbeScheduler.ATTEMPTS];
        java.util.Arrays.fill(stalls, STALLED);
        try (var scheduler = scheduler(probe, stalls)) {
            var round = scheduler.probeRound(cluster);

            assertThat(round.conclusive()).isFalse();
            assertThat(round.discarded()).hasSize(ProbeScheduler.ATTEMPTS);
            assertThat(round.note()).hasValueSatisfying(n -> assertThat(n).contains("may be drctl's own"));
            assertThat(scheduler.snapshot(cluster.name()).of(cluster.nodes().getFirst().name())).isEmpty();
        }
    }

    @Test
    void theDaemonLoopNeverHandsAStalledRoundToItsListeners() throws InterruptedException {
        var probe = new ScriptedProbe(List.of(timedOut(), timedOut()), List.of(reached(), reached()));
        var seen = new LinkedBlockingQueue<ClusterHistory>();
        // Calm rounds once the script runs out: the loop keeps going until closed.
        try (var scheduler = new ProbeScheduler(List.of(cluster), Map.of(), CLOCK, c -> probe,
                new ScriptedMeter(STALLED))) {
            scheduler.onRound(seen::add);
            scheduler.start();
            var first = seen.poll(30, TimeUnit.SECONDS);

            assertThat(first).as("a round reached the listeners").isNotNull();
            for (var node : cluster.nodes()) {
                assertThat(first.of(node.name())).singleElement().satisfies(o -> assertThat(o.reached()).isTrue());
            }
        }
    }

    @Test
    void voidsOnlyTimeoutsAndOnlyWhenTheStallCouldExplainThem() {
        var quarter = new Stall(TIMEOUT, TIMEOUT.dividedBy(4));
        var less = new Stall(TIMEOUT, TIMEOUT.dividedBy(4).minusMillis(1));
        // Held back a whole budget, but never for long in one piece: a busy host, not a frozen drctl.
        var busy = new Stall(TIMEOUT.multipliedBy(2), Duration.ofMillis(30));
        var refused = observation(new ProbeOutcome.Failed(FailureKind.REFUSED, "connection refused"));
        var auth = observation(new ProbeOutcome.Failed(FailureKind.AUTH, "password authentication failed"));

        assertThat(quarter.voids(List.of(reached(), timedOut()), TIMEOUT)).isTrue();
        assertThat(less.voids(List.of(reached(), timedOut()), TIMEOUT)).isFalse();
        assertThat(busy.voids(List.of(reached(), timedOut()), TIMEOUT)).isFalse();
        assertThat(STALLED.voids(List.of(refused, auth), TIMEOUT)).as("an answer is the node's whatever drctl's state")
                .isFalse();
        assertThat(STALLED.voids(List.of(reached()), TIMEOUT)).isFalse();
        assertThat(Stall.none().voids(List.of(timedOut()), TIMEOUT)).isFalse();
    }

    private ProbeScheduler scheduler(ScriptedProbe probe, Stall... stalls) {
        return new ProbeScheduler(List.of(cluster), Map.of(), CLOCK, c -> probe, new ScriptedMeter(stalls));
    }

    private static NodeObservation timedOut() {
        return observation(new ProbeOutcome.Failed(FailureKind.TIMEOUT, "no answer within 800 ms"));
    }

    private static NodeObservation reached() {
        return observation(new ProbeOutcome.Reached(Role.REPLICA, false, Optional.empty(), Optional.empty(), Lag.none(),
                Optional.empty(), "15"));
    }

    private static NodeObservation observation(ProbeOutcome outcome) {
        // The node is filled in by the scripted probe.
        return new NodeObservation(new dev.drctl.topology.NodeName("placeholder"), CLOCK.instant(), Duration.ZERO, outcome);
    }

    /** Answers round after round from a script, then "reached" for ever; per round, node i gets entry i. */
    private static final class ScriptedProbe implements Probe {
        private final Deque<List<NodeObservation>> rounds;
        private List<NodeObservation> current = List.of();
        private int inRound;
        int calls;

        @SafeVarargs
        ScriptedProbe(List<NodeObservation>... rounds) {
            this.rounds = new ArrayDeque<>(List.of(rounds));
        }

        @Override
        public synchronized NodeObservation probe(NodeSpec node) {
            if (inRound == current.size()) {
                current = rounds.isEmpty() ? List.of(reached(), reached()) : rounds.poll();
                inRound = 0;
            }
            calls++;
            var o = current.get(inRound++);
            return new NodeObservation(node.name(), o.at(), o.latency(), o.outcome());
        }

        @Override
        public void close() {
        }
    }

    /** Gives the scripted stalls one round at a time, then none. */
    private static final class ScriptedMeter implements StallMeter {
        private final Deque<Stall> stalls;

        ScriptedMeter(Stall... stalls) {
            this.stalls = new ArrayDeque<>(List.of(stalls));
        }

        @Override
        public synchronized Watch start() {
            var stall = stalls.isEmpty() ? Stall.none() : stalls.poll();
            return new Watch() {
                @Override
                public void scheduled(Duration delay) {
                }

                @Override
                public Stall stop() {
                    return stall;
                }
            };
        }
    }
}
