package dev.drctl.topology;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How far a replica's applied data trails, as far as it can be told. Empty means unknown, and an
 * unknown lag is never treated as zero (DESIGN.md, mistake 6).
 */
public record Lag(Optional<Long> bytes, Optional<Duration> time) {
    public Lag {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(time, "time");
    }

    public static Lag unknown() {
        return new Lag(Optional.empty(), Optional.empty());
    }

    public static Lag none() {
        return new Lag(Optional.of(0L), Optional.of(Duration.ZERO));
    }
}
