package dev.drctl.compliance;

/** Where a run stands. */
public enum RunStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Stopped by a person or refused part-way (e.g. verification failed before DNS). */
    ABORTED
}
