package dev.drctl.promotion;

import java.time.Instant;
import java.util.Objects;

/**
 * When the outage began, as far as drctl can know, and how it knows (issue: RTO is measured from the outage, not
 * from the moment someone ran the command).
 *
 * @param at    the earliest known moment the primary was gone
 * @param basis what that moment comes from
 */
public record OutageStart(Instant at, Basis basis) {
    public OutageStart {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(basis, "basis");
    }

    public enum Basis {
        /** The first failed probe of the primary the store recorded after it was last seen writable. */
        STORE_FIRST_FAILURE,
        /** The replicas' last contact with the primary: when they lost it. */
        REPLICA_LAST_CONTACT,
        /** The first failed probe in the observations at hand (the command's own burst): a late bound. */
        FIRST_FAILED_PROBE
    }
}
