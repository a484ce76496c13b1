package dev.drctl.compliance;

import java.time.Instant;

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
    record RefusedRetention(Instant before, Instant latestAllowed, String retention) implements PurgeOutcome {
        @Override
        public String summary() {
            return "purge refused: entries before " + before + " are inside the retention period of " + retention
                    + "; only entries written before " + latestAllowed + " may be purged (use --before "
                    + latestAllowed.toString().substring(0, 10) + " or earlier)";
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
