package dev.drctl.runbooks;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one step in a run, for the terminal and {@code -o json}.
 *
 * @param outcome empty for a step a dry-run only describes
 */
public record StepReport(String step, String description, int attempt, Optional<StepOutcome> outcome, Duration took,
                         Origin origin) {
    public StepReport {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(took, "took");
        Objects.requireNonNull(origin, "origin");
    }

    public enum Origin {
        /** Run by this process. */
        RAN,
        /** Completed by an earlier process of the same run (read from the journal), not repeated. */
        DONE_BEFORE,
        /** A dry-run: described, not run. */
        PLANNED
    }

    /** {@code succeeded}, {@code failed}, {@code skipped}, {@code refused}, {@code planned}. */
    public String status() {
        return outcome.map(RunbookEngine::statusOf).orElse("planned");
    }
}
