package dev.drctl.notifiers;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How the {@link OutboxSender} retries: exponential backoff from {@code firstRetry}, doubling up to
 * {@code maxRetry}, with "equal jitter" (half the delay fixed, half random) so senders that failed together do
 * not retry together; given up after {@code maxAttempts} attempts.
 *
 * @param lease        how long a claimed message is reserved for one sender; longer than one attempt can take
 * @param pollInterval how often the sender looks for due messages when nobody wakes it
 * @param batch        messages claimed at a time
 */
public record DeliveryPolicy(int maxAttempts, Duration firstRetry, Duration maxRetry, Duration lease,
                             Duration pollInterval, int batch) {
    public DeliveryPolicy {
        Objects.requireNonNull(firstRetry, "firstRetry");
        Objects.requireNonNull(maxRetry, "maxRetry");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (maxAttempts < 1 || batch < 1) {
            throw new IllegalArgumentException("maxAttempts and batch must be at least 1");
        }
    }

    /**
     * 24 attempts: 2 s, 4 s, … 8.5 min, then every 10 min: about 3 hours of trying, longer than the usual
     * {@code notify-within} of 2 h, so an outage of the mail server alone never loses a message inside it.
     */
    public static DeliveryPolicy defaults() {
        return new DeliveryPolicy(24, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofMinutes(2),
                Duration.ofSeconds(1), 20);
    }

    /** The wait after failed attempt number {@code attempt} (1 = the first attempt failed). */
    public Duration retryAfter(int attempt, RandomGenerator random) {
        long base = firstRetry.toMillis();
        long cap = maxRetry.toMillis();
        long delay = attempt >= 31 ? cap : Math.min(cap, base << Math.max(0, attempt - 1));
        long half = delay / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
    }
}
