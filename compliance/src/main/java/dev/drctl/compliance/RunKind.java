package dev.drctl.compliance;

/** What a run did. */
public enum RunKind {
    /** Unplanned: the primary was dead. */
    FAILOVER,
    /** Planned: the primary was demoted first. */
    SWITCHOVER,
    /** A DR drill on a disposable topology. */
    DRILL,
    /** A former primary turned back into a replica of the current one ({@code drctl rejoin}). */
    REJOIN,
    /** A node fenced by hand ({@code drctl fence}). */
    FENCE
}
