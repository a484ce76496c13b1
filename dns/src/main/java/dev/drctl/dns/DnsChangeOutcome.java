package dev.drctl.dns;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of a record change. Expected results are values, never exceptions: a runbook journals them
 * and decides (a {@link Failed} writer change after a promotion leaves the run "promoted, DNS pending"; the
 * database promotion is not rolled back).
 */
public sealed interface DnsChangeOutcome {

    /** One line for logs, the journal and the terminal. */
    String summary();

    /**
     * The record answers the target: the provider reported the change live and a read-back confirmed it.
     *
     * @param changeId the provider's change id; empty when the record already held these values and nothing was sent
     */
    record Applied(Instant liveAt, Optional<String> changeId, WriterRecord record) implements DnsChangeOutcome {
        public Applied {
            Objects.requireNonNull(liveAt, "liveAt");
            Objects.requireNonNull(changeId, "changeId");
            Objects.requireNonNull(record, "record");
        }

        @Override
        public String summary() {
            return changeId.map(id -> "applied " + record.describe() + " (change " + id + ", live at " + liveAt + ")")
                    .orElse("already in place: " + record.describe());
        }
    }

    /**
     * The change was accepted but was not confirmed live before the deadline. Re-running the same change later
     * (e.g. {@code drctl dns sync}) is safe and finishes it.
     */
    record Pending(Optional<String> changeId, String reason) implements DnsChangeOutcome {
        public Pending {
            Objects.requireNonNull(changeId, "changeId");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String summary() {
            return "pending" + changeId.map(id -> " (change " + id + ")").orElse("") + ": " + reason;
        }
    }

    /** The record was not changed as asked, or the change could not be confirmed; {@code reason} says why. */
    record Failed(String reason) implements DnsChangeOutcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String summary() {
            return "failed: " + reason;
        }
    }
}
