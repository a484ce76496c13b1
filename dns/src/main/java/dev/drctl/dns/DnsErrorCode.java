package dev.drctl.dns;

import dev.drctl.topology.ErrorCode;

/** Failures of the DNS machinery (a failed change is a {@link DnsChangeOutcome.Failed} value, not one of these). */
public enum DnsErrorCode implements ErrorCode {
    /** The {@code dns:} section cannot be used as written (missing hosted-zone-id, file, command, bad endpoint). */
    BAD_DNS_CONFIG(BAD_USAGE),
    /** The current record could not be read (provider unreachable, command failed, unreadable file). */
    READ_FAILED(OPERATION_FAILED),
    /** The target node cannot be put in the record as configured (a host name for an A record that does not resolve). */
    TARGET_UNUSABLE(OPERATION_FAILED);

    private final int exitCode;

    DnsErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }
}
