-- drctl state store, schema 7 (issue 13): the highest fencing token seen per cluster when several daemons are
-- coordinated through ZooKeeper. A token is the creation zxid of the leader's latch node, so a newer leadership term
-- always carries a larger one. Every acting step checks its term's token against this row and records it in the same
-- transaction as the step's intent; a token older than the one recorded is refused before the step can start, so a
-- daemon that lost its leadership without noticing cannot act after its successor has.
CREATE TABLE leadership_token (
    cluster      VARCHAR(200)  NOT NULL,
    token        BIGINT        NOT NULL,
    holder       VARCHAR(200)  NOT NULL,
    recorded_at  VARCHAR(32)   NOT NULL,
    CONSTRAINT leadership_token_pk PRIMARY KEY (cluster)
);
