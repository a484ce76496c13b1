package dev.drctl.probes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.ReplicationStream;

/** Test shorthand for what a probe reached. */
final class Observed {
    private Observed() {
    }

    static ProbeOutcome.Reached reached(NodeObservation o) {
        assertThat(o.outcome()).as(o.node() + " answered").isInstanceOf(ProbeOutcome.Reached.class);
        return (ProbeOutcome.Reached) o.outcome();
    }

    static boolean isReached(NodeObservation o) {
        return o.outcome() instanceof ProbeOutcome.Reached;
    }

    static ReplicationStream stream(NodeObservation o) {
        return reached(o).stream().orElseThrow(() -> new AssertionError(o.node() + " reports no stream: " + o));
    }
}
