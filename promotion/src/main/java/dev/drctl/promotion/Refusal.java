package dev.drctl.promotion;

/**
 * Why a failover (or switchover) is refused: each is a safety rule, a fact of the request, or the operator's choice
 * of mode. The runbooks and commands switch over it; the sentence that goes with it is for people.
 */
public enum Refusal {
    /** The primary answers as a writable primary: it is alive; promoting would make two writers (rule 1). */
    PRIMARY_ALIVE,
    /** The primary fails, but not yet failure-threshold probes over failure-window (rule 1). */
    PRIMARY_SUSPECT,
    /** The primary rejects drctl's credentials: it is up, drctl cannot look inside. */
    PRIMARY_UNVERIFIABLE,
    /** drctl cannot reach the primary but replicas still stream from it: drctl is the one cut off (rule 1). */
    DRCTL_PARTITIONED,
    /** drctl reaches no node at all: the fault is most likely drctl's own (credentials or network). */
    DRCTL_BLIND,
    /** The primary fails, but no majority of the configured replicas confirms it lost its stream (rule 1). */
    UNCONFIRMED,
    /** The best candidate is behind by more than max-lag (rule 3). */
    RPO_GUARD,
    /** How much data the candidate lacks cannot be bounded (rule 3): refused unless accepted. */
    DATA_LOSS_UNKNOWN,
    /** The node named by {@code --to} may not be promoted. */
    TARGET_NOT_ELIGIBLE,
    /** The switchover candidate is not streaming and applying from the primary. */
    CANDIDATE_NOT_STREAMING,
    /** The operator's {@code --former-primary} contradicts what drctl observes or remembers. */
    ASSERTION_CONTRADICTED,
    /** The primary is dead but no replica may be promoted. */
    NO_CANDIDATE,
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
