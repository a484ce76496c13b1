package dev.drctl.promotion;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds every promoter operation runs under.
 *
 * @param connect   TCP connect + login; a node that does not answer within it is {@link ActionOutcome.Unreachable}
 * @param statement one statement (driver socket timeout and, where the engine has one, a server statement timeout)
 * @param promote   how long a promotion may take to finish on the server ({@code pg_promote(wait_seconds)})
 */
public record PromoterTimeouts(Duration connect, Duration statement, Duration promote) {
    public PromoterTimeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(promote, "promote");
    }

    /** 3 s to connect, 15 s per statement, 60 s for a promotion: generous for a failover, never unbounded. */
    public static PromoterTimeouts defaults() {
        return new PromoterTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(15), Duration.ofSeconds(60));
    }
}
