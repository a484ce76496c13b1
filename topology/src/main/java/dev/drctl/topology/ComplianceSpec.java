package dev.drctl.topology;

import java.time.Duration;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the state store and audit journal live, and the targets reports are measured against.
 *
 * @param store      a JDBC URL: {@code jdbc:sqlite:/path} (default) or a PostgreSQL URL shared by daemons
 * @param retention  the audit journal is kept at least this long
 * @param timeZone   reports and messages show UTC and this zone
 * @param journalKey when present, every journal entry's chain hash is an HMAC-SHA256 with the key in this file, so
 *                   someone who can write the store but not read the key cannot recompute the chain; a
 *                   {@code ${file:…}} reference only (a key in the environment leaks to every child process)
 * @param digestAt   the daily compliance digest (the journal head to anchor outside the store) is due from this time of
 *                   day in {@code timeZone}
 */
public record ComplianceSpec(String store, Targets targets, Period retention, ZoneId timeZone,
                             Optional<SecretRef.File> journalKey, LocalTime digestAt) {
    /** The digest's default time: just after midnight, so it covers the day that ended. */
    public static final LocalTime DEFAULT_DIGEST_AT = LocalTime.of(0, 5);

    public ComplianceSpec {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(journalKey, "journalKey");
        Objects.requireNonNull(digestAt, "digestAt");
    }

    /** Without a journal key, the digest at {@link #DEFAULT_DIGEST_AT}. */
    public ComplianceSpec(String store, Targets targets, Period retention, ZoneId timeZone) {
        this(store, targets, retention, timeZone, Optional.empty(), DEFAULT_DIGEST_AT);
    }

    /** This spec with {@code key} as the journal key. */
    public ComplianceSpec withJournalKey(SecretRef.File key) {
        return new ComplianceSpec(store, targets, retention, timeZone, Optional.of(key), digestAt);
    }

    /** @param drillEvery a successful drill is overdue after this long */
    public record Targets(Duration rto, Duration rpo, Duration drillEvery, Duration notifyWithin) {
        public Targets {
            Objects.requireNonNull(rto, "rto");
            Objects.requireNonNull(rpo, "rpo");
            Objects.requireNonNull(drillEvery, "drillEvery");
            Objects.requireNonNull(notifyWithin, "notifyWithin");
        }

        public static Targets defaults() {
            return new Targets(Duration.ofMinutes(5), Duration.ZERO, Duration.ofDays(90), Duration.ofHours(2));
        }
    }
}
