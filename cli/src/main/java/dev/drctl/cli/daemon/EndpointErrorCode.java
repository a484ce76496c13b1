package dev.drctl.cli.daemon;

import dev.drctl.topology.ErrorCode;

/** Failures of the daemon's HTTP endpoint and of {@code drctl reload}. */
public enum EndpointErrorCode implements ErrorCode {
    /** The endpoint cannot listen where the config says (address in use, not an address of this host). */
    ENDPOINT_UNAVAILABLE(OPERATION_FAILED),
    /** {@code drctl reload}: no daemon answered at the configured address, or it refused the token. */
    DAEMON_UNREACHABLE(OPERATION_FAILED),
    /** {@code drctl reload}: the daemon kept its old config because the new one is invalid or cannot be applied. */
    RELOAD_REFUSED(BAD_USAGE);

    private final int exitCode;

    EndpointErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }
}
