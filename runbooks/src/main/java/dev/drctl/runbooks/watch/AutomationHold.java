package dev.drctl.runbooks.watch;

import dev.drctl.topology.ClusterName;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Why automation may not act on a cluster now; the daemon then only pages (and journals the hold). A person may still
 * act by hand: none of these blocks a manual command. Each says in one sentence what holds it and what ends it.
 */
public sealed interface AutomationHold {
    /**
     * One sentence for the journal, the page and {@code drctl status}; a command it names carries the cluster, so it
     * runs as shown.
     */
    String sentence();

    /** A person put the cluster in maintenance ({@code drctl maintenance on}): nothing is automated until it ends. */
    record Maintenance(ClusterName cluster, String reason, String by, Instant since) implements AutomationHold {
        public Maintenance {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(since, "since");
        }

        @Override
        public String sentence() {
            return "in maintenance since " + instant(since) + " by " + by + " (" + reason + "): nothing is automated "
                    + "until `drctl maintenance off " + cluster + "` ends it";
        }
    }

    /**
     * The cluster failed over at {@code lastFailover}: no second automatic failover before {@code until} (safety rule
     * 6), unless a person clears it early with {@code drctl ack}.
     */
    record CoolingDown(ClusterName cluster, Instant lastFailover, Instant until) implements AutomationHold {
        public CoolingDown {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(lastFailover, "lastFailover");
            Objects.requireNonNull(until, "until");
        }

        @Override
        public String sentence() {
            return "cooling down after the failover at " + instant(lastFailover) + " until " + instant(until)
                    + ": no automatic failover before then unless `drctl ack " + cluster + "` clears it";
        }
    }

    /**
     * The global circuit breaker is open: {@code failovers} automatic failovers across all clusters within
     * {@code window}, the most allowed; it closes at {@code until}, when the oldest counted one leaves the window.
     */
    record BreakerOpen(int failovers, Duration window, Instant until) implements AutomationHold {
        public BreakerOpen {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(until, "until");
        }

        @Override
        public String sentence() {
            return "circuit breaker open: " + failovers + " automatic failover" + (failovers == 1 ? "" : "s")
                    + " across all clusters within " + duration(window) + " (automation.max-failovers); automation "
                    + "only pages until " + instant(until);
        }
    }

    private static String instant(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String duration(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
