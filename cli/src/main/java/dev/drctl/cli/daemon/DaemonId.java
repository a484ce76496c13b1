package dev.drctl.cli.daemon;

import dev.drctl.topology.CoordinationSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A coordinated daemon's id (issue 13): its name among the live daemons, the voter in the observer quorum, the holder
 * of its leadership tokens and the actor of its journal entries ({@code daemon:<id>}). Stable across restarts, so a
 * restarted daemon is the same voter and the journal names the same daemon.
 *
 * @param value e.g. {@code mum-1}, or by default {@code db-mum-3-4f2a9c}
 */
public record DaemonId(String value) {
    public DaemonId {
        Objects.requireNonNull(value, "value");
        if (!CoordinationSpec.DAEMON_ID.matcher(value).matches()) {
            throw new IllegalArgumentException("daemon id \"" + value + "\": " + CoordinationSpec.DAEMON_ID_EXPECTED);
        }
    }

    /** {@code coordination.daemon-id} (or {@code drctl run --daemon-id}) when set, else {@link #byDefault}. */
    public static DaemonId of(CoordinationSpec spec, String storeUrl) {
        return spec.daemonId().map(DaemonId::new).orElseGet(() -> byDefault(hostName(), storeUrl));
    }

    /**
     * The host's name (cut to what an id may hold) and the first 6 hex digits of the SHA-256 of {@code compliance.store}:
     * the same on every start on that host; one daemon per host needs nothing configured.
     */
    public static DaemonId byDefault(String host, String storeUrl) {
        var clean = host.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        if (clean.isEmpty()) {
            clean = "drctl";
        }
        clean = clean.length() > 90 ? clean.substring(0, 90) : clean;
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(storeUrl.getBytes(StandardCharsets.UTF_8));
            return new DaemonId(clean + "-" + HexFormat.of().formatHex(digest, 0, 3));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
