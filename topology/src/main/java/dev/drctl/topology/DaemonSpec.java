package dev.drctl.topology;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where {@code drctl run} serves {@code /health} and {@code /metrics} (top-level {@code daemon:}).
 *
 * @param host  the address to bind: loopback by default; any other needs a token
 * @param port  the TCP port; 0 takes a free one (tests)
 * @param token the bearer token every request must carry; required when {@code host} is not a loopback address
 */
public record DaemonSpec(String host, int port, Optional<SecretRef> token) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9187;
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    public DaemonSpec {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(token, "token");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 0-65535");
        }
    }

    public static DaemonSpec defaults() {
        return new DaemonSpec(DEFAULT_HOST, DEFAULT_PORT, Optional.empty());
    }

    /**
     * True for an address only this machine can reach (127.0.0.0/8, ::1, localhost), told from its spelling alone:
     * no name is resolved, so a name that happens to resolve to loopback still needs a token.
     */
    public boolean loopback() {
        var h = host.toLowerCase(Locale.ROOT);
        return IPV4_LOOPBACK.matcher(h).matches() || h.equals("::1") || h.equals("[::1]") || h.equals("localhost");
    }

    /** {@code 127.0.0.1:9187}, {@code [::1]:9187}. */
    public String listen() {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
