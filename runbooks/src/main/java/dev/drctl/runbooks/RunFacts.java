package dev.drctl.runbooks;

import dev.drctl.topology.NodeName;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a run knows so far, as text: the engine's own facts, then every fact a completed step returned. Text on
 * purpose: the facts are journaled with each outcome, and a resumed run rebuilds them from the journal alone. Never
 * holds a secret.
 */
public record RunFacts(Map<String, String> values) {
    public static final String CLUSTER = "cluster";
    public static final String RUN_ID = "runId";
    /** The actor's fencing token for this run: the cluster_state version its claim produced (rule 5). */
    public static final String FENCING_TOKEN = "fencingToken";
    /** The cluster's epoch when the run claimed it; a promotion raises it to this + 1. */
    public static final String EPOCH_AT_START = "epochAtStart";
    public static final String OLD_PRIMARY = "oldPrimary";
    public static final String NEW_PRIMARY = "newPrimary";
    /** The epoch after the promotion. */
    public static final String EPOCH = "epoch";
    /** When the outage began, as far as drctl knows (the RTO's start). */
    public static final String DETECTED_AT = "detectedAt";
    /**
     * What {@link #DETECTED_AT} comes from: {@code store_first_failure}, {@code replica_last_contact} or
     * {@code first_failed_probe}.
     */
    public static final String DETECTED_BASIS = "detectedBasis";
    /** {@code true} when the primary's death rests on the operator's {@code --former-primary} assertion. */
    public static final String DEATH_ASSERTED = "deathAsserted";
    public static final String CONFIRMED_AT = "confirmedAt";
    public static final String DECIDED_AT = "decidedAt";
    public static final String PROMOTED_AT = "promotedAt";
    public static final String WRITABLE_AT = "writableAt";
    public static final String DNS_AT = "dnsAt";
    public static final String FIRST_WRITE_AT = "firstWriteAt";
    /** Bytes of WAL/binlog the new primary lacked, when measured. */
    public static final String RPO_BYTES = "rpoBytes";
    /** The RPO estimate in words (bytes, transactions, or why it is unknown). */
    public static final String RPO_ESTIMATE = "rpoEstimate";
    public static final String DATA_LOSS_ACCEPTED = "dataLossAccepted";
    /** {@code true} in a dry-run ({@link RunbookEngine#plan}): descriptions say what would be done. */
    public static final String DRY_RUN = "dryRun";
    /** {@code manual} or {@code automatic}. */
    public static final String TRIGGER = "trigger";

    public RunFacts {
        values = Map.copyOf(values);
    }

    public static RunFacts empty() {
        return new RunFacts(Map.of());
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String require(String key) {
        var v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("run fact '" + key + "' is not known yet; known: " + values.keySet());
        }
        return v;
    }

    public Optional<NodeName> node(String key) {
        return get(key).map(NodeName::new);
    }

    public Optional<Instant> instant(String key) {
        return get(key).map(Instant::parse);
    }

    public Optional<Long> number(String key) {
        return get(key).map(Long::parseLong);
    }

    public boolean flag(String key) {
        return get(key).map(Boolean::parseBoolean).orElse(false);
    }

    /** These facts with {@code more} added (a later value replaces an earlier one). */
    public RunFacts with(Map<String, String> more) {
        var m = new LinkedHashMap<>(values);
        m.putAll(more);
        return new RunFacts(m);
    }

    public RunFacts with(String key, String value) {
        return with(Map.of(key, value));
    }

    /** Sorted, for journal payloads and JSON output. */
    public Map<String, String> sorted() {
        return new TreeMap<>(values);
    }
}
