package dev.drctl.runbooks;

import dev.drctl.compliance.RunRecord;
import dev.drctl.topology.ErrorCode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run ended.
 *
 * @param summary one sentence: what happened and, when it did not complete, what a human may do next
 * @param record  the stored run record (empty for a dry-run or a run refused before it was claimed)
 * @param resumed whether this process continued a run an earlier process began
 */
public record RunResult(String runId, End end, String summary, List<StepReport> steps, RunFacts facts,
                        Optional<RunRecord> record, boolean resumed) {
    public RunResult {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(summary, "summary");
        steps = List.copyOf(steps);
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(record, "record");
    }

    public enum End {
        /** Every step succeeded or was skipped. */
        COMPLETED,
        /** A step failed (after its bounded retries), or the journal could not be written. */
        FAILED,
        /** A safety rule refused the run; nothing was changed. */
        REFUSED,
        /** A dry-run: the plan, nothing done. */
        PLANNED
    }

    /** Where the recovery time went (detection, decision, promotion, DNS, total), as far as the facts tell. */
    public RtoSplit rtoSplit() {
        return RtoSplit.of(facts, record);
    }

    /** 0 completed or planned, 1 failed, 3 refused. */
    public int exitCode() {
        return switch (end) {
            case COMPLETED, PLANNED -> ErrorCode.OK;
            case FAILED -> ErrorCode.OPERATION_FAILED;
            case REFUSED -> ErrorCode.REFUSED;
        };
    }
}
