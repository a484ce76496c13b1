package dev.drctl.probes;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/** When the scheduler looks again at once: a node's first failure since it answered, once per run of failures. */
class ConfirmationRoundsTest {
    private static final Instant AT = Instant.parse("2026-11-28T08:00:00Z");

    private static NodeObservation up(String node) {
        return new NodeObservation(new NodeName(node), AT, Duration.ofMillis(2), new ProbeOutcome.Reached(Role.PRIMARY,
                true, Optional.empty(), Optional.empty(), Lag.none(), Optional.empty(), "15"));
    }

    private static NodeObservation down(String node) {
        return new NodeObservation(new NodeName(node), AT, Duration.ofMillis(2),
                new ProbeOutcome.Failed(FailureKind.REFUSED, "connection refused"));
    }

    @Test
    void aNewFailureIsLookedAtAgainOnceAndAStayingOneAtTheRegularRate() {
        var rounds = new ProbeScheduler.ConfirmationRounds();
        assertThat(rounds.newFailure(List.of(up("pg1"), up("pg2")))).isFalse();
        assertThat(rounds.newFailure(List.of(down("pg1"), up("pg2")))).as("first failure of pg1").isTrue();
        assertThat(rounds.newFailure(List.of(down("pg1"), up("pg2")))).as("pg1 still down: no rush").isFalse();
        assertThat(rounds.newFailure(List.of(down("pg1"), down("pg2")))).as("first failure of pg2").isTrue();
        assertThat(rounds.newFailure(List.of(up("pg1"), down("pg2")))).isFalse();
        assertThat(rounds.newFailure(List.of(down("pg1"), down("pg2")))).as("pg1 answered in between: new").isTrue();
    }
}
