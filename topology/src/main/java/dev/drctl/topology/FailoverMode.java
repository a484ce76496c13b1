package dev.drctl.topology;

/** What the daemon may do on its own when a primary is confirmed dead. */
public enum FailoverMode {
    /** Promote automatically when every safety rule allows it. */
    AUTO,
    /** Page humans; only {@code drctl failover} promotes. */
    MANUAL,
    /** Plan and journal the failover that would run, change nothing. */
    DRY_RUN
}
