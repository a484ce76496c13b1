package dev.drctl.compliance;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A journal head noted outside the store (the daily compliance digest, a failover message, an auditor's notebook):
 * {@code drctl audit verify --expect-head} proves the journal still extends it.
 *
 * @param seq  the entry's position when known ({@code SEQ:HASH}); without it the entry is found by its hash
 * @param hash the entry's 64 hex digit chain hash
 */
public record HeadAnchor(Optional<Long> seq, String hash) {
    private static final Pattern FORM = Pattern.compile("(?:#?(\\d{1,18})[:\\s]\\s*)?([0-9a-fA-F]{64})");

    /** What {@link #parse} accepts, for error messages. */
    public static final String EXPECTED = "SEQ:HASH (e.g. 1042:3f2a…, as the compliance digest prints it) or the "
            + "64 hex digit HASH alone";

    public HeadAnchor {
        Objects.requireNonNull(seq, "seq");
        Objects.requireNonNull(hash, "hash");
    }

    /** {@code SEQ:HASH}, {@code #SEQ HASH} or {@code HASH}; empty when {@code text} is none of these. */
    public static Optional<HeadAnchor> parse(String text) {
        var m = FORM.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        var seq = Optional.ofNullable(m.group(1)).map(Long::parseLong);
        if (seq.isPresent() && seq.get() < 1) {
            return Optional.empty();
        }
        return Optional.of(new HeadAnchor(seq, m.group(2).toLowerCase(Locale.ROOT)));
    }

    /** The hash shortened for a sentence; the full value is in the JSON output. */
    String shortHash() {
        return hash.substring(0, 16) + "…";
    }

    @Override
    public String toString() {
        return seq.map(s -> s + ":").orElse("") + hash;
    }
}
