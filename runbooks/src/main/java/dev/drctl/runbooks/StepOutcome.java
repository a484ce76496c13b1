package dev.drctl.runbooks;

import java.util.Map;
import java.util.Objects;

/**
 * How one attempt of a {@link Step} ended. A value, never an exception: the engine journals it, decides whether to
 * retry, and the command maps the run's end to an exit code.
 */
public sealed interface StepOutcome {

    /** One sentence for the terminal and the journal. */
    String detail();

    /**
     * The step did what it announced, or found it already done (check-then-act).
     *
     * @param facts what later steps (and a resumed run) need to know, as text: journaled with the outcome
     */
    record Succeeded(String detail, Map<String, String> facts) implements StepOutcome {
        public Succeeded {
            Objects.requireNonNull(detail, "detail");
            facts = Map.copyOf(facts);
        }

        public static Succeeded of(String detail) {
            return new Succeeded(detail, Map.of());
        }
    }

    /**
     * The step could not do what it announced.
     *
     * @param retrySafe whether running it again is safe and may help (a refused connection), as opposed to a
     *                  failure that must stop the run (a promotion reported done but the node still read-only)
     */
    record Failed(String detail, boolean retrySafe) implements StepOutcome {
        public Failed {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The step had nothing to do (the old primary is unreachable: nothing to fence). */
    record Skipped(String detail) implements StepOutcome {
        public Skipped {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * A safety rule forbids going on (the primary is alive, the candidate is over max-lag). Only read-only steps
     * refuse: a refused run changed nothing. The command exits 3 with {@code detail}, which says what a human may do.
     */
    record Refused(String detail) implements StepOutcome {
        public Refused {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
