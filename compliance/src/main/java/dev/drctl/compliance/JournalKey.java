package dev.drctl.compliance;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.SecretRef;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of a keyed journal ({@code compliance.journal-key}): each entry's chain hash becomes an HMAC-SHA256 with it,
 * so someone who can write the store but cannot read the key cannot recompute a chain that verifies. Held in memory
 * only; {@link #toString()} prints {@code ***}. Its {@link #id()} (an HMAC of a fixed label) is stored with each keyed
 * entry so a verifier can tell "another key" from "altered content"; it reveals nothing of the key.
 */
public final class JournalKey {
    /** 32 characters: what {@code openssl rand -hex 16} gives; shorter keys could be guessed from the chain. */
    public static final int MIN_LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final String ID_LABEL = "drctl journal key id v1";

    private final SecretKeySpec key;
    private final String id;
    private final String value;

    private JournalKey(String value) {
        this.value = value;
        this.key = new SecretKeySpec(value.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.id = HexFormat.of().formatHex(mac(ID_LABEL.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    }

    /**
     * Reads the key named by the config now.
     *
     * @throws DrctlException {@link ComplianceErrorCode#JOURNAL_KEY_INVALID} (exit 2) naming the reference, never the
     *                        value, when the file cannot be read or holds fewer than {@value #MIN_LENGTH} characters
     */
    public static Optional<JournalKey> resolve(Optional<SecretRef.File> ref) {
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        String value;
        try {
            value = ref.get().resolve(Map.of());
        } catch (DrctlException e) {
            throw new DrctlException(ComplianceErrorCode.JOURNAL_KEY_INVALID, "compliance.journal-key: "
                    + e.getMessage());
        }
        if (value.length() < MIN_LENGTH) {
            throw new DrctlException(ComplianceErrorCode.JOURNAL_KEY_INVALID, "compliance.journal-key "
                    + ref.get().reference() + ": the key is " + value.length() + " characters, expected at least "
                    + MIN_LENGTH + "; create one with: openssl rand -hex 32 > " + ref.get().path());
        }
        return Optional.of(new JournalKey(value));
    }

    /** For tests: a key from its value. */
    static JournalKey of(String value) {
        if (value.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("a journal key has at least " + MIN_LENGTH + " characters");
        }
        return new JournalKey(value);
    }

    /** 16 hex digits naming this key in the journal (never the key). */
    public String id() {
        return id;
    }

    /** The value, only for the journal's "no secret in a payload" guard. */
    String value() {
        return value;
    }

    byte[] mac(byte[] data) {
        try {
            var mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java runtime provides " + ALGORITHM, e);
        }
    }

    @Override
    public String toString() {
        return "***";
    }
}
