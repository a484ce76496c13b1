package dev.drctl.compliance;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How reports show times: UTC first, then the configured zone with its offset, never a bare local time. */
final class ReportTimes {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss zzz (xxx)", Locale.ENGLISH);

    private final ZoneId zone;

    ReportTimes(ZoneId zone) {
        this.zone = zone;
    }

    String utc(Instant at) {
        return UTC.format(at);
    }

    String local(Instant at) {
        return LOCAL.format(at.atZone(zone));
    }

    /** UTC, then the configured zone's time; only UTC when that zone is UTC (one time, not the same one twice). */
    String both(Instant at) {
        return isUtc() ? utc(at) : utc(at) + " · " + local(at);
    }

    /** Whether the configured zone is UTC under any of its names (UTC, Etc/UTC, Z, +00:00 fixed). */
    boolean isUtc() {
        return zone.normalized().equals(ZoneOffset.UTC);
    }

    /** A retention period as people say it: "7 years", "18 months". */
    static String period(java.time.Period p) {
        var parts = new java.util.ArrayList<String>();
        if (p.getYears() != 0) {
            parts.add(p.getYears() + (p.getYears() == 1 ? " year" : " years"));
        }
        if (p.getMonths() != 0) {
            parts.add(p.getMonths() + (p.getMonths() == 1 ? " month" : " months"));
        }
        if (p.getDays() != 0 || parts.isEmpty()) {
            parts.add(p.getDays() + (p.getDays() == 1 ? " day" : " days"));
        }
        return String.join(" ", parts);
    }

    static String duration(Duration d) {
        if (d.isNegative()) {
            return "-" + duration(d.negated());
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        double seconds = d.toSecondsPart() + d.toMillisPart() / 1000.0;
        if (days > 0) {
            return days + "d" + (hours > 0 ? " " + hours + "h" : "");
        }
        if (hours > 0) {
            return hours + "h" + (minutes > 0 ? " " + minutes + "m" : "");
        }
        if (minutes > 0) {
            return minutes + "m" + ((long) seconds > 0 ? " " + (long) seconds + "s" : "");
        }
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }
}
