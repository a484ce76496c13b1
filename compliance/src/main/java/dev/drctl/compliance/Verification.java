package dev.drctl.compliance;

import java.util.Optional;

/** The result of walking the journal's hash chain. */
public sealed interface Verification {

    /** One sentence for people: what was checked and what was found. */
    String summary();

    /**
     * Every entry from the checkpoint (or the start) to the head hashes correctly and links to the previous one.
     *
     * @param entries   how many entries were checked
     * @param headSeq   0 when the journal is empty
     * @param headHash  the hash of the last entry; an auditor can note it and compare it later
     * @param keyedFrom the first keyed entry checked with the key, when the journal is keyed
     * @param anchor    the anchored head the journal was shown to extend, when one was given
     */
    record Intact(long entries, long headSeq, String headHash, Optional<JournalCheckpoint> checkpoint,
                  Optional<Long> keyedFrom, Optional<AnchoredAt> anchor) implements Verification {
        public Intact(long entries, long headSeq, String headHash, Optional<JournalCheckpoint> checkpoint) {
            this(entries, headSeq, headHash, checkpoint, Optional.empty(), Optional.empty());
        }

        @Override
        public String summary() {
            return "journal intact: " + entries + " entries" + checkpoint.map(c -> " after the purge checkpoint at seq "
                    + c.purgedThroughSeq()).orElse(" from the first") + ", head seq " + headSeq + ", head hash " + headHash
                    + keyedFrom.map(k -> "; keyed from entry " + k + " (HMACs checked with compliance.journal-key)")
                    .orElse("")
                    + anchor.map(a -> "; it extends the anchored head, entry " + a.seq() + " (" + a.via() + ")")
                    .orElse("");
        }
    }

    /**
     * Where an anchored head was found.
     *
     * @param via "in the chain" or "the purge checkpoint": an anchor at the last purged entry is proven by the
     *            checkpoint, which the chain signs
     */
    record AnchoredAt(long seq, String hash, String via) {
    }

    /** The first entry at which the chain does not hold, and why. */
    record Broken(long seq, Breach breach, String detail, long intactBefore) implements Verification {
        @Override
        public String summary() {
            return "journal broken at entry " + seq + " (" + breach.describe() + "): " + detail;
        }
    }

    /**
     * The chain could not be checked as asked: keyed entries and no key (or another key) to check their HMACs. Not a
     * pass (exit 2: configure the key), and not proof of tampering either.
     *
     * @param seq the first keyed entry that could not be checked
     */
    record Unverifiable(long seq, String detail, long intactBefore) implements Verification {
        @Override
        public String summary() {
            return "journal not verified: " + detail;
        }
    }

    enum Breach {
        CONTENT_EDITED("content edited"),
        ENTRIES_MISSING("entries deleted"),
        REORDERED("entries reordered"),
        LINK_BROKEN("entry deleted or replaced"),
        TAIL_MISSING("entries deleted from the end"),
        HEAD_MISMATCH("chain head altered"),
        CHECKPOINT_MISMATCH("purge checkpoint altered"),
        KEYING_ALTERED("keyed chain rewritten without the key"),
        NOT_KEYED("no keyed entry"),
        ANCHOR_MISSING("anchored head missing"),
        ANCHOR_DIFFERS("anchored head rewritten"),
        ANCHOR_BEYOND_END("journal ends before the anchored head"),
        ANCHOR_PURGED("anchored head purged");

        private final String description;

        Breach(String description) {
            this.description = description;
        }

        public String describe() {
            return description;
        }
    }
}
