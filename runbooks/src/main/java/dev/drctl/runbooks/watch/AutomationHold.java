package dev.drctl.runbooks.watch;

import java.time.Duration;
import java.time.Instant;

/** Why automation may not act on a cluster now (placeholder of the brakes branch, which owns it). */
public sealed interface AutomationHold {
    String sentence();

    record Maintenance(String reason, String by, Instant since) implements AutomationHold {
        @Override
        public String sentence() {
            return "maintenance mode since " + since + " by " + by + ": " + reason;
        }
    }

    record CoolingDown(Instant lastFailover, Instant until) implements AutomationHold {
        @Override
        public String sentence() {
            return "cooling down after the failover at " + lastFailover + " until " + until;
        }
    }

    record BreakerOpen(int failovers, Duration window, Instant until) implements AutomationHold {
        @Override
        public String sentence() {
            return "circuit breaker open: " + failovers + " automatic failover(s) within " + window + ", until " + until;
        }
    }
}
