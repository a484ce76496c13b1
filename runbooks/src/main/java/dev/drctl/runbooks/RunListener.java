package dev.drctl.runbooks;

import java.util.List;

/** Told about a run as it happens (the terminal's step-by-step progress). Called on the engine's thread. */
public interface RunListener {

    /** @param doneBefore steps an earlier process of this run completed, which will not be repeated */
    default void runStarted(String runId, boolean resumed, List<String> doneBefore) {
    }

    default void stepStarted(String step, String description, int attempt) {
    }

    void stepFinished(StepReport report);

    static RunListener none() {
        return report -> {
        };
    }
}
