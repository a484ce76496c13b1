package dev.drctl.notifiers;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Unambiguous times for people: UTC, then the configured zone with its abbreviation and offset, e.g.
 * {@code 2026-11-22 02:14:05 UTC · 07:44:05 IST (+05:30)}; the local date is repeated when it differs.
 */
public record MessageTimes(ZoneId zone) {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("HH:mm:ss zzz", Locale.ENGLISH);
    private static final DateTimeFormatter LOCAL_DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss zzz", Locale.ENGLISH);
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx", Locale.ROOT);

    public String format(Instant at) {
        var utc = UTC.format(at);
        if (zone.normalized().equals(ZoneOffset.UTC)) {
            return utc;
        }
        var local = at.atZone(zone);
        var sameDay = local.toLocalDate().equals(at.atZone(ZoneOffset.UTC).toLocalDate());
        return utc + " · " + (sameDay ? LOCAL_TIME : LOCAL_DATE_TIME).format(local) + " (" + OFFSET.format(local) + ")";
    }

    /** {@code 1 m 07.250 s}, {@code 850 ms}, {@code 2 h 05 m}: short and exact enough for RTO/RPO figures. */
    public static String duration(Duration d) {
        if (d.isNegative()) {
            return "-" + duration(d.negated());
        }
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000 && ms % 1_000 == 0) {
            return ms / 1_000 + " s";
        }
        if (ms < 3_600_000 && ms % 60_000 == 0) {
            return ms / 60_000 + " m";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.3f s", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return String.format(Locale.ROOT, "%d m %06.3f s", ms / 60_000, (ms % 60_000) / 1000.0);
        }
        if (ms < 86_400_000) {
            return String.format(Locale.ROOT, "%d h %02d m", ms / 3_600_000, (ms % 3_600_000) / 60_000);
        }
        return String.format(Locale.ROOT, "%d d %02d h", ms / 86_400_000, (ms % 86_400_000) / 3_600_000);
    }
}
