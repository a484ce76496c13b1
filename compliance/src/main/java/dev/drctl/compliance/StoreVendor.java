package dev.drctl.compliance;

import dev.drctl.topology.DrctlException;

/** The two databases the state store runs on; the few statements that differ are chosen here. */
enum StoreVendor {
    SQLITE,
    POSTGRESQL;

    static StoreVendor of(String url) {
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new DrctlException(ComplianceErrorCode.STORE_URL_UNSUPPORTED,
                "compliance.store: '" + StoreUrls.redact(url) + "' is not a store drctl supports; use "
                        + "jdbc:sqlite:/path/to/drctl.db (embedded) or jdbc:postgresql://host:port/db (shared)");
    }

    /** Takes the chain head's row lock; on SQLite the BEGIN IMMEDIATE transaction already holds the write lock. */
    String lockHeadSql() {
        return switch (this) {
            case SQLITE -> "SELECT seq, hash FROM journal_head WHERE id = 1";
            case POSTGRESQL -> "SELECT seq, hash FROM journal_head WHERE id = 1 FOR UPDATE";
        };
    }
}
