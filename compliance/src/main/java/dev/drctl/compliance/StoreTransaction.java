package dev.drctl.compliance;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * One write transaction on the state store, handed to the work given to {@link StateStore#atomically}:
 * journal appends and outbox changes made through it commit together or not at all, so an event and the
 * notification that tells people about it are durable in the same step (safety rules 7 and 9).
 *
 * <p>The work may run more than once (when another writer held the lock, the transaction is rolled back and
 * retried), so it must not act on the world; it only reads and writes through this object.
 */
public final class StoreTransaction {
    private final Connection connection;
    private final JdbcJournal journal;

    private StoreTransaction(Connection connection, JdbcJournal journal) {
        this.connection = connection;
        this.journal = journal;
    }

    static <T> T run(StoreConnection store, JdbcJournal journal, String what, Function<StoreTransaction, T> work) {
        return store.write(what, c -> {
            try {
                return work.apply(new StoreTransaction(c, journal));
            } catch (Failed e) {
                throw e.sql;
            }
        });
    }

    /** Appends to the journal; the entry is part of this transaction (same secret check as {@link Journal#append}). */
    public JournalEntry append(JournalDraft draft) {
        var payload = PayloadCodec.canonical(draft.payload());
        journal.refuseSecrets(draft, payload);
        return sql(() -> journal.appendIn(connection, draft, payload));
    }

    /**
     * Checks {@code token} against the newest recorded for {@code cluster} and records it when it is not older, as
     * part of this transaction: a step's intent appended in the same transaction commits only with an accepted token.
     * The caller must not append anything after a {@link LeadershipToken.Check.Stale} (throw to roll back, or return).
     */
    public LeadershipToken.Check checkLeadership(dev.drctl.topology.ClusterName cluster, LeadershipToken token) {
        return sql(() -> LeadershipTokenTable.checkAndRecord(connection, cluster, token, journal.now()));
    }

    /** @return false when a message with the same dedup key is already in the outbox (nothing written) */
    public boolean enqueue(OutboxMessage message) {
        return sql(() -> OutboxTable.insert(connection, message));
    }

    public Optional<OutboxMessage> outboxMessage(String id) {
        return sql(() -> OutboxTable.find(connection, id));
    }

    public Optional<OutboxMessage> outboxMessageByDedupKey(String dedupKey) {
        return sql(() -> OutboxTable.findByDedupKey(connection, dedupKey));
    }

    /** @return true when this call marked it delivered; false when it was already delivered or given up */
    public boolean markDelivered(String id, Instant at, Optional<String> messageId) {
        return sql(() -> OutboxTable.markDelivered(connection, id, at, messageId));
    }

    /** @return false when the message is no longer open (delivered or given up meanwhile) */
    public boolean markAttemptFailed(String id, String error, Instant nextAttemptAt) {
        return sql(() -> OutboxTable.markAttemptFailed(connection, id, error, nextAttemptAt));
    }

    /** @return true when this call gave it up; false when it was already delivered or given up */
    public boolean markGivenUp(String id, String error, Instant at) {
        return sql(() -> OutboxTable.markGivenUp(connection, id, error, at));
    }

    @FunctionalInterface
    private interface Statement<T> {
        T run() throws SQLException;
    }

    private static <T> T sql(Statement<T> statement) {
        try {
            return statement.run();
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    /** Carries an SQLException through the caller's function back to the retry logic of the store connection. */
    private static final class Failed extends RuntimeException {
        private final SQLException sql;

        Failed(SQLException cause) {
            super(cause);
            this.sql = cause;
        }
    }
}
