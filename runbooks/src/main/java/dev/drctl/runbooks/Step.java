package dev.drctl.runbooks;

import dev.drctl.compliance.RunStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One named action of a {@link Runbook}.
 *
 * <p>Contract: the engine journals the intent before {@link #run} and the outcome after (safety rule 7).
 * {@code run} must be idempotent or check-then-act: after a crash, the step that was interrupted runs again
 * ({@link RunContext#recheck()} is true) and must first find out whether its work is already done. It returns a
 * {@link StepOutcome} for everything the world does (refused, unreachable, still read-only); an exception means a
 * bug or a broken store and fails the run. It is interrupted at {@link #timeout()}; it must not swallow the
 * interrupt for long.
 */
public interface Step {

    /** Short, stable, unique within its runbook: the journal and a resumed run find the step by it. */
    String name();

    /** What it will do, with the facts known so far: printed by a dry-run and journaled with the intent. */
    String describe(RunFacts facts);

    StepOutcome run(RunContext context) throws InterruptedException;

    /** How long one attempt may take before it is interrupted and counted as failed. */
    default Duration timeout() {
        return Duration.ofSeconds(60);
    }

    default RetryPolicy retry() {
        return RetryPolicy.none();
    }

    /**
     * Whether the step only looks (probes, analysis, ranking, guards): such steps also run in a dry-run, and a
     * crash before any acting step began makes a resumed run look again rather than trust old observations.
     */
    default boolean readOnly() {
        return false;
    }

    /**
     * Whether a failure of this step (after its retries) lets the run go on. Empty, the default: the run stops there
     * and is recorded FAILED. Present: the later steps still run, and the run ends FAILED (exit 1) but recorded with
     * {@link Tolerated#status()}, its summary ending with {@link Tolerated#advice()}. For steps after a promotion that
     * must not undo it: the writer DNS that could not be moved leaves the run "promoted, DNS pending".
     */
    default Optional<Tolerated> toleratedFailure(RunFacts facts) {
        return Optional.empty();
    }

    /**
     * How a tolerated failure is recorded.
     *
     * @param advice what a human does next, e.g. {@code run drctl dns sync payments}
     */
    record Tolerated(RunStatus status, String advice) {
        public Tolerated {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(advice, "advice");
        }
    }
}
