package dev.drctl.promotion;

/** Why an automatic failover is refused; each is a safety rule or the operator's choice of mode. */
public enum Refusal {
    /** The primary is dead but no replica may be promoted. */
    NO_CANDIDATE,
    /** The best candidate is behind by more than max-lag, or by an unknown amount (rule 3). */
    RPO_GUARD,
    /** A failover of this cluster happened inside the cooldown (rule 6). */
    COOLDOWN,
    /** Two writable primaries: drctl will not choose a writer. */
    SPLIT_BRAIN,
    /** No confirmed primary to fail over from. */
    NO_PRIMARY,
    /** The policy's mode is manual: humans promote. */
    MODE_MANUAL,
    /** The policy's mode is dry-run: the failover is planned and journaled, nothing changes. */
    MODE_DRY_RUN
}
