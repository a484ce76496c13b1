package dev.drctl.topology;

import java.time.Duration;
import java.time.Period;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The unit-suffixed values of the config file, also usable for command-line options.
 * <ul>
 *   <li>durations: one or more {@code <digits><unit>} with unit {@code ms s m h d}, e.g. {@code 800ms},
 *       {@code 10m}, {@code 1h30m}; a bare number is not a duration (is {@code 5} seconds or minutes?)</li>
 *   <li>sizes: {@code <digits><unit>} with unit {@code B kB KB KiB MB MiB GB GiB TB TiB}, powers of
 *       1024, or a bare {@code 0}</li>
 *   <li>periods (retention): one or more {@code <digits><unit>} with unit {@code y} years,
 *       {@code m} months, {@code w} weeks, {@code d} days, e.g. {@code 7y}, {@code 18m}, {@code 90d}</li>
 * </ul>
 */
public final class ConfigUnits {
    private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)(B|kB|KB|KiB|MB|MiB|GB|GiB|TB|TiB)");
    private static final Pattern PERIOD = Pattern.compile("(?:\\d+[ymwd])+");
    private static final Pattern PERIOD_PART = Pattern.compile("(\\d+)([ymwd])");

    private ConfigUnits() {
    }

    /** {@code 800ms}, {@code 3s}, {@code 10m}, {@code 2h}, {@code 90d}, {@code 1h30m}; empty if malformed or too large. */
    public static Optional<Duration> duration(String text) {
        if (!DURATION.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            var total = Duration.ZERO;
            var m = DURATION_PART.matcher(text);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> throw new IllegalStateException(m.group(2));
                });
            }
            return Optional.of(total);
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code 16MB}, {@code 512kB}, {@code 1GB}, {@code 0}; empty if malformed or too large. */
    public static Optional<DataSize> size(String text) {
        if (text.equals("0")) {
            return Optional.of(new DataSize(0));
        }
        var m = SIZE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int shift = switch (m.group(2)) {
            case "B" -> 0;
            case "kB", "KB", "KiB" -> 10;
            case "MB", "MiB" -> 20;
            case "GB", "GiB" -> 30;
            case "TB", "TiB" -> 40;
            default -> throw new IllegalStateException(m.group(2));
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                return Optional.empty();
            }
            return Optional.of(new DataSize(n << shift));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code 7y}, {@code 18m} (months), {@code 2w}, {@code 90d}; empty if malformed or too large. */
    public static Optional<Period> period(String text) {
        if (!PERIOD.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            var total = Period.ZERO;
            var m = PERIOD_PART.matcher(text);
            while (m.find()) {
                int n = Integer.parseInt(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "y" -> Period.ofYears(n);
                    case "m" -> Period.ofMonths(n);
                    case "w" -> Period.ofWeeks(n);
                    case "d" -> Period.ofDays(n);
                    default -> throw new IllegalStateException(m.group(2));
                });
            }
            return Optional.of(total);
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The config spelling of a duration: the largest exact unit, e.g. {@code 800ms}, {@code 10m}, {@code 90d}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) return "0s";
        if (ms % 86_400_000L == 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0) return ms / 60_000L + "m";
        if (ms % 1_000L == 0) return ms / 1_000L + "s";
        return ms + "ms";
    }

    /** The config spelling of a period, e.g. {@code 7y}, {@code 18m}, {@code 1y6m}. */
    public static String format(Period p) {
        if (p.isZero()) return "0d";
        var sb = new StringBuilder();
        if (p.getYears() != 0) sb.append(p.getYears()).append('y');
        if (p.getMonths() != 0) sb.append(p.getMonths()).append('m');
        if (p.getDays() != 0) sb.append(p.getDays()).append('d');
        return sb.toString();
    }
}
