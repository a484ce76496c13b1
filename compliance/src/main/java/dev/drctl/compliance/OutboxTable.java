package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code notification_outbox} table. Producers {@link #enqueue} (durable before the failover step
 * continues); the notifier's sender takes {@link #due} messages, and records each attempt.
 */
public final class OutboxTable {
    private static final String COLUMNS = "id, dedup_key, kind, audience, channel, cluster, run_id, payload, created_at, "
            + "attempts, next_attempt_at, last_error, delivered_at, failed_at, message_id";

    private final StoreConnection store;

    OutboxTable(StoreConnection store) {
        this.store = store;
    }

    /** @return false when a message with the same dedup key is already in the outbox (nothing written) */
    public boolean enqueue(OutboxMessage m) {
        return store.write("outbox enqueue", c -> {
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
        });
    }

    /** Undelivered, not given up, and due at {@code now}; oldest first. */
    public List<OutboxMessage> due(Instant now, int limit) {
        return store.read("outbox read", c -> {
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_outbox WHERE delivered_at IS NULL "
                    + "AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at")) {
                st.setString(1, StoreTime.format(now));
                st.setMaxRows(limit);
                var out = new ArrayList<OutboxMessage>();
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(message(rs));
                    }
                }
                return out;
            }
        });
    }

    public Optional<OutboxMessage> find(String id) {
        return store.read("outbox read", c -> {
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_outbox WHERE id = ?")) {
                st.setString(1, id);
                try (var rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(message(rs)) : Optional.<OutboxMessage>empty();
                }
            }
        });
    }

    public void markDelivered(String id, Instant at, Optional<String> messageId) {
        update("UPDATE notification_outbox SET attempts = attempts + 1, delivered_at = ?, message_id = ?, last_error = NULL "
                + "WHERE id = ?", StoreTime.format(at), messageId.orElse(null), id);
    }

    /** One attempt failed; try again at {@code nextAttemptAt}. */
    public void markAttemptFailed(String id, String error, Instant nextAttemptAt) {
        update("UPDATE notification_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                error, StoreTime.format(nextAttemptAt), id);
    }

    /** Delivery given up (e.g. the recipient was rejected permanently). */
    public void markGivenUp(String id, String error, Instant at) {
        update("UPDATE notification_outbox SET attempts = attempts + 1, last_error = ?, failed_at = ? WHERE id = ?",
                error, StoreTime.format(at), id);
    }

    private void update(String sql, String... args) {
        store.write("outbox update", c -> {
            try (var st = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    st.setString(i + 1, args[i]);
                }
                return st.executeUpdate();
            }
        });
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
