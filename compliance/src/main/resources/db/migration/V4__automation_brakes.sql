-- drctl state store, schema 4: the brakes on automation (issue 12). What a person said about a cluster's automation
-- lives here, in the store, so every drctl process (the daemon, a command, a second daemon on a shared store) sees the
-- same thing; each change is journaled in the same commit.

-- Maintenance mode: while a row exists, nothing is automated on the cluster (a human may still act by hand).
CREATE TABLE cluster_maintenance (
    cluster  VARCHAR(200)  NOT NULL,
    reason   TEXT          NOT NULL,
    actor    VARCHAR(200)  NOT NULL,
    since    VARCHAR(32)   NOT NULL,
    CONSTRAINT cluster_maintenance_pk PRIMARY KEY (cluster)
);

-- The latest `drctl ack` of a cluster: a cooldown whose failover is older than acked_at is over (safety rule 6
-- cleared early by a person). One row per cluster; the journal keeps every ack.
CREATE TABLE cooldown_ack (
    cluster   VARCHAR(200)  NOT NULL,
    acked_at  VARCHAR(32)   NOT NULL,
    actor     VARCHAR(200)  NOT NULL,
    reason    TEXT,
    CONSTRAINT cooldown_ack_pk PRIMARY KEY (cluster)
);

-- The circuit breaker counts automatic failovers started in a window across all clusters.
CREATE INDEX run_record_kind_started_ix ON run_record (kind, started_at);
