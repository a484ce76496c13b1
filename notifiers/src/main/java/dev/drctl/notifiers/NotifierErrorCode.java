package dev.drctl.notifiers;

import dev.drctl.topology.ErrorCode;

/** Failures of the notification machinery (delivery failures are outcomes: {@link Delivery.Failed}). */
public enum NotifierErrorCode implements ErrorCode {
    /** An outbox row cannot be read back (written outside drctl, or by a newer drctl). */
    BAD_OUTBOX_ROW(OPERATION_FAILED),
    /** {@code drctl notify test} found no channel to test. */
    NO_CHANNEL(BAD_USAGE);

    private final int exitCode;

    NotifierErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }
}
