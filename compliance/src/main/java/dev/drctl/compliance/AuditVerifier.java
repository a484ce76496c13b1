package dev.drctl.compliance;

import dev.drctl.compliance.Verification.Breach;
import dev.drctl.compliance.Verification.Broken;
import dev.drctl.compliance.Verification.AnchoredAt;
import dev.drctl.compliance.Verification.Intact;
import dev.drctl.compliance.Verification.Unverifiable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Walks the journal from the latest purge checkpoint (or the first entry) to the head, recomputing each
 * entry's hash and checking its link to the previous one; the first entry that fails is reported with the
 * reason. Reads one consistent snapshot, so appends running meanwhile do not disturb it.
 *
 * <p>Keyed entries are checked with the {@link JournalKey}: their HMAC cannot be recomputed by someone without it.
 * With a key, a keyed segment must start at a {@link JournalKind#JOURNAL_KEYED} entry, never fall back to plain
 * entries, and reach the head; a journal without any keyed entry fails (it may be a keyed journal rewritten with
 * plain hashes). Without the key, keyed entries cannot be checked: the result is {@link Verification.Unverifiable}.
 *
 * <p>A {@link HeadAnchor} noted outside the store is then looked up in the verified chain: the journal extends it
 * when the entry at its position (or, given the hash alone, some entry) has its hash, or when it is exactly the
 * last entry a purge removed (the checkpoint, signed into the chain, names it). An anchor older than that cannot
 * be proven and fails: every daily digest gives a newer one.
 */
public final class AuditVerifier {
    private static final int FETCH_SIZE = 1000;

    private final StoreConnection store;
    private final Optional<JournalKey> key;

    AuditVerifier(StoreConnection store, Optional<JournalKey> key) {
        this.store = store;
        this.key = key;
    }

    public Verification verify() {
        return verify(Optional.empty());
    }

    /** Verifies the chain and, when {@code anchor} is given, that it still extends that head. */
    public Verification verify(Optional<HeadAnchor> anchor) {
        return store.read("journal verification", c -> verify(c, anchor));
    }

    Verification verify(Connection c) throws SQLException {
        return verify(c, Optional.empty());
    }

    Verification verify(Connection c, Optional<HeadAnchor> anchor) throws SQLException {
        var checkpoint = latestCheckpoint(c);
        long expectedSeq = checkpoint.map(cp -> cp.purgedThroughSeq() + 1).orElse(1L);
        String lastHash = checkpoint.map(JournalCheckpoint::purgedThroughHash).orElse(ChainHash.GENESIS);
        long lastSeq = expectedSeq - 1;
        long count = 0;
        boolean checkpointAnnounced = false;
        Long keyedFrom = null;
        Long uncheckedFrom = null;
        boolean lastPlain = false;
        String anchoredHashAtSeq = null;
        Long anchoredSeqOfHash = null;
        try (var st = c.prepareStatement("SELECT seq, at, cluster, node, actor, kind, run_id, epoch, payload, prev_hash, "
                + "hash, chain_key FROM journal_entry ORDER BY seq")) {
            st.setFetchSize(FETCH_SIZE);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong("seq");
                    var prevHash = rs.getString("prev_hash");
                    var hash = rs.getString("hash");
                    var chainKey = rs.getString("chain_key");
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
                    if (chainKey == null) {
                        if (keyedFrom != null || uncheckedFrom != null) {
                            return new Broken(seq, Breach.KEYING_ALTERED, "entry " + seq + " has a plain hash after the "
                                    + "keyed entries from " + (keyedFrom != null ? keyedFrom : uncheckedFrom)
                                    + ": drctl never writes that; the chain was rewritten by someone without the key",
                                    count);
                        }
                        var recomputed = ChainHash.of(seq, rs.getString("at"), rs.getString("cluster"),
                                rs.getString("node"), rs.getString("actor"), kind, rs.getString("run_id"), epoch, payload,
                                prevHash);
                        if (!recomputed.equals(hash)) {
                            return edited(seq, kind, count);
                        }
                        lastPlain = true;
                    } else {
                        if (lastPlain && !JournalKind.JOURNAL_KEYED.name().equals(kind)) {
                            return new Broken(seq, Breach.KEYING_ALTERED, "entry " + seq + " starts the keyed entries "
                                    + "without the JOURNAL_KEYED entry drctl writes first: the chain was altered", count);
                        }
                        lastPlain = false;
                        if (key.isEmpty()) {
                            if (uncheckedFrom == null) {
                                uncheckedFrom = seq;
                            }
                        } else if (!chainKey.equals(key.get().id())) {
                            return new Unverifiable(seq, "entry " + seq + " is keyed with key id " + chainKey
                                    + ", but compliance.journal-key has id " + key.get().id() + ": configure the key the "
                                    + "journal was keyed with (an altered key id also shows this)", count);
                        } else {
                            var recomputed = ChainHash.keyed(key.get(), seq, rs.getString("at"), rs.getString("cluster"),
                                    rs.getString("node"), rs.getString("actor"), kind, rs.getString("run_id"), epoch,
                                    payload, prevHash);
                            if (!recomputed.equals(hash)) {
                                return edited(seq, kind, count);
                            }
                            if (keyedFrom == null) {
                                keyedFrom = seq;
                            }
                        }
                    }
                    if (checkpoint.isPresent() && seq == checkpoint.get().announcedBy()) {
                        if (!announces(payload, checkpoint.get())) {
                            return new Broken(seq, Breach.CHECKPOINT_MISMATCH, "the purge checkpoint row does not match "
                                    + "the PURGE_CHECKPOINT entry " + seq + " that signed it off", count);
                        }
                        checkpointAnnounced = true;
                    }
                    if (anchor.isPresent()) {
                        if (anchor.get().seq().isPresent() && anchor.get().seq().get() == seq) {
                            anchoredHashAtSeq = hash;
                        }
                        if (anchor.get().hash().equals(hash)) {
                            anchoredSeqOfHash = seq;
                        }
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
        if (uncheckedFrom != null) {
            return new Unverifiable(uncheckedFrom, "entries " + range(uncheckedFrom, lastSeq) + " are keyed (HMAC) and "
                    + "this config has no compliance.journal-key, so their content cannot be checked (the entries before "
                    + "them and every link are intact); configure the key file and verify again", count);
        }
        if (key.isPresent() && count > 0 && keyedFrom == null) {
            return new Broken(lastSeq, Breach.NOT_KEYED, "compliance.journal-key is configured, but no entry up to the "
                    + "head (entry " + lastSeq + ") is keyed: either the chain was rewritten by someone without the key, "
                    + "or nothing was written since the key was configured (drctl keys the next entry it writes; "
                    + "check an anchored head with --expect-head to tell which)", count);
        }
        Optional<AnchoredAt> anchoredAt = Optional.empty();
        if (anchor.isPresent()) {
            var a = anchor.get();
            switch (anchored(a, checkpoint, lastSeq, anchoredHashAtSeq, anchoredSeqOfHash, count)) {
                case AnchorCheck.Holds holds -> anchoredAt = Optional.of(holds.at());
                case AnchorCheck.Fails fails -> {
                    return fails.broken();
                }
            }
        }
        return new Intact(count, lastSeq, lastHash, checkpoint, Optional.ofNullable(keyedFrom), anchoredAt);
    }

    private sealed interface AnchorCheck {
        record Holds(AnchoredAt at) implements AnchorCheck {
        }

        record Fails(Broken broken) implements AnchorCheck {
        }
    }

    /** Where the verified chain holds {@code a}, or what failed. */
    private static AnchorCheck anchored(HeadAnchor a, Optional<JournalCheckpoint> checkpoint, long lastSeq,
                                        String hashAtSeq, Long seqOfHash, long count) {
        var purgedThrough = checkpoint.map(JournalCheckpoint::purgedThroughSeq).orElse(0L);
        if (a.seq().isPresent()) {
            long s = a.seq().get();
            if (s > lastSeq) {
                return new AnchorCheck.Fails(new Broken(s, Breach.ANCHOR_BEYOND_END, "the anchored head is entry " + s + " but the journal "
                        + "ends at entry " + lastSeq + ": entries were cut off the end and the chain rewritten, or the "
                        + "anchor belongs to another journal", count));
            }
            if (checkpoint.isPresent() && s == purgedThrough) {
                var cpHash = checkpoint.get().purgedThroughHash();
                if (cpHash.equals(a.hash())) {
                    return new AnchorCheck.Holds(new AnchoredAt(s, a.hash(), "the purge checkpoint"));
                }
                return new AnchorCheck.Fails(new Broken(s, Breach.ANCHOR_DIFFERS, "the purge checkpoint names entry " + s + " with hash "
                        + cpHash.substring(0, 16) + "…, the anchor says " + a.shortHash() + ": the journal was "
                        + "rewritten at or before entry " + s, count));
            }
            if (s < purgedThrough) {
                return new AnchorCheck.Fails(new Broken(s, Breach.ANCHOR_PURGED, "entry " + s + " was purged (the checkpoint covers entries up "
                        + "to " + purgedThrough + "); only anchors at or after entry " + purgedThrough + " can be proven: "
                        + "check a newer anchor (every daily digest gives one)", count));
            }
            if (!a.hash().equals(hashAtSeq)) {
                return new AnchorCheck.Fails(new Broken(s, Breach.ANCHOR_DIFFERS, "entry " + s + " has hash "
                        + (hashAtSeq == null ? "(none)" : hashAtSeq.substring(0, 16) + "…") + ", the anchor says "
                        + a.shortHash() + ": the journal was rewritten at or before entry " + s, count));
            }
            return new AnchorCheck.Holds(new AnchoredAt(s, a.hash(), "in the chain"));
        }
        if (seqOfHash != null) {
            return new AnchorCheck.Holds(new AnchoredAt(seqOfHash, a.hash(), "in the chain"));
        }
        if (checkpoint.isPresent() && checkpoint.get().purgedThroughHash().equals(a.hash())) {
            return new AnchorCheck.Holds(new AnchoredAt(purgedThrough, a.hash(), "the purge checkpoint"));
        }
        return new AnchorCheck.Fails(new Broken(lastSeq, Breach.ANCHOR_MISSING, "no entry " + (checkpoint.isPresent() ? "from the purge "
                + "checkpoint (entry " + purgedThrough + ") " : "") + "to the head (entry " + lastSeq + ") has the "
                + "anchored hash " + a.shortHash() + ": the journal was rewritten, or the anchor is older than the last "
                + "purge or belongs to another journal (give SEQ:HASH to learn which)", count));
    }

    private static Broken edited(long seq, String kind, long count) {
        return new Broken(seq, Breach.CONTENT_EDITED, "entry " + seq + " (" + kind
                + ") no longer matches its hash: its content was changed after it was written", count);
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
