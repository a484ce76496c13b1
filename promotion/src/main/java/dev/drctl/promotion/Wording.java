package dev.drctl.promotion;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.stream.Collectors;

import dev.drctl.topology.DataSize;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;

/** How the decision code writes durations, instants, node lists and lags in its sentences (which are contract). */
final class Wording {
    private Wording() {
    }

    /**
     * {@code 10m}, {@code 3s}, {@code 1.5s}, {@code 800ms}. From 950 ms up, rounded to a tenth of a second:
     * probe timestamps jitter by milliseconds, and "3.002s" reads as false precision.
     */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (Math.abs(ms) >= 950) {
            ms = Math.round(ms / 100.0) * 100;
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        if (Math.abs(ms) < 1000) {
            return ms + "ms";
        }
        return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
    }

    /** UTC, to the second: {@code 2026-01-01T00:10:00Z}. */
    static String instant(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
    }

    static String names(Collection<NodeName> nodes) {
        return nodes.stream().map(NodeName::value).collect(Collectors.joining(", "));
    }

    /** {@code 0s / 0B}, {@code 4s}, {@code unknown}: an unknown lag is said, never shown as zero. */
    static String lag(Lag lag) {
        if (lag.time().isEmpty() && lag.bytes().isEmpty()) {
            return "unknown";
        }
        var parts = new ArrayList<String>();
        lag.time().ifPresent(t -> parts.add(duration(t)));
        lag.bytes().ifPresent(b -> parts.add(new DataSize(b).toString()));
        return String.join(" / ", parts);
    }

    static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
