package dev.drctl.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.DataSize;
import dev.drctl.topology.DnsSpec.RecordType;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReaderSelectionTest {
    static final NodeSpec R1 = new NodeSpec(new NodeName("r1"), "192.0.2.1", 5432, "a", 0, false);
    static final NodeSpec R2 = new NodeSpec(new NodeName("r2"), "192.0.2.2", 5432, "a", 0, false);
    static final FailoverPolicy POLICY = FailoverPolicy.defaults();

    static Optional<NodeObservation> replica(NodeSpec n, Lag lag) {
        return Optional.of(new NodeObservation(n.name(), Instant.EPOCH, Duration.ofMillis(3), new ProbeOutcome.Reached(
                Role.REPLICA, false, Optional.empty(), Optional.empty(), lag, Optional.empty(), "16.4")));
    }

    @Test
    void judgesReplicasByReachabilityRoleAndKnownLag() {
        assertThat(ReaderCandidate.judge(R1, replica(R1, new Lag(Optional.of(0L), Optional.of(Duration.ZERO))), POLICY)
                .publishable()).isTrue();
        assertThat(ReaderCandidate.judge(R1, replica(R1, Lag.unknown()), POLICY).reason()).isEqualTo("lag unknown");
        assertThat(ReaderCandidate.judge(R1, replica(R1, new Lag(Optional.of(new DataSize(64L << 20).bytes()),
                Optional.empty())), POLICY).reason()).contains("over max-lag");
        assertThat(ReaderCandidate.judge(R1, replica(R1, new Lag(Optional.empty(), Optional.of(Duration.ofMinutes(1)))),
                POLICY).publishable()).isFalse();
        assertThat(ReaderCandidate.judge(R1, Optional.of(new NodeObservation(R1.name(), Instant.EPOCH, Duration.ZERO,
                new ProbeOutcome.Failed(FailureKind.REFUSED, "connection refused"))), POLICY).reason())
                .startsWith("unreachable");
        assertThat(ReaderCandidate.judge(R1, Optional.empty(), POLICY).publishable()).isFalse();
    }

    @Test
    void neverEmptiesTheRecord() {
        var current = Optional.of(new WriterRecord("ro.x", RecordType.A, 30, List.of("192.0.2.1", "192.0.2.2")));
        var allBad = ReaderSelection.choose(List.of(new ReaderCandidate(R1, false, "unreachable"),
                new ReaderCandidate(R2, false, "lag unknown")), Map.of(), current);
        assertThat(allBad.publish()).isEmpty();
        assertThat(allBad.note()).contains("left with its 2 answer(s), never emptied");

        var oneBad = ReaderSelection.choose(List.of(new ReaderCandidate(R1, true, "ok"),
                        new ReaderCandidate(R2, false, "lag unknown")),
                Map.of(R1, ReaderSelection.Valued.of(List.of("192.0.2.1"))), current);
        assertThat(oneBad.publish()).contains(List.of("192.0.2.1"));
        assertThat(oneBad.excluded()).containsExactly("r2: lag unknown");

        var unresolvable = ReaderSelection.choose(List.of(new ReaderCandidate(R1, true, "ok")),
                Map.of(R1, ReaderSelection.Valued.unusable("does not resolve")), Optional.empty());
        assertThat(unresolvable.publish()).isEmpty();
        assertThat(unresolvable.note()).contains("has no answers and none can be given");
    }
}
