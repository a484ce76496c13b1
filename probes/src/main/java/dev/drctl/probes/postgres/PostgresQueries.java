package dev.drctl.probes.postgres;

/**
 * The SQL a PostgreSQL probe runs (PostgreSQL 13 and later). Every statement is read-only and needs
 * only the {@code pg_monitor} role (or superuser) to see the WAL receiver's sender host and port.
 */
final class PostgresQueries {
    private PostgresQueries() {
    }

    /** Recovery state, version and read-only settings, in one round trip. */
    static final String STATE = """
            SELECT pg_is_in_recovery(),
                   current_setting('server_version'),
                   current_setting('default_transaction_read_only'),
                   current_setting('transaction_read_only')""";

    /**
     * A primary's WAL write position and its timeline. The timeline is read from the name of the
     * current WAL segment, not from {@code pg_control_checkpoint()}: right after a promotion the last
     * checkpoint still names the old timeline until the next checkpoint completes.
     */
    static final String PRIMARY_POSITION = """
            SELECT pg_current_wal_lsn()::text,
                   ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int""";

    /**
     * A replica's held and replayed positions, the bytes between them, the replay delay, and
     * whether replay is paused. The held position is the greater of the received and the replayed one: a replica
     * that replayed WAL it found in its own {@code pg_wal} (after {@code pg_rewind}, or a restart) holds it though its
     * receiver, started at the segment's beginning, has not streamed it (yet, or ever, on an idle primary). The delay
     * is reported as zero when everything received is replayed: {@code now() - pg_last_xact_replay_timestamp()}
     * keeps growing on a replica of an idle primary, which would otherwise look like a replica falling behind.
     */
    static final String REPLICA_POSITION = """
            SELECT GREATEST(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text,
                   pg_last_wal_replay_lsn()::text,
                   pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint,
                   CASE WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
                        ELSE (extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint END,
                   pg_is_wal_replay_paused(),
                   (SELECT timeline_id FROM pg_control_checkpoint())""";

    /**
     * The replica's WAL receiver: at most one row; none when no stream is configured or the receiver process is
     * not running (it exits when its upstream goes away and is restarted every {@code wal_retrieve_retry_interval}).
     * {@code last_msg_receipt_time} is when the replica last heard from its upstream: how long ago a replica whose
     * stream broke stopped receiving, which decides whether its data loss can be bounded.
     */
    static final String WAL_RECEIVER = """
            SELECT status, received_tli, sender_host, sender_port, last_msg_receipt_time
              FROM pg_stat_wal_receiver""";

    /**
     * The newest timeline a replica holds WAL of: the timeline of its highest-named segment file in {@code pg_wal}
     * (segment names begin with the timeline). When the WAL receiver has exited (its upstream died), this is the only
     * current source: {@code pg_control_checkpoint()} still names the timeline of the last restartpoint, which lags a
     * timeline switch the replica already followed. Needs {@code pg_monitor} (or superuser); NULL when no segment.
     */
    static final String NEWEST_WAL_TIMELINE = """
            SELECT ('x' || substr(max(name), 1, 8))::bit(32)::int
              FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$'""";
}
