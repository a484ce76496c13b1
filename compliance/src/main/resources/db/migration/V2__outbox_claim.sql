-- drctl state store, schema 2: a claim on an outbox row, so two senders (two daemons on a shared
-- PostgreSQL store, or a daemon and a command) never deliver the same message at the same time.
-- A claim expires at claimed_until: a sender that died mid-delivery delays its rows by one lease at most.
ALTER TABLE notification_outbox ADD COLUMN claimed_by VARCHAR(200);
ALTER TABLE notification_outbox ADD COLUMN claimed_until VARCHAR(32);
