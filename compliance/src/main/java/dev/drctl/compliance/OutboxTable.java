package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code notification_outbox} table. Producers {@link #enqueue} (durable before the failover step
 * continues), or journal and enqueue in one commit with {@link StateStore#atomically}; the notifier's sender
 * {@link #claim}s due messages (or reads them with {@link #due}) and records each attempt.
 */
public final class OutboxTable {
    private static final String COLUMNS = "id, dedup_key, kind, audience, channel, cluster, run_id, payload, created_at, "
            + "attempts, next_attempt_at, last_error, delivered_at, failed_at, message_id";
    private static final String OPEN = "delivered_at IS NULL AND failed_at IS NULL";

    private final StoreConnection store;

    OutboxTable(StoreConnection store) {
        this.store = store;
    }

    /** @return false when a message with the same dedup key is already in the outbox (nothing written) */
    public boolean enqueue(OutboxMessage m) {
        return store.write("outbox enqueue", c -> insert(c, m));
    }

    /** Undelivered, not given up, and due at {@code now}; oldest first. Does not claim them. */
    public List<OutboxMessage> due(Instant now, int limit) {
        return store.read("outbox read", c -> {
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_outbox WHERE " + OPEN
                    + " AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at")) {
                st.setString(1, StoreTime.format(now));
                st.setMaxRows(limit);
                return list(st.executeQuery());
            }
        });
    }

    /** Undelivered and not given up, whenever their next attempt is due; oldest first. Does not claim them. */
    public List<OutboxMessage> pending(int limit) {
        return store.read("outbox read", c -> {
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_outbox WHERE " + OPEN
                    + " ORDER BY created_at, next_attempt_at")) {
                st.setMaxRows(limit);
                return list(st.executeQuery());
            }
        });
    }

    /**
     * Claims up to {@code limit} due messages for {@code owner} until {@code now + lease}, and returns them.
     * A message claimed by another owner whose lease has not run out is skipped, so two senders sharing a
     * store never deliver the same message at once; a claim left by {@code owner} itself (a restarted
     * process with the same identity) is taken over at once. The lease must outlast one delivery attempt.
     */
    public List<OutboxMessage> claim(Instant now, int limit, String owner, Duration lease) {
        var nowText = StoreTime.format(now);
        var untilText = StoreTime.format(now.plus(lease));
        return store.write("outbox claim", c -> {
            var candidates = new ArrayList<String>();
            try (var st = c.prepareStatement("SELECT id FROM notification_outbox WHERE " + OPEN + " AND next_attempt_at <= ? "
                    + "AND (claimed_until IS NULL OR claimed_until <= ? OR claimed_by = ?) "
                    + "ORDER BY next_attempt_at, created_at")) {
                st.setString(1, nowText);
                st.setString(2, nowText);
                st.setString(3, owner);
                st.setMaxRows(limit);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(rs.getString(1));
                    }
                }
            }
            var claimed = new ArrayList<OutboxMessage>();
            // the WHERE is re-checked row by row: on PostgreSQL (READ COMMITTED) a concurrent claimer that
            // committed first makes this UPDATE match nothing, so each row goes to one owner only
            // ...including "still due": another sender may have tried it meanwhile and moved its next attempt
            try (var up = c.prepareStatement("UPDATE notification_outbox SET claimed_by = ?, claimed_until = ? WHERE id = ? "
                    + "AND " + OPEN + " AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ? "
                    + "OR claimed_by = ?)")) {
                for (var id : candidates) {
                    up.setString(1, owner);
                    up.setString(2, untilText);
                    up.setString(3, id);
                    up.setString(4, nowText);
                    up.setString(5, nowText);
                    up.setString(6, owner);
                    if (up.executeUpdate() == 1) {
                        find(c, id).ifPresent(claimed::add);
                    }
                }
            }
            return claimed;
        });
    }

    /**
     * Claims one message by id, due or not (a command delivering what it just queued), under the same rule as
     * {@link #claim(Instant, int, String, Duration)}.
     *
     * @return the message as claimed; empty when it is delivered, given up, or held by another owner's lease
     */
    public Optional<OutboxMessage> claim(String id, Instant now, String owner, Duration lease) {
        return store.write("outbox claim", c -> {
            try (var up = c.prepareStatement("UPDATE notification_outbox SET claimed_by = ?, claimed_until = ? WHERE id = ? "
                    + "AND " + OPEN + " AND (claimed_until IS NULL OR claimed_until <= ? OR claimed_by = ?)")) {
                up.setString(1, owner);
                up.setString(2, StoreTime.format(now.plus(lease)));
                up.setString(3, id);
                up.setString(4, StoreTime.format(now));
                up.setString(5, owner);
                return up.executeUpdate() == 1 ? find(c, id) : Optional.<OutboxMessage>empty();
            }
        });
    }

    public Optional<OutboxMessage> find(String id) {
        return store.read("outbox read", c -> find(c, id));
    }

    public Optional<OutboxMessage> findByDedupKey(String dedupKey) {
        return store.read("outbox read", c -> findByDedupKey(c, dedupKey));
    }

    /** Every message of a run (or incident), oldest first. */
    public List<OutboxMessage> ofRun(String runId) {
        return store.read("outbox read", c -> {
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_outbox WHERE run_id = ? "
                    + "ORDER BY created_at, id")) {
                st.setString(1, runId);
                return list(st.executeQuery());
            }
        });
    }

    /** What is waiting, what was given up: for {@code drctl status} and {@code /health}. */
    public OutboxStats stats(Instant now) {
        return store.read("outbox read", c -> {
            try (var st = c.prepareStatement("SELECT "
                    + "SUM(CASE WHEN " + OPEN + " THEN 1 ELSE 0 END), "
                    + "SUM(CASE WHEN " + OPEN + " AND next_attempt_at <= ? THEN 1 ELSE 0 END), "
                    + "SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), "
                    + "SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END), "
                    + "MIN(CASE WHEN " + OPEN + " THEN created_at END) FROM notification_outbox")) {
                st.setString(1, StoreTime.format(now));
                try (var rs = st.executeQuery()) {
                    rs.next();
                    return new OutboxStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            Optional.ofNullable(StoreTime.parse(rs.getString(5))));
                }
            }
        });
    }

    public void markDelivered(String id, Instant at, Optional<String> messageId) {
        store.write("outbox update", c -> markDelivered(c, id, at, messageId));
    }

    /** One attempt failed; try again at {@code nextAttemptAt}. */
    public void markAttemptFailed(String id, String error, Instant nextAttemptAt) {
        store.write("outbox update", c -> markAttemptFailed(c, id, error, nextAttemptAt));
    }

    /** Delivery given up (e.g. the recipient was rejected permanently). */
    public void markGivenUp(String id, String error, Instant at) {
        store.write("outbox update", c -> markGivenUp(c, id, error, at));
    }

    // ---- statements shared with StoreTransaction ----------------------------------------------------------

    static boolean insert(Connection c, OutboxMessage m) throws SQLException {
        try (var st = c.prepareStatement("INSERT INTO notification_outbox (" + COLUMNS + ") VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING")) {
            st.setString(1, m.id());
            st.setString(2, m.dedupKey().orElse(null));
            st.setString(3, m.kind());
            st.setString(4, m.audience());
            st.setString(5, m.channel());
            st.setString(6, m.cluster().map(ClusterName::value).orElse(null));
            st.setString(7, m.runId().orElse(null));
            st.setString(8, m.payload());
            st.setString(9, StoreTime.format(m.createdAt()));
            st.setInt(10, m.attempts());
            st.setString(11, StoreTime.format(m.nextAttemptAt()));
            st.setString(12, m.lastError().orElse(null));
            st.setString(13, m.deliveredAt().map(StoreTime::format).orElse(null));
            st.setString(14, m.failedAt().map(StoreTime::format).orElse(null));
            st.setString(15, m.messageId().orElse(null));
            return st.executeUpdate() == 1;
        }
    }

    static Optional<OutboxMessage> find(Connection c, String id) throws SQLException {
        try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_outbox WHERE id = ?")) {
            st.setString(1, id);
            return list(st.executeQuery()).stream().findFirst();
        }
    }

    static Optional<OutboxMessage> findByDedupKey(Connection c, String key) throws SQLException {
        try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_outbox WHERE dedup_key = ?")) {
            st.setString(1, key);
            return list(st.executeQuery()).stream().findFirst();
        }
    }

    /** @return true when this call moved the message to delivered (false: it was already delivered or given up) */
    static boolean markDelivered(Connection c, String id, Instant at, Optional<String> messageId) throws SQLException {
        return update(c, "UPDATE notification_outbox SET attempts = attempts + 1, delivered_at = ?, message_id = ?, "
                + "last_error = NULL, claimed_by = NULL, claimed_until = NULL WHERE id = ? AND " + OPEN,
                StoreTime.format(at), messageId.orElse(null), id) == 1;
    }

    static boolean markAttemptFailed(Connection c, String id, String error, Instant nextAttemptAt) throws SQLException {
        return update(c, "UPDATE notification_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
                + "claimed_by = NULL, claimed_until = NULL WHERE id = ? AND " + OPEN,
                error, StoreTime.format(nextAttemptAt), id) == 1;
    }

    /** @return true when this call gave the message up (false: it was already delivered or given up) */
    static boolean markGivenUp(Connection c, String id, String error, Instant at) throws SQLException {
        return update(c, "UPDATE notification_outbox SET attempts = attempts + 1, last_error = ?, failed_at = ?, "
                + "claimed_by = NULL, claimed_until = NULL WHERE id = ? AND " + OPEN,
                error, StoreTime.format(at), id) == 1;
    }

    private static int update(Connection c, String sql, String... args) throws SQLException {
        try (var st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setString(i + 1, args[i]);
            }
            return st.executeUpdate();
        }
    }

    private static List<OutboxMessage> list(ResultSet resultSet) throws SQLException {
        try (var rs = resultSet) {
            var out = new ArrayList<OutboxMessage>();
            while (rs.next()) {
                out.add(message(rs));
            }
            return out;
        }
    }

    private static OutboxMessage message(ResultSet rs) throws SQLException {
        return new OutboxMessage(rs.getString("id"), Optional.ofNullable(rs.getString("dedup_key")), rs.getString("kind"),
                rs.getString("audience"), rs.getString("channel"),
                Optional.ofNullable(rs.getString("cluster")).map(ClusterName::new),
                Optional.ofNullable(rs.getString("run_id")), rs.getString("payload"),
                StoreTime.parse(rs.getString("created_at")), rs.getInt("attempts"),
                StoreTime.parse(rs.getString("next_attempt_at")), Optional.ofNullable(rs.getString("last_error")),
                Optional.ofNullable(StoreTime.parse(rs.getString("delivered_at"))),
                Optional.ofNullable(StoreTime.parse(rs.getString("failed_at"))),
                Optional.ofNullable(rs.getString("message_id")));
    }
}
