-- drctl state store, schema 6: what the daemon (drctl run) knows of each cluster, for drctl status. One row per
-- cluster, overwritten as the daemon's view changes; status shows it only while it is fresh (a dead daemon's view
-- is stale, and says so by its age).
CREATE TABLE daemon_view (
    cluster     VARCHAR(200)  NOT NULL,
    daemon      VARCHAR(300)  NOT NULL,
    mode        VARCHAR(20)   NOT NULL,
    verdict     VARCHAR(40)   NOT NULL,
    summary     TEXT          NOT NULL,
    running     TEXT,
    updated_at  VARCHAR(32)   NOT NULL,
    CONSTRAINT daemon_view_pk PRIMARY KEY (cluster)
);
