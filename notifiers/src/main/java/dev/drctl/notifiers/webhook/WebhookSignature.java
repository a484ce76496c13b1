package dev.drctl.notifiers.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Drctl-Signature} header: {@code sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the
 * webhook's secret>}. A receiver recomputes it over the body it got and compares in constant time
 * ({@link #verify}), as with GitHub's {@code X-Hub-Signature-256}.
 */
public final class WebhookSignature {
    public static final String HEADER = "X-Drctl-Signature";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    public static String sign(String secret, byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // HmacSHA256 is required of every JDK, and any byte string is a valid HMAC key
            throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
        }
    }

    /** Constant-time check of a received header value. */
    public static boolean verify(String secret, byte[] body, String header) {
        if (header == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(secret, body).getBytes(StandardCharsets.US_ASCII),
                header.strip().getBytes(StandardCharsets.US_ASCII));
    }
}
