package dev.drctl.compliance;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outbox at a glance, for {@code drctl status} and {@code /health}.
 *
 * @param pending       not yet delivered and not given up (including those waiting for a retry)
 * @param due           pending and due now
 * @param givenUp       delivery given up after the last attempt: people who should have been told were not
 * @param delivered     delivered, still in the table
 * @param oldestPending when the oldest pending message was queued
 */
public record OutboxStats(long pending, long due, long givenUp, long delivered, Optional<Instant> oldestPending) {
    public OutboxStats {
        Objects.requireNonNull(oldestPending, "oldestPending");
    }
}
