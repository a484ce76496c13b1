package dev.drctl.topology;

/** Failures of config loading and secret resolution. */
public enum TopologyErrorCode implements ErrorCode {
    /** The config file is missing, unreadable, or invalid. */
    BAD_CONFIG(BAD_USAGE),
    /** A {@code ${env:…}} or {@code ${file:…}} reference could not be read at the moment it was needed. */
    SECRET_UNRESOLVABLE(BAD_USAGE),
    /** A name on the command line names no cluster or node in the config. */
    UNKNOWN_NAME(BAD_USAGE);

    private final int exitCode;

    TopologyErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }
}
