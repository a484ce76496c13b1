package dev.drctl.compliance;

/** Where a run stands. */
public enum RunStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Stopped by a person or refused part-way (e.g. verification failed before DNS). */
    ABORTED,
    /**
     * The new primary is promoted and verified (and stays so: a promotion is never rolled back for DNS), but the
     * writer (or reader) DNS record could not be confirmed moved; {@code drctl dns sync CLUSTER} finishes it.
     */
    PROMOTED_DNS_PENDING,
    /**
     * The new primary is promoted and verified and the writer name moved, but one or more replicas could not be
     * re-pointed to it; the run's summary names each one and the command that finishes it. The cluster has a working
     * primary: this is not a failed failover.
     */
    PROMOTED_REPLICAS_PENDING
}
