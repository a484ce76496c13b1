package dev.drctl.compliance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The journal's hash: SHA-256 (or, in a keyed journal, HMAC-SHA256 with {@link JournalKey}) over a length-prefixed encoding of the entry's stored fields, so no two
 * different entries encode alike (a field boundary cannot be moved) and a verifier recomputes it from
 * the row alone. Changing this encoding invalidates every existing journal; it carries a version tag.
 */
final class ChainHash {
    static final String GENESIS = "0".repeat(64);
    private static final String VERSION = "drctl-journal-v1";

    private ChainHash() {
    }

    static String of(long seq, String at, String cluster, String node, String actor, String kind, String runId,
                     Long epoch, String payload, String prevHash) {
        return HexFormat.of().formatHex(sha256().digest(canonical(seq, at, cluster, node, actor, kind, runId, epoch,
                payload, prevHash)));
    }

    /** The keyed hash: an HMAC over the same canonical text, which only a holder of the key can compute. */
    static String keyed(JournalKey key, long seq, String at, String cluster, String node, String actor, String kind,
                        String runId, Long epoch, String payload, String prevHash) {
        return HexFormat.of().formatHex(key.mac(canonical(seq, at, cluster, node, actor, kind, runId, epoch, payload,
                prevHash)));
    }

    private static byte[] canonical(long seq, String at, String cluster, String node, String actor, String kind,
                                    String runId, Long epoch, String payload, String prevHash) {
        var text = new StringBuilder(payload.length() + 256).append(VERSION).append('\n');
        field(text, Long.toString(seq));
        field(text, at);
        field(text, cluster);
        field(text, node);
        field(text, actor);
        field(text, kind);
        field(text, runId);
        field(text, epoch == null ? null : Long.toString(epoch));
        field(text, payload);
        field(text, prevHash);
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder text, String value) {
        if (value == null) {
            text.append("-\n");
        } else {
            text.append(value.length()).append(':').append(value).append('\n');
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
