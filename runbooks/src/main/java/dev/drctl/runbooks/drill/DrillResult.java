package dev.drctl.runbooks.drill;

import dev.drctl.compliance.RunRecord;
import dev.drctl.topology.DrillSpec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A drill's outcome: the run record journaled (kind DRILL), the verdict, what was observed, and the timeline.
 *
 * @param environment the environment as described by itself
 */
public record DrillResult(DrillSpec drill, RunRecord record, String environment, DrillVerdict verdict,
                          DrillObservation observation, List<Event> timeline, long attempts, long failedAttempts,
                          List<String> notificationsSeen) {
    public DrillResult {
        Objects.requireNonNull(drill, "drill");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(observation, "observation");
        timeline = List.copyOf(timeline);
        notificationsSeen = List.copyOf(notificationsSeen);
    }

    /** One moment of the drill, for the timeline picture. */
    public record Event(String what, Instant at) {
        public Event {
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(at, "at");
        }
    }

    /** 0 when the drill passed, 1 when it failed. */
    public int exitCode() {
        return verdict.passed() ? 0 : 1;
    }
}
