package dev.drctl.compliance;

import dev.drctl.topology.DrctlException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The time span an export covers, from inclusive to exclusive. On the command line a date
 * ({@code 2026-11-01}) means that whole day in {@code compliance.time-zone}: {@code --from} its start,
 * {@code --to} its end; an instant ({@code 2026-11-01T02:00:00Z}, or with an offset) means exactly that.
 */
public record ReportPeriod(Instant from, Instant to) {
    public ReportPeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    public static ReportPeriod parse(String from, String to, ZoneId zone) {
        var start = parse("--from", from, zone, false);
        var end = parse("--to", to, zone, true);
        if (!end.isAfter(start)) {
            throw new DrctlException(ComplianceErrorCode.BAD_DATE,
                    "--to " + to + " is not after --from " + from + "; give a period that ends after it starts");
        }
        return new ReportPeriod(start, end);
    }

    /** A date or instant for {@code option}; a date's end of day when {@code endOfDay}. */
    public static Instant parse(String option, String text, ZoneId zone, boolean endOfDay) {
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
                    + "(2026-11-01, read in " + zone + ") nor an instant (2026-11-01T02:00:00Z or 2026-11-01T07:30:00+05:30)");
        }
    }
}
