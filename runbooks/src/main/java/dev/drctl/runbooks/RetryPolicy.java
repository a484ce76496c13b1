package dev.drctl.runbooks;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a step is attempted when it fails with {@link StepOutcome.Failed#retrySafe()}: at most
 * {@code maxAttempts} attempts in all, waiting {@code firstBackoff}, then twice as long each time, up to
 * {@code maxBackoff}. Bounded on purpose: a failed promotion must end the run, not start a storm.
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
    public RetryPolicy {
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** One attempt, no retry. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    public static RetryPolicy attempts(int maxAttempts, Duration firstBackoff) {
        return new RetryPolicy(maxAttempts, firstBackoff, firstBackoff.multipliedBy(8));
    }

    /** The wait before attempt {@code attempt} (2 for the first retry). */
    public Duration backoffBefore(int attempt) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        var wait = firstBackoff;
        for (int i = 2; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
