package dev.drctl.compliance;

/**
 * Where a run counts in the compliance report, so each run is counted once and only for what it did: a refused
 * failover is not a failover, a rejoin does not change the primary, an unfinished run has no outcome yet.
 */
public enum RunCategory {
    /** An unplanned failover that promoted a replica. */
    FAILOVER,
    /** A planned switchover that promoted a replica. */
    SWITCHOVER,
    /** A DR drill that ran to its end on a disposable topology. */
    DRILL,
    /** A former primary turned back into a replica; the primary did not change. */
    REJOIN,
    /** A node fenced by hand ({@code drctl fence}); the primary did not change. */
    FENCE,
    /** Refused by a safety rule or stopped before anything was promoted. */
    REFUSED_OR_ABORTED,
    /** Failed before anything was promoted, or not finished (yet, or ever: the process died). */
    FAILED_OR_UNFINISHED;

    /**
     * A run that promoted a node counts under its kind whatever its final status (the primary changed, and its row
     * says how the run ended); one that promoted nothing counts by how it ended.
     */
    public static RunCategory of(RunRecord run) {
        if (run.kind() == RunKind.REJOIN || run.kind() == RunKind.FENCE) {
            return switch (run.status()) {
                case SUCCEEDED, PROMOTED_DNS_PENDING, PROMOTED_REPLICAS_PENDING ->
                        run.kind() == RunKind.FENCE ? FENCE : REJOIN;
                case ABORTED -> REFUSED_OR_ABORTED;
                case RUNNING, FAILED -> FAILED_OR_UNFINISHED;
            };
        }
        boolean promoted = run.promotedAt().isPresent() || switch (run.status()) {
            case SUCCEEDED, PROMOTED_DNS_PENDING, PROMOTED_REPLICAS_PENDING -> run.newPrimary().isPresent();
            case RUNNING, FAILED, ABORTED -> false;
        };
        if (!promoted) {
            return switch (run.status()) {
                case ABORTED -> REFUSED_OR_ABORTED;
                // a drill that ran to its end without a promotion in the record still counts as drilled
                case SUCCEEDED, PROMOTED_DNS_PENDING, PROMOTED_REPLICAS_PENDING -> run.kind() == RunKind.DRILL ? DRILL : FAILED_OR_UNFINISHED;
                case RUNNING, FAILED -> FAILED_OR_UNFINISHED;
            };
        }
        return switch (run.kind()) {
            case FAILOVER -> FAILOVER;
            case SWITCHOVER -> SWITCHOVER;
            case DRILL -> DRILL;
            case REJOIN -> REJOIN;
            case FENCE -> FENCE;
        };
    }

    /** The summary table's column heading. */
    public String heading() {
        return switch (this) {
            case FAILOVER -> "Failovers";
            case SWITCHOVER -> "Switchovers";
            case DRILL -> "Drills";
            case REJOIN -> "Rejoins";
            case FENCE -> "Fences";
            case REFUSED_OR_ABORTED -> "Refused or aborted";
            case FAILED_OR_UNFINISHED -> "Failed or unfinished";
        };
    }

    /** Whether RTO and RPO targets apply: only to runs that moved the writer to a new primary. */
    public boolean changedPrimary() {
        return switch (this) {
            case FAILOVER, SWITCHOVER, DRILL -> true;
            case REJOIN, FENCE, REFUSED_OR_ABORTED, FAILED_OR_UNFINISHED -> false;
        };
    }
}
