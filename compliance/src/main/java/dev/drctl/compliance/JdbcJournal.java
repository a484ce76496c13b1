package dev.drctl.compliance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.NodeName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The journal in the state store. Each append, in one transaction: lock the single head row (SQLite:
 * the BEGIN IMMEDIATE write lock; PostgreSQL: {@code SELECT … FOR UPDATE}), insert the entry after it,
 * move the head, commit. Unique constraints on seq and prev_hash are the backstop should two writers
 * ever read the same head.
 *
 * <p>With a {@link JournalKey}, each entry's hash is an HMAC with it ({@code chain_key} names the key). The first keyed
 * append onto an unkeyed chain first writes a {@link JournalKind#JOURNAL_KEYED} entry in the same commit, so the
 * journal records where its keyed segment starts. A keyed chain is never extended with plain entries: without the
 * key (or with another one) an append is refused ({@link ComplianceErrorCode#JOURNAL_KEY_REQUIRED}, exit 2), since
 * plain entries after keyed ones would be indistinguishable from a rewrite by someone without the key.
 */
public final class JdbcJournal implements Journal {
    /** Shorter secrets would match ordinary words; they are still never written on purpose (SecretRef prints ***). */
    static final int MIN_CHECKED_SECRET_LENGTH = 4;

    private final StoreConnection store;
    private final Clock clock;
    private final Set<String> secretValues;
    private final Optional<JournalKey> key;

    JdbcJournal(StoreConnection store, Clock clock, Set<String> secretValues, Optional<JournalKey> key) {
        this.store = store;
        this.clock = clock;
        this.secretValues = Set.copyOf(secretValues);
        this.key = key;
    }

    /** The store's clock, for rows written in the same transaction as an entry. */
    Instant now() {
        return StoreTime.truncate(Instant.now(clock));
    }

    @Override
    public JournalEntry append(JournalDraft draft) {
        var payload = PayloadCodec.canonical(draft.payload());
        refuseSecrets(draft, payload);
        return store.write("journal append (" + draft.kind() + ")", c -> appendIn(c, draft, payload));
    }

    /** Appends inside a write transaction the caller holds (used by purge to announce itself in the same commit). */
    JournalEntry appendIn(Connection c, JournalDraft draft, String payload) throws SQLException {
        long headSeq;
        String headHash;
        try (var st = c.prepareStatement(store.vendor().lockHeadSql()); var rs = st.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("journal_head row is missing: the store was altered outside drctl");
            }
            headSeq = rs.getLong(1);
            headHash = rs.getString(2);
        }
        var headKey = headSeq == 0 ? null : chainKeyOf(c, headSeq);
        if (key.isEmpty()) {
            if (headKey != null) {
                throw new DrctlException(ComplianceErrorCode.JOURNAL_KEY_REQUIRED, "journal entry " + draft.kind()
                        + " was not written: the journal is keyed (entry " + headSeq + " has key id " + headKey
                        + ") and this drctl has no compliance.journal-key; configure the key file the journal was "
                        + "keyed with (plain entries after keyed ones would look like a rewrite)");
            }
            return insert(c, draft, payload, headSeq, headHash);
        }
        var k = key.get();
        if (headKey != null && !headKey.equals(k.id())) {
            throw new DrctlException(ComplianceErrorCode.JOURNAL_KEY_REQUIRED, "journal entry " + draft.kind()
                    + " was not written: the journal is keyed with key id " + headKey + ", but compliance.journal-key "
                    + "has id " + k.id() + "; configure the key the journal was keyed with (rotation is not supported)");
        }
        if (headKey == null) {
            long from = headSeq + 1;
            var marker = JsonNodeFactory.instance.objectNode()
                    .put("keyedFrom", from)
                    .put("keyId", k.id())
                    .put("summary", "journal keyed from entry " + from + ": from here on each entry's hash is an "
                            + "HMAC-SHA256 with compliance.journal-key (key id " + k.id() + ")");
            var keyed = insert(c, JournalDraft.of(draft.actor(), JournalKind.JOURNAL_KEYED, marker),
                    PayloadCodec.canonical(marker), headSeq, headHash);
            return insert(c, draft, payload, keyed.seq(), keyed.hash());
        }
        return insert(c, draft, payload, headSeq, headHash);
    }

    private static String chainKeyOf(Connection c, long seq) throws SQLException {
        try (var st = c.prepareStatement("SELECT chain_key FROM journal_entry WHERE seq = ?")) {
            st.setLong(1, seq);
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private JournalEntry insert(Connection c, JournalDraft draft, String payload, long headSeq, String headHash)
            throws SQLException {
        long seq = headSeq + 1;
        var at = StoreTime.truncate(Instant.now(clock));
        var atText = StoreTime.format(at);
        var cluster = draft.cluster().map(ClusterName::value).orElse(null);
        var node = draft.node().map(NodeName::value).orElse(null);
        var runId = draft.runId().orElse(null);
        var epoch = draft.epoch().orElse(null);
        var hash = key.isPresent()
                ? ChainHash.keyed(key.get(), seq, atText, cluster, node, draft.actor().value(), draft.kind().name(),
                        runId, epoch, payload, headHash)
                : ChainHash.of(seq, atText, cluster, node, draft.actor().value(), draft.kind().name(), runId, epoch,
                        payload, headHash);
        try (var st = c.prepareStatement("INSERT INTO journal_entry (seq, at, cluster, node, actor, kind, run_id, epoch, "
                + "payload, prev_hash, hash, chain_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setLong(1, seq);
            st.setString(2, atText);
            st.setString(3, cluster);
            st.setString(4, node);
            st.setString(5, draft.actor().value());
            st.setString(6, draft.kind().name());
            st.setString(7, runId);
            if (epoch == null) {
                st.setNull(8, Types.BIGINT);
            } else {
                st.setLong(8, epoch);
            }
            st.setString(9, payload);
            st.setString(10, headHash);
            st.setString(11, hash);
            st.setString(12, key.map(JournalKey::id).orElse(null));
            st.executeUpdate();
        }
        try (var st = c.prepareStatement("UPDATE journal_head SET seq = ?, hash = ? WHERE id = 1")) {
            st.setLong(1, seq);
            st.setString(2, hash);
            st.executeUpdate();
        }
        return new JournalEntry(seq, at, draft.cluster(), draft.node(), draft.actor(), draft.kind(), draft.runId(),
                draft.epoch(), payload, headHash, hash);
    }

    /** The newest entry of {@code kind}, found without reading the others. */
    @Override
    public Optional<JournalEntry> latest(JournalKind kind) {
        return store.read("journal read", c -> {
            try (var st = c.prepareStatement("SELECT seq, at, cluster, node, actor, kind, run_id, epoch, payload, "
                    + "prev_hash, hash FROM journal_entry WHERE kind = ? ORDER BY seq DESC")) {
                st.setString(1, kind.name());
                st.setMaxRows(1);
                try (var rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(entry(rs)) : Optional.<JournalEntry>empty();
                }
            }
        });
    }

    /** The chain head: the last entry's seq and hash (0 and 64 zeros for an empty journal). */
    @Override
    public Head head() {
        return store.read("journal head", c -> {
            try (var st = c.prepareStatement("SELECT seq, hash FROM journal_head WHERE id = 1"); var rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("journal_head row is missing: the store was altered outside drctl");
                }
                return new Head(rs.getLong(1), rs.getString(2));
            }
        });
    }

    void refuseSecrets(JournalDraft draft, String payload) {
        var text = payload + "\n" + draft.actor().value() + "\n" + draft.cluster().map(ClusterName::value).orElse("")
                + "\n" + draft.node().map(NodeName::value).orElse("") + "\n" + draft.runId().orElse("");
        for (var secret : secretValues) {
            if (secret.length() < MIN_CHECKED_SECRET_LENGTH) {
                continue;
            }
            var escaped = PayloadCodec.canonical(secret);
            if (text.contains(secret) || text.contains(escaped.substring(1, escaped.length() - 1))) {
                throw new DrctlException(ComplianceErrorCode.SECRET_IN_JOURNAL,
                        "journal entry " + draft.kind() + " was not written: its payload contains the value of a "
                                + "configured secret; journal payloads must hold SecretRefs (printed ***), never values");
            }
        }
    }

    @Override
    public List<JournalEntry> entries(JournalQuery query) {
        var sql = new StringBuilder("SELECT seq, at, cluster, node, actor, kind, run_id, epoch, payload, prev_hash, hash "
                + "FROM journal_entry WHERE 1 = 1");
        var args = new ArrayList<String>();
        query.from().ifPresent(f -> {
            sql.append(" AND at >= ?");
            args.add(StoreTime.format(f));
        });
        query.to().ifPresent(t -> {
            sql.append(" AND at < ?");
            args.add(StoreTime.format(t));
        });
        query.cluster().ifPresent(cl -> {
            sql.append(" AND cluster = ?");
            args.add(cl.value());
        });
        query.runId().ifPresent(r -> {
            sql.append(" AND run_id = ?");
            args.add(r);
        });
        if (!query.kinds().isEmpty()) {
            sql.append(" AND kind IN (").append(String.join(", ", query.kinds().stream().map(k -> "?").toList())).append(")");
            query.kinds().stream().map(Enum::name).sorted().forEach(args::add);
        }
        sql.append(" ORDER BY seq");
        return store.read("journal read", c -> {
            try (var st = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    st.setString(i + 1, args.get(i));
                }
                var out = new ArrayList<JournalEntry>();
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(rs));
                    }
                }
                return out;
            }
        });
    }

    static JournalEntry entry(ResultSet rs) throws SQLException {
        long epoch = rs.getLong("epoch");
        Optional<Long> epochValue = rs.wasNull() ? Optional.empty() : Optional.of(epoch);
        var kindText = rs.getString("kind");
        JournalKind kind;
        try {
            kind = JournalKind.valueOf(kindText);
        } catch (IllegalArgumentException e) {
            throw new DrctlException(ComplianceErrorCode.STORE_FAILED, "journal entry " + rs.getLong("seq")
                    + " has kind '" + kindText + "', which this drctl does not know; run `drctl audit verify`, "
                    + "or use the drctl version that wrote it");
        }
        return new JournalEntry(rs.getLong("seq"), StoreTime.parse(rs.getString("at")),
                Optional.ofNullable(rs.getString("cluster")).map(ClusterName::new),
                Optional.ofNullable(rs.getString("node")).map(NodeName::new),
                new Actor(rs.getString("actor")), kind, Optional.ofNullable(rs.getString("run_id")), epochValue,
                rs.getString("payload"), rs.getString("prev_hash"), rs.getString("hash"));
    }
}
