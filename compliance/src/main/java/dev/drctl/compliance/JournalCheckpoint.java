package dev.drctl.compliance;

import java.time.Instant;

/**
 * Where the chain restarts after a retention purge: the last purged entry's seq and hash, signed off by
 * the {@link JournalKind#PURGE_CHECKPOINT} entry {@code announcedBy}, which stays in the chain.
 */
public record JournalCheckpoint(long announcedBy, long purgedThroughSeq, String purgedThroughHash, long purgedCount,
                                Instant purgedBefore, Instant at, Actor actor) {
}
