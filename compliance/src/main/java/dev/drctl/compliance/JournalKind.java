package dev.drctl.compliance;

/** What a journal entry records. Stored by name: renaming a constant breaks old journals. */
public enum JournalKind {
    /** The daemon or a command loaded and validated a config (payload: source file, clusters; never secrets). */
    CONFIG_LOADED,
    /** A cluster's verdict changed (payload: from, to, summary, evidence). */
    VERDICT_CHANGED,
    /** The decider's decision for a cluster (payload: decision, reason, ranking). */
    DECISION,
    /** A runbook step is about to run (write-ahead, safety rule 7). */
    STEP_INTENT,
    /** A runbook step finished (payload: outcome, detail). */
    STEP_OUTCOME,
    /** A failover, switchover or drill began (payload: {@link RunRecord}). */
    RUN_STARTED,
    /** A failover, switchover or drill ended (payload: {@link RunRecord} with its instants, RTO and RPO). */
    RUN_FINISHED,
    /**
     * Notifications were written to the outbox in the same commit as this entry (payload: kind, cluster, run,
     * and one line per outbox row: id, audience, channel); their messages carry this entry's hash.
     */
    NOTIFICATION_QUEUED,
    /** A notification reached its channel (payload: {@link NotificationRecord}). */
    NOTIFICATION_SENT,
    /** A notification attempt failed or was given up (payload: {@link NotificationRecord}). */
    NOTIFICATION_FAILED,
    /** A drill's measured result (payload: {@link RunRecord} of kind DRILL). */
    DRILL_RESULT,
    /** A person acted against the policy's default (e.g. failover --accept-data-loss). */
    MANUAL_OVERRIDE,
    /** Entries before this one were purged after retention; the payload names the purged head. */
    PURGE_CHECKPOINT,
    /**
     * From this entry on, each entry's hash is an HMAC with {@code compliance.journal-key} (payload: keyedFrom, keyId,
     * summary). Written once, before the first keyed entry, in the same commit.
     */
    JOURNAL_KEYED,
    /** The daily compliance digest was queued (payload: day, head before it, entries and runs since the last one). */
    COMPLIANCE_DIGEST,
    /** A person put a cluster in maintenance mode: nothing is automated on it (payload: reason). */
    MAINTENANCE_ON,
    /** A person ended a cluster's maintenance mode (payload: the reason it had, since when, and why it ends). */
    MAINTENANCE_OFF,
    /** A person cleared a cluster's failover cooldown early ({@code drctl ack}; payload: the cooldown, reason). */
    COOLDOWN_ACKED
}
