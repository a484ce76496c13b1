package dev.drctl.promotion;

/** Why a node is not a candidate for promotion (Patroni's failover_limitation(), typed). */
public enum Exclusion {
    /** It is the primary being replaced. */
    FAILED_PRIMARY,
    /** Marked {@code no-failover} in the config. */
    NO_FAILOVER,
    /** Its region is outside {@code allowed-regions}: data residency, whatever its data. */
    REGION_NOT_ALLOWED,
    /** Its latest probe did not reach it (or it was never probed). */
    UNREACHABLE,
    /** It answers, but not as a replica. */
    NOT_A_REPLICA,
    /** It replicates from a node that is not on the failed primary's lineage. */
    OTHER_LINEAGE,
    /** It cannot say how far its data goes: never treated as caught up. */
    POSITION_UNKNOWN
}
