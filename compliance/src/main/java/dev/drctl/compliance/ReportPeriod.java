package dev.drctl.compliance;

import dev.drctl.topology.DrctlException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The time span an export covers, from inclusive to exclusive. On the command line a date
 * ({@code 2026-11-01}) means that whole day in {@code compliance.time-zone}: {@code --from} its start,
 * {@code --to} its end ({@code today} and {@code yesterday} too); an instant ({@code 2026-11-01T02:00:00Z}, or with an offset) means exactly that.
 */
public record ReportPeriod(Instant from, Instant to) {
    public ReportPeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    /** How far back {@code audit export} looks when no {@code --from} is given. */
    public static final int DEFAULT_DAYS = 90;

    public static ReportPeriod parse(String from, String to, ZoneId zone) {
        return parse(from, to, zone, Optional.empty());
    }

    /**
     * The period the options name, {@code today} and {@code yesterday} read against {@code today} (a date in
     * {@code zone}); an absent {@code from} is {@value #DEFAULT_DAYS} days before today's start, an absent {@code to}
     * the end of today.
     */
    public static ReportPeriod parse(Optional<String> from, Optional<String> to, ZoneId zone, LocalDate today) {
        var start = from.map(f -> parse("--from", f, zone, false, Optional.of(today)))
                .orElseGet(() -> today.minusDays(DEFAULT_DAYS).atStartOfDay(zone).toInstant());
        var end = to.map(t -> parse("--to", t, zone, true, Optional.of(today)))
                .orElseGet(() -> today.plusDays(1).atStartOfDay(zone).toInstant());
        return checked(start, end, from.orElse("(" + DEFAULT_DAYS + " days ago)"), to.orElse("(end of today)"));
    }

    private static ReportPeriod parse(String from, String to, ZoneId zone, Optional<LocalDate> today) {
        return checked(parse("--from", from, zone, false, today), parse("--to", to, zone, true, today), from, to);
    }

    private static ReportPeriod checked(Instant start, Instant end, String from, String to) {
        if (!end.isAfter(start)) {
            throw new DrctlException(ComplianceErrorCode.BAD_DATE,
                    "--to " + to + " is not after --from " + from + "; give a period that ends after it starts");
        }
        return new ReportPeriod(start, end);
    }

    /** A date or instant for {@code option}; a date's end of day when {@code endOfDay}. */
    public static Instant parse(String option, String text, ZoneId zone, boolean endOfDay) {
        return parse(option, text, zone, endOfDay, Optional.empty());
    }

    /** As {@link #parse(String, String, ZoneId, boolean)}, with {@code today}/{@code yesterday} read against a date. */
    public static Instant parse(String option, String text, ZoneId zone, boolean endOfDay, Optional<LocalDate> today) {
        var word = text.strip().toLowerCase(Locale.ROOT);
        if (today.isPresent() && (word.equals("today") || word.equals("yesterday"))) {
            var day = word.equals("today") ? today.get() : today.get().minusDays(1);
            return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
        }
        try {
            if (text.length() == 10) {
                var day = LocalDate.parse(text);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            if (text.endsWith("Z")) {
                return Instant.parse(text);
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new DrctlException(ComplianceErrorCode.BAD_DATE, option + " '" + text + "' is neither a date "
                    + "(2026-11-01, read in " + zone + ", or today, yesterday) nor an instant (2026-11-01T02:00:00Z or "
                    + "2026-11-01T07:30:00+05:30)");
        }
    }
}
