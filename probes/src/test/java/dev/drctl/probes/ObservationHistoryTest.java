package dev.drctl.probes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.DataSize;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverMode;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObservationHistoryTest {

    private static final NodeName A = new NodeName("a");
    private static final NodeName B = new NodeName("b");

    @Test
    void keepsTheNewestUpToCapacityOldestFirst() {
        var history = new ObservationHistory(3);
        for (int i = 0; i < 5; i++) {
            history.record(observation(A, i));
        }
        history.record(observation(B, 100));
        assertThat(history.of(A)).extracting(o -> o.at().getEpochSecond()).containsExactly(2L, 3L, 4L);
        assertThat(history.of(B)).hasSize(1);
    }

    @Test
    void snapshotListsEveryConfiguredNodeAndIsImmutable() {
        var history = new ObservationHistory(10);
        history.record(observation(A, 1));
        var snapshot = history.snapshot(cluster(FailoverPolicy.defaults()));
        history.record(observation(A, 2));
        assertThat(snapshot.of(A)).hasSize(1);
        assertThat(snapshot.byNode()).containsKeys(A, B);
        assertThat(snapshot.of(B)).isEmpty();
        assertThat(snapshot.latest(A)).map(o -> o.at().getEpochSecond()).contains(1L);
    }

    @ParameterizedTest(name = "interval {0} ms, window {1} ms, threshold {2} -> {3}")
    @CsvSource({
            "1000, 3000, 3, 120",     // the defaults: the floor
            "100, 10000, 3, 400",     // a short interval: four windows' worth
            "1000, 1000, 50, 200",    // a high threshold: four times it
            "1, 3600000, 3, 100000",  // absurd: capped
    })
    void capacityCoversFourFailureWindows(long intervalMs, long windowMs, int threshold, int expected) {
        var p = new FailoverPolicy(FailoverMode.AUTO, Duration.ofMillis(intervalMs), Duration.ofMillis(800), threshold,
                Duration.ofMillis(windowMs), new DataSize(0), Duration.ZERO, List.of(), List.of(), Duration.ZERO);
        assertThat(ObservationHistory.capacityFor(p)).isEqualTo(expected);
    }

    private static NodeObservation observation(NodeName node, long second) {
        return new NodeObservation(node, Instant.ofEpochSecond(second), Duration.ofMillis(1),
                new ProbeOutcome.Failed(FailureKind.REFUSED, "x"));
    }

    private static ClusterSpec cluster(FailoverPolicy policy) {
        return new ClusterSpec(new ClusterName("c"), Engine.POSTGRESQL, new Credentials("drctl", Optional.empty()),
                List.of(new NodeSpec(A, "127.0.0.1", 1, "r", 0, false), new NodeSpec(B, "127.0.0.1", 2, "r", 0, false)),
                policy, Optional.empty());
    }
}
