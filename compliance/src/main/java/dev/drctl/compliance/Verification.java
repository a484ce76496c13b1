package dev.drctl.compliance;

import java.util.Optional;

/** The result of walking the journal's hash chain. */
public sealed interface Verification {

    /** One sentence for people: what was checked and what was found. */
    String summary();

    /**
     * Every entry from the checkpoint (or the start) to the head hashes correctly and links to the previous one.
     *
     * @param entries  how many entries were checked
     * @param headSeq  0 when the journal is empty
     * @param headHash the hash of the last entry; an auditor can note it and compare it later
     */
    record Intact(long entries, long headSeq, String headHash, Optional<JournalCheckpoint> checkpoint)
            implements Verification {
        @Override
        public String summary() {
            return "journal intact: " + entries + " entries" + checkpoint.map(c -> " after the purge checkpoint at seq "
                    + c.purgedThroughSeq()).orElse(" from the first") + ", head seq " + headSeq + ", head hash " + headHash;
        }
    }

    /** The first entry at which the chain does not hold, and why. */
    record Broken(long seq, Breach breach, String detail, long intactBefore) implements Verification {
        @Override
        public String summary() {
            return "journal broken at entry " + seq + " (" + breach.describe() + "): " + detail;
        }
    }

    enum Breach {
        CONTENT_EDITED("content edited"),
        ENTRIES_MISSING("entries deleted"),
        REORDERED("entries reordered"),
        LINK_BROKEN("entry deleted or replaced"),
        TAIL_MISSING("entries deleted from the end"),
        HEAD_MISMATCH("chain head altered"),
        CHECKPOINT_MISMATCH("purge checkpoint altered");

        private final String description;

        Breach(String description) {
            this.description = description;
        }

        public String describe() {
            return description;
        }
    }
}
