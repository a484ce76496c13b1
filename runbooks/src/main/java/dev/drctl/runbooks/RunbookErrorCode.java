package dev.drctl.runbooks;

import dev.drctl.topology.ErrorCode;

/** Failures of the runbook machinery (not outcomes of steps, which are values). */
public enum RunbookErrorCode implements ErrorCode {
    /** The one-actor lock could not be taken for a reason other than another holder (an unwritable directory). */
    LOCK_FAILED(OPERATION_FAILED),
    /**
     * The store did not answer a run's write (an intent, an outcome, the run's start or end) within the engine's
     * journal budget: the run stops, and stays unfinished for a resume once the store answers.
     */
    STORE_STALLED(OPERATION_FAILED),
    /** A hook command could not be started. */
    HOOK_FAILED(OPERATION_FAILED),
    /** A cluster or node named on the command line is not in the config. */
    UNKNOWN_NAME(BAD_USAGE),
    /** A setting read from the environment (e.g. {@code DRCTL_DNS_TIMEOUT}) is unusable. */
    BAD_SETTING(BAD_USAGE),
    /** A command-line value is unusable though picocli accepted it (e.g. a blank {@code --reason}). */
    BAD_ARGUMENT(BAD_USAGE);

    private final int exitCode;

    RunbookErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }
}
