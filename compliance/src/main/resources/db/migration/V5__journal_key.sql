-- drctl state store, schema 5: keyed journal entries (issue 12, tamper evidence beyond the store).
-- chain_key is NULL for an entry whose hash is plain SHA-256 (every entry before this schema), or the id of the
-- key whose HMAC-SHA256 the hash is (compliance.journal-key; the id is derived from the key and reveals nothing of
-- it). A keyed segment starts at a JOURNAL_KEYED entry and never returns to plain entries.
ALTER TABLE journal_entry ADD COLUMN chain_key VARCHAR(64);
