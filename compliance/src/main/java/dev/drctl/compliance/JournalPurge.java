package dev.drctl.compliance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

/**
 * Deletes journal entries older than a date, never inside {@code compliance.retention}. In one
 * transaction under the chain lock: verify the chain, append a {@link JournalKind#PURGE_CHECKPOINT}
 * entry naming the last purged entry's seq and hash, delete the prefix, store the checkpoint row. The
 * remaining chain then verifies from the checkpoint, and the checkpoint itself is hashed into it.
 */
public final class JournalPurge {
    private final StoreConnection store;
    private final JdbcJournal journal;
    private final AuditVerifier verifier;
    private final Clock clock;

    JournalPurge(StoreConnection store, JdbcJournal journal, AuditVerifier verifier, Clock clock) {
        this.store = store;
        this.journal = journal;
        this.verifier = verifier;
        this.clock = clock;
    }

    /** The latest {@code before} that {@code retention} allows now. */
    public Instant latestAllowed(Period retention) {
        return Instant.now(clock).atOffset(ZoneOffset.UTC).minus(retention).toInstant();
    }

    public PurgeOutcome purge(Instant before, Period retention, Actor actor) {
        var latestAllowed = latestAllowed(retention);
        if (before.isAfter(latestAllowed)) {
            return new PurgeOutcome.RefusedRetention(before, latestAllowed, retention);
        }
        return store.write("journal purge", c -> {
            var verification = verifier.verify(c);
            if (verification instanceof Verification.Broken broken) {
                return new PurgeOutcome.RefusedBrokenChain(broken);
            }
            long firstSeq;
            long boundary;
            try (var st = c.prepareStatement("SELECT MIN(seq) FROM journal_entry"); var rs = st.executeQuery()) {
                rs.next();
                firstSeq = rs.getLong(1);
                if (rs.wasNull()) {
                    return new PurgeOutcome.NothingToPurge(before);
                }
            }
            // purge a prefix only: everything before the first entry that is not old enough
            try (var st = c.prepareStatement("SELECT MIN(seq) FROM journal_entry WHERE at >= ?")) {
                st.setString(1, StoreTime.format(before));
                try (var rs = st.executeQuery()) {
                    rs.next();
                    long firstKept = rs.getLong(1);
                    boundary = rs.wasNull() ? Long.MAX_VALUE : firstKept - 1;
                }
            }
            String boundaryHash;
            try (var st = c.prepareStatement("SELECT seq, hash FROM journal_entry WHERE seq <= ? ORDER BY seq DESC")) {
                st.setLong(1, boundary);
                st.setMaxRows(1);
                try (var rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return new PurgeOutcome.NothingToPurge(before);
                    }
                    boundary = rs.getLong(1);
                    boundaryHash = rs.getString(2);
                }
            }
            long count = boundary - firstSeq + 1;
            var payload = JsonNodeFactory.instance.objectNode()
                    .put("purgedThroughSeq", boundary)
                    .put("purgedThroughHash", boundaryHash)
                    .put("purgedCount", count)
                    .put("purgedBefore", StoreTime.format(before))
                    .put("retention", retention.toString());
            var announced = journal.appendIn(c, JournalDraft.of(actor, JournalKind.PURGE_CHECKPOINT, payload),
                    PayloadCodec.canonical(payload));
            try (var st = c.prepareStatement("DELETE FROM journal_entry WHERE seq <= ?")) {
                st.setLong(1, boundary);
                st.executeUpdate();
            }
            var checkpoint = new JournalCheckpoint(announced.seq(), boundary, boundaryHash, count, before, announced.at(), actor);
            try (var st = c.prepareStatement("INSERT INTO journal_checkpoint (id, purged_through_seq, purged_through_hash, "
                    + "purged_count, purged_before, at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                st.setLong(1, checkpoint.announcedBy());
                st.setLong(2, boundary);
                st.setString(3, boundaryHash);
                st.setLong(4, count);
                st.setString(5, StoreTime.format(before));
                st.setString(6, StoreTime.format(announced.at()));
                st.setString(7, actor.value());
                st.executeUpdate();
            }
            return new PurgeOutcome.Purged(count, checkpoint);
        });
    }
}
