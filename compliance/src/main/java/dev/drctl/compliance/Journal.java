package dev.drctl.compliance;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The audit journal: append-only, hash-chained, shared by every process that uses the same store.
 *
 * <p>Contract: {@link #append} returns only after the entry is committed and durable, so a caller may
 * announce an action with it and then act (write-ahead, safety rule 7). Appends from any number of threads
 * and processes form one linear chain. If the store cannot be written, append throws a
 * {@link dev.drctl.topology.DrctlException} ({@link ComplianceErrorCode#STORE_FAILED}, exit 1) and the
 * announced action must not start. Retrying a failed append is safe: a failed append wrote nothing,
 * except when the connection broke during the commit itself, where a retry may record the entry twice
 * (duplicates are visible and the chain stays intact; a gap would not be).
 */
public interface Journal {

    /** Appends one entry and returns it as written (seq, time, hashes). */
    JournalEntry append(JournalDraft draft);

    /** Entries matching the query, in chain order. */
    List<JournalEntry> entries(JournalQuery query);

    /** The newest entry of {@code kind}. */
    default Optional<JournalEntry> latest(JournalKind kind) {
        var all = entries(JournalQuery.all().kinds(Set.of(kind)));
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** The chain head as the store records it. */
    Head head();

    /** The last entry's seq and hash: what an auditor anchors outside the store (0 and 64 zeros when empty). */
    record Head(long seq, String hash) {
        public Head {
            Objects.requireNonNull(hash, "hash");
        }

        /** {@code SEQ:HASH}, as {@code drctl audit verify --expect-head} reads it. */
        @Override
        public String toString() {
            return seq + ":" + hash;
        }
    }
}
