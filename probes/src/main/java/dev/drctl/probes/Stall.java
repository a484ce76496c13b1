package dev.drctl.probes;

import dev.drctl.topology.FailureKind;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.ProbeOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How long drctl itself was held back during one probe round: a busy host that did not schedule its
 * threads, a garbage-collection pause, a cold JVM still loading classes. Measured, never guessed: by a
 * ticker that expects to wake every few milliseconds and by the delay between submitting each node's
 * probe and its virtual thread starting.
 *
 * @param lost    the time drctl's threads wanted to run and could not, over the whole round
 * @param longest the longest single hold-up inside it
 */
public record Stall(Duration lost, Duration longest) {
    public Stall {
        Objects.requireNonNull(lost, "lost");
        Objects.requireNonNull(longest, "longest");
    }

    /** A round in which drctl ran as expected. */
    public static Stall none() {
        return new Stall(Duration.ZERO, Duration.ZERO);
    }

    /**
     * Whether this stall voids {@code round}: some node timed out, and drctl was frozen for at least a
     * quarter of {@code budget} in one piece — a GC or safepoint pause, a stopped or starved process, a
     * cold JVM — enough that the timeout may be drctl's and not the node's (safety rule 1: drctl's own
     * stalls are never counted as node failures). The longest hold-up decides, not the sum: on a busy
     * host every wake-up is a little late, which adds up over a round without ever keeping a probe from
     * the few milliseconds of CPU it needs; counting that would void every round with a hung node in it,
     * and detection would stop exactly when the host is busiest. A round with no timeout is kept however
     * stalled drctl was: every answer in it is real, and a refused connection or a rejected login is the
     * node's answer whatever drctl's state.
     */
    public boolean voids(List<NodeObservation> round, Duration budget) {
        boolean timedOut = round.stream().anyMatch(o -> o.outcome() instanceof ProbeOutcome.Failed f
                && f.kind() == FailureKind.TIMEOUT);
        return timedOut && longest.toNanos() >= budget.toNanos() / 4;
    }

    /** {@code 1.4 s}, the longest hold-up: what an operator reads. */
    public String display() {
        return String.format(Locale.ROOT, "%.1f s", longest.toMillis() / 1000.0);
    }
}
