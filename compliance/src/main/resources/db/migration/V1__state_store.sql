-- drctl state store, schema 1. Portable between SQLite and PostgreSQL: plain types, no vendor DDL.
-- Instants are fixed-width UTC text (yyyy-MM-ddTHH:mm:ss.SSSSSSZ): they sort and compare as strings
-- on both vendors, and the journal hashes them exactly as stored.

-- The audit journal (safety rule 7): append-only, each entry's hash chained to the previous one.
CREATE TABLE journal_entry (
    seq        BIGINT        NOT NULL,
    at         VARCHAR(32)   NOT NULL,
    cluster    VARCHAR(200),
    node       VARCHAR(200),
    actor      VARCHAR(200)  NOT NULL,
    kind       VARCHAR(40)   NOT NULL,
    run_id     VARCHAR(100),
    epoch      BIGINT,
    payload    TEXT          NOT NULL,
    prev_hash  VARCHAR(64)   NOT NULL,
    hash       VARCHAR(64)   NOT NULL,
    CONSTRAINT journal_entry_pk PRIMARY KEY (seq),
    -- backstops: two writers that both read the same head cannot both link to it
    CONSTRAINT journal_entry_prev_hash_uq UNIQUE (prev_hash),
    CONSTRAINT journal_entry_hash_uq UNIQUE (hash)
);
CREATE INDEX journal_entry_at_ix ON journal_entry (at);
CREATE INDEX journal_entry_run_ix ON journal_entry (run_id);

-- The chain head: a single row every append locks, so appends from several processes are serialised.
-- It also lets verification notice entries cut off the end of the chain.
CREATE TABLE journal_head (
    id    INTEGER      NOT NULL,
    seq   BIGINT       NOT NULL,
    hash  VARCHAR(64)  NOT NULL,
    CONSTRAINT journal_head_pk PRIMARY KEY (id),
    CONSTRAINT journal_head_single CHECK (id = 1)
);
INSERT INTO journal_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Where the chain restarts after a retention purge. id is the seq of the PURGE_CHECKPOINT journal
-- entry that announced the purge, so the checkpoint is itself hashed into the remaining chain.
CREATE TABLE journal_checkpoint (
    id                   BIGINT        NOT NULL,
    purged_through_seq   BIGINT        NOT NULL,
    purged_through_hash  VARCHAR(64)   NOT NULL,
    purged_count         BIGINT        NOT NULL,
    purged_before        VARCHAR(32)   NOT NULL,
    at                   VARCHAR(32)   NOT NULL,
    actor                VARCHAR(200)  NOT NULL,
    CONSTRAINT journal_checkpoint_pk PRIMARY KEY (id)
);

-- Failover, switchover and drill runs with the instants RTO and RPO are measured from.
CREATE TABLE run_record (
    run_id              VARCHAR(100)  NOT NULL,
    kind                VARCHAR(20)   NOT NULL,
    cluster             VARCHAR(200)  NOT NULL,
    status              VARCHAR(20)   NOT NULL,
    actor               VARCHAR(200)  NOT NULL,
    drill               VARCHAR(200),
    old_primary         VARCHAR(200),
    new_primary         VARCHAR(200),
    epoch               BIGINT,
    started_at          VARCHAR(32)   NOT NULL,
    detected_at         VARCHAR(32),
    confirmed_at        VARCHAR(32),
    promoted_at         VARCHAR(32),
    dns_at              VARCHAR(32),
    first_write_at      VARCHAR(32),
    finished_at         VARCHAR(32),
    rto_millis          BIGINT,
    rpo_millis          BIGINT,
    rpo_bytes           BIGINT,
    data_loss_accepted  BOOLEAN       NOT NULL,
    summary             TEXT          NOT NULL,
    CONSTRAINT run_record_pk PRIMARY KEY (run_id)
);
CREATE INDEX run_record_cluster_ix ON run_record (cluster, started_at);

-- The durable notification outbox (safety rule 9): written in the same store as the journal,
-- delivered by the notifier with retries until delivered_at (or failed_at after giving up) is set.
CREATE TABLE notification_outbox (
    id               VARCHAR(64)   NOT NULL,
    dedup_key        VARCHAR(300),
    kind             VARCHAR(60)   NOT NULL,
    audience         VARCHAR(60)   NOT NULL,
    channel          VARCHAR(60)   NOT NULL,
    cluster          VARCHAR(200),
    run_id           VARCHAR(100),
    payload          TEXT          NOT NULL,
    created_at       VARCHAR(32)   NOT NULL,
    attempts         INTEGER       NOT NULL,
    next_attempt_at  VARCHAR(32)   NOT NULL,
    last_error       TEXT,
    delivered_at     VARCHAR(32),
    failed_at        VARCHAR(32),
    message_id       VARCHAR(300),
    CONSTRAINT notification_outbox_pk PRIMARY KEY (id),
    CONSTRAINT notification_outbox_dedup_uq UNIQUE (dedup_key)
);
CREATE INDEX notification_outbox_due_ix ON notification_outbox (delivered_at, failed_at, next_attempt_at);

-- Per-cluster state that must survive a restart: the fencing epoch, the last failover (cooldown,
-- safety rule 6) and the run in progress (resumed after a crash). version guards lost updates.
CREATE TABLE cluster_state (
    cluster           VARCHAR(200)  NOT NULL,
    epoch             BIGINT        NOT NULL,
    last_failover_at  VARCHAR(32),
    active_run_id     VARCHAR(100),
    updated_at        VARCHAR(32)   NOT NULL,
    version           BIGINT        NOT NULL,
    CONSTRAINT cluster_state_pk PRIMARY KEY (cluster)
);
