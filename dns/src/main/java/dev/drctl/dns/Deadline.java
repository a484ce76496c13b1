package dev.drctl.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** The instant an operation must be finished by; every wait and retry in a provider is bounded by one. */
public record Deadline(Instant at, Clock clock) {
    public Deadline {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(clock, "clock");
    }

    public static Deadline after(Duration timeout, Clock clock) {
        return new Deadline(clock.instant().plus(timeout), clock);
    }

    /** Time left, never negative. */
    public Duration remaining() {
        var left = Duration.between(clock.instant(), at);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean expired() {
        return remaining().isZero();
    }

    /** Sleeps for {@code pause} or until the deadline, whichever is sooner; false when the deadline has passed. */
    public boolean pause(Duration pause) {
        var left = remaining();
        if (left.isZero()) {
            return false;
        }
        var wait = pause.compareTo(left) < 0 ? pause : left;
        if (wait.isZero()) {
            return true;
        }
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !expired();
    }
}
