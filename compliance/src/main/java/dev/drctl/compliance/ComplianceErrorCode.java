package dev.drctl.compliance;

import dev.drctl.topology.ErrorCode;

/** Failures of the state store and the audit journal. */
public enum ComplianceErrorCode implements ErrorCode {
    /** {@code compliance.store} is not a URL drctl can use (neither {@code jdbc:sqlite:} nor {@code jdbc:postgresql:}). */
    STORE_URL_UNSUPPORTED(BAD_USAGE),
    /**
     * The store was migrated by a newer drctl: this binary does not know its schema and must not write to
     * it. A usage problem (run the newer binary), so exit 2.
     */
    STORE_SCHEMA_TOO_NEW(BAD_USAGE),
    /** The store could not be opened, migrated, read or written. */
    STORE_FAILED(OPERATION_FAILED),
    /** A journal payload contained a resolved secret value; the entry was not written. */
    SECRET_IN_JOURNAL(OPERATION_FAILED),
    /** A date or instant on the command line could not be read. */
    BAD_DATE(BAD_USAGE),
    /** {@code compliance.journal-key} cannot be read or is too short. */
    JOURNAL_KEY_INVALID(BAD_USAGE),
    /**
     * The journal is keyed and this process has no key, or another key: appending would break the keyed chain, so
     * nothing was written. Configure the key the journal was keyed with.
     */
    JOURNAL_KEY_REQUIRED(BAD_USAGE),
    /** An export could not be written to its destination. */
    EXPORT_FAILED(OPERATION_FAILED);

    private final int exitCode;

    ComplianceErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }
}
