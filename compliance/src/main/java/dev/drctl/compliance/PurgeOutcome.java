package dev.drctl.compliance;

import dev.drctl.topology.ConfigUnits;
import java.time.Instant;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** What {@code audit purge} did, or why it did nothing. */
public sealed interface PurgeOutcome {

    String summary();

    /** Entries before the date were deleted; the checkpoint keeps the remaining chain verifiable. */
    record Purged(long count, JournalCheckpoint checkpoint) implements PurgeOutcome {
        @Override
        public String summary() {
            return "purged " + count + " entries (seq " + (checkpoint.purgedThroughSeq() - count + 1) + ".."
                    + checkpoint.purgedThroughSeq() + ") written before " + checkpoint.purgedBefore()
                    + "; checkpoint signed off by entry " + checkpoint.announcedBy() + " with hash "
                    + checkpoint.purgedThroughHash();
        }
    }

    /** No entry is older than the date. */
    record NothingToPurge(Instant before) implements PurgeOutcome {
        @Override
        public String summary() {
            return "nothing to purge: no journal entry was written before " + before;
        }
    }

    /**
     * The date lies inside the retention period (a safety rule: exit 3).
     *
     * @param latestAllowed the latest {@code --before} allowed today: entries older than this may be purged
     */
    record RefusedRetention(Instant before, Instant latestAllowed, Period retention) implements PurgeOutcome {
        public RefusedRetention {
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(latestAllowed, "latestAllowed");
            Objects.requireNonNull(retention, "retention");
        }

        /**
         * The period as the config spells it ({@code 7y}, not {@code P7Y}); the instants to the second (cut down,
         * so "only entries written before" stays true of the instant shown).
         */
        @Override
        public String summary() {
            return "purge refused: entries before " + seconds(before) + " are inside the retention period of "
                    + ConfigUnits.format(retention) + "; only entries written before " + seconds(latestAllowed)
                    + " may be purged (use --before " + latestAllowed.toString().substring(0, 10) + " or earlier)";
        }

        private static String seconds(Instant at) {
            return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
        }
    }

    /** The chain does not verify: purging would sign off altered entries, so nothing was deleted (exit 1). */
    record RefusedBrokenChain(Verification.Broken broken) implements PurgeOutcome {
        @Override
        public String summary() {
            return "purge refused: " + broken.summary() + "; nothing was deleted (a purge must not sign off an altered "
                    + "journal); export the journal for investigation first";
        }
    }
}
