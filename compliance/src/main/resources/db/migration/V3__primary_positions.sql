-- drctl state store, schema 3: what drctl saw of each cluster's primary, so a decision taken later (a one-shot
-- command after the primary died, a daemon just started) knows the primary's last position and when its outage
-- began (safety rule 3: a loss that cannot be bounded is refused).

-- The writable primary's positions, one row per (node, position) seen, newest last_seen_at last. A round that sees
-- the same node at the same position only moves last_seen_at, so an idle primary costs one row. Bounded: each
-- insert keeps the newest 500 rows of its cluster (at one probe a second and a busy primary, about 8 minutes of
-- history; far more when idle). Only the newest row is needed to decide; the rest is for the humans reading it.
CREATE TABLE primary_position (
    cluster         VARCHAR(200)  NOT NULL,
    first_seen_at   VARCHAR(32)   NOT NULL,
    last_seen_at    VARCHAR(32)   NOT NULL,
    node            VARCHAR(200)  NOT NULL,
    kind            VARCHAR(20)   NOT NULL,
    timeline        INTEGER,
    position        TEXT          NOT NULL,
    CONSTRAINT primary_position_pk PRIMARY KEY (cluster, first_seen_at, node)
);
CREATE INDEX primary_position_latest_ix ON primary_position (cluster, last_seen_at);

-- The first failed probe of the last known primary after it was last seen writable: the start of the outage as
-- drctl knows it. One row per cluster at most; removed when a writable primary is seen again.
CREATE TABLE primary_failure (
    cluster          VARCHAR(200)  NOT NULL,
    node             VARCHAR(200)  NOT NULL,
    first_failed_at  VARCHAR(32)   NOT NULL,
    failure_kind     VARCHAR(20)   NOT NULL,
    CONSTRAINT primary_failure_pk PRIMARY KEY (cluster)
);
