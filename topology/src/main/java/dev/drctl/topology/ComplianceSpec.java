package dev.drctl.topology;

import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Where the state store and audit journal live, and the targets reports are measured against.
 *
 * @param store     a JDBC URL: {@code jdbc:sqlite:/path} (default) or a PostgreSQL URL shared by daemons
 * @param retention the audit journal is kept at least this long
 * @param timeZone  reports and messages show UTC and this zone
 */
public record ComplianceSpec(String store, Targets targets, Period retention, ZoneId timeZone) {
    public ComplianceSpec {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(timeZone, "timeZone");
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
