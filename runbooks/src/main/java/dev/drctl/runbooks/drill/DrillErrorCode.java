package dev.drctl.runbooks.drill;

import dev.drctl.topology.ErrorCode;

/** Why a drill could not run (not: why it failed its targets, which is a verdict). */
public enum DrillErrorCode implements ErrorCode {
    /** The environment could not be provisioned, driven or torn down. */
    ENVIRONMENT(OPERATION_FAILED),
    /** No such drill, or the drill cannot run in this version (e.g. an environment not built). */
    UNKNOWN_DRILL(BAD_USAGE),
    /** The drill asks for something this version cannot do. */
    NOT_BUILT(OPERATION_FAILED);

    private final int exitCode;

    DrillErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }
}
