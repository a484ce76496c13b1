package dev.drctl.compliance;

import dev.drctl.compliance.Verification.Breach;
import dev.drctl.compliance.Verification.Broken;
import dev.drctl.compliance.Verification.Intact;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Walks the journal from the latest purge checkpoint (or the first entry) to the head, recomputing each
 * entry's hash and checking its link to the previous one; the first entry that fails is reported with the
 * reason. Reads one consistent snapshot, so appends running meanwhile do not disturb it.
 */
public final class AuditVerifier {
    private static final int FETCH_SIZE = 1000;

    private final StoreConnection store;

    AuditVerifier(StoreConnection store) {
        this.store = store;
    }

    public Verification verify() {
        return store.read("journal verification", this::verify);
    }

    Verification verify(Connection c) throws SQLException {
        var checkpoint = latestCheckpoint(c);
        long expectedSeq = checkpoint.map(cp -> cp.purgedThroughSeq() + 1).orElse(1L);
        String lastHash = checkpoint.map(JournalCheckpoint::purgedThroughHash).orElse(ChainHash.GENESIS);
        long lastSeq = expectedSeq - 1;
        long count = 0;
        boolean checkpointAnnounced = false;
        try (var st = c.prepareStatement("SELECT seq, at, cluster, node, actor, kind, run_id, epoch, payload, prev_hash, hash "
                + "FROM journal_entry ORDER BY seq")) {
            st.setFetchSize(FETCH_SIZE);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong("seq");
                    var prevHash = rs.getString("prev_hash");
                    var hash = rs.getString("hash");
                    if (seq < expectedSeq) {
                        return new Broken(seq, Breach.CHECKPOINT_MISMATCH, "the purge checkpoint says entries up to "
                                + (expectedSeq - 1) + " were purged, yet entry " + seq + " is present", count);
                    }
                    if (seq > expectedSeq) {
                        return new Broken(expectedSeq, Breach.ENTRIES_MISSING, "entries " + range(expectedSeq, seq - 1)
                                + " are missing between entry " + lastSeq + " and entry " + seq, count);
                    }
                    if (!prevHash.equals(lastHash) && count == 0 && checkpoint.isPresent()) {
                        return new Broken(seq, Breach.CHECKPOINT_MISMATCH, "entry " + seq + " is not chained to the "
                                + "purged entry " + lastSeq + " the checkpoint names: the checkpoint or the entry was altered",
                                count);
                    }
                    if (!prevHash.equals(lastHash)) {
                        return brokenLink(c, seq, lastSeq, prevHash, count);
                    }
                    long epochValue = rs.getLong("epoch");
                    Long epoch = rs.wasNull() ? null : epochValue;
                    var payload = rs.getString("payload");
                    var kind = rs.getString("kind");
                    var recomputed = ChainHash.of(seq, rs.getString("at"), rs.getString("cluster"), rs.getString("node"),
                            rs.getString("actor"), kind, rs.getString("run_id"), epoch, payload, prevHash);
                    if (!recomputed.equals(hash)) {
                        return new Broken(seq, Breach.CONTENT_EDITED, "entry " + seq + " (" + kind
                                + ") no longer matches its hash: its content was changed after it was written", count);
                    }
                    if (checkpoint.isPresent() && seq == checkpoint.get().announcedBy()) {
                        if (!announces(payload, checkpoint.get())) {
                            return new Broken(seq, Breach.CHECKPOINT_MISMATCH, "the purge checkpoint row does not match "
                                    + "the PURGE_CHECKPOINT entry " + seq + " that signed it off", count);
                        }
                        checkpointAnnounced = true;
                    }
                    lastSeq = seq;
                    lastHash = hash;
                    expectedSeq++;
                    count++;
                }
            }
        }
        if (checkpoint.isPresent() && !checkpointAnnounced) {
            return new Broken(checkpoint.get().announcedBy(), Breach.CHECKPOINT_MISMATCH, "the purge checkpoint names "
                    + "entry " + checkpoint.get().announcedBy() + " as its sign-off, but that entry is not in the chain", count);
        }
        try (var st = c.prepareStatement("SELECT seq, hash FROM journal_head WHERE id = 1"); var rs = st.executeQuery()) {
            if (!rs.next()) {
                return new Broken(lastSeq + 1, Breach.HEAD_MISMATCH, "the chain head row is missing", count);
            }
            long headSeq = rs.getLong(1);
            var headHash = rs.getString(2);
            if (headSeq > lastSeq) {
                return new Broken(lastSeq + 1, Breach.TAIL_MISSING, "the chain head is entry " + headSeq
                        + " but the journal ends at entry " + lastSeq + ": entries " + range(lastSeq + 1, headSeq)
                        + " are missing", count);
            }
            if (headSeq != lastSeq || !headHash.equals(lastHash)) {
                return new Broken(lastSeq, Breach.HEAD_MISMATCH, "the chain head row (entry " + headSeq
                        + ") does not match the last entry " + lastSeq, count);
            }
        }
        return new Intact(count, lastSeq, lastHash, checkpoint);
    }

    private static Broken brokenLink(Connection c, long seq, long lastSeq, String prevHash, long count) throws SQLException {
        try (var st = c.prepareStatement("SELECT seq FROM journal_entry WHERE hash = ?")) {
            st.setString(1, prevHash);
            try (var rs = st.executeQuery()) {
                if (rs.next() && rs.getLong(1) > seq) {
                    return new Broken(seq, Breach.REORDERED, "entry " + seq + " was written after the entry now at seq "
                            + rs.getLong(1) + ", not after entry " + lastSeq + ": entries were moved", count);
                }
            }
        }
        return new Broken(seq, Breach.LINK_BROKEN, "entry " + seq + " is not chained to entry " + lastSeq
                + ": the entry it followed was deleted or replaced", count);
    }

    private static boolean announces(String payload, JournalCheckpoint cp) {
        var tree = PayloadCodec.parse(payload);
        return tree.path("purgedThroughSeq").asLong(-1) == cp.purgedThroughSeq()
                && tree.path("purgedThroughHash").asText("").equals(cp.purgedThroughHash());
    }

    private static String range(long from, long to) {
        return from == to ? Long.toString(from) : from + ".." + to;
    }

    static Optional<JournalCheckpoint> latestCheckpoint(Connection c) throws SQLException {
        try (var st = c.prepareStatement("SELECT id, purged_through_seq, purged_through_hash, purged_count, purged_before, at, "
                + "actor FROM journal_checkpoint ORDER BY id DESC")) {
            st.setMaxRows(1);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new JournalCheckpoint(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                        StoreTime.parse(rs.getString(5)), StoreTime.parse(rs.getString(6)), new Actor(rs.getString(7))));
            }
        }
    }
}
