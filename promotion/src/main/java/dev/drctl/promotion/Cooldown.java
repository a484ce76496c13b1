package dev.drctl.promotion;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Anti-flapping state of one cluster, as data (safety rule 6): when it last failed over, and how long no
 * second automatic failover may follow. Kept by the {@link Detector}, persisted by whoever owns the store.
 *
 * @param lastFailover when the last failover (automatic or manual) was decided, if ever
 * @param length       the policy's cooldown
 */
public record Cooldown(Optional<Instant> lastFailover, Duration length) {
    public Cooldown {
        Objects.requireNonNull(lastFailover, "lastFailover");
        Objects.requireNonNull(length, "length");
    }

    public static Cooldown none(Duration length) {
        return new Cooldown(Optional.empty(), length);
    }

    /** A cooldown that started at {@code at}. */
    public Cooldown startedAt(Instant at) {
        return new Cooldown(Optional.of(at), length);
    }

    /** Whether an automatic failover is forbidden at {@code now}. */
    public boolean active(Instant now) {
        return until().map(now::isBefore).orElse(false);
    }

    /** When the cooldown ends, if one was ever started. */
    public Optional<Instant> until() {
        return lastFailover.map(t -> t.plus(length));
    }
}
