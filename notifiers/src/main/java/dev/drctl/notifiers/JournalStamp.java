package dev.drctl.notifiers;

import java.util.Objects;

/**
 * The journal entry written in the same commit as a notification: every message shows it, so a reader can
 * find the event in the audit record ({@code drctl audit export}) and check it was not altered.
 */
public record JournalStamp(long seq, String hash) {
    public JournalStamp {
        Objects.requireNonNull(hash, "hash");
    }

    /** The first 16 hex digits, enough to search for and short enough to read aloud. */
    public String shortHash() {
        return hash.length() <= 16 ? hash : hash.substring(0, 16);
    }
}
