package dev.drctl.cli.daemon;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Every request must carry {@code Authorization: Bearer TOKEN}; anything else is answered 401. The comparison takes
 * the same time wherever the first wrong byte is, so the token cannot be guessed byte by byte from response times.
 * The token is held only here; {@link #toString()} never shows it.
 */
final class BearerToken extends Authenticator {
    private static final String PREFIX = "Bearer ";
    private final byte[] expected;

    BearerToken(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("empty bearer token");
        }
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Result authenticate(HttpExchange exchange) {
        var header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                && MessageDigest.isEqual(expected, header.substring(PREFIX.length()).strip().getBytes(StandardCharsets.UTF_8))) {
            return new Success(new HttpPrincipal("drctl", "drctl"));
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"drctl\"");
        return new Failure(401);
    }

    @Override
    public String toString() {
        return "BearerToken[***]";
    }
}
