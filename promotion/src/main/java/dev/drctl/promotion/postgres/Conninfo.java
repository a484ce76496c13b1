package dev.drctl.promotion.postgres;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A libpq connection string ({@code key=value key='quoted value'}) as an ordered map: parsed from
 * {@code primary_conninfo}, changed, rendered back. Pure; {@link #toString()} hides the password.
 */
record Conninfo(Map<String, String> values) {
    Conninfo {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Parses libpq's keyword/value form: whitespace around {@code =} allowed, values single-quoted with
     * {@code \'} and {@code \\} escapes when they hold spaces or quotes.
     *
     * @throws IllegalArgumentException on an unterminated quote or a keyword without {@code =}
     */
    static Conninfo parse(String text) {
        var values = new LinkedHashMap<String, String>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            var key = text.substring(keyStart, i);
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n || text.charAt(i) != '=') {
                throw new IllegalArgumentException("conninfo keyword '" + key + "' has no '='");
            }
            i++;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            var value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("conninfo value of '" + key + "' has no closing quote");
                }
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else {
                        value.append(c);
                    }
                }
            }
            values.put(key, value.toString());
        }
        return new Conninfo(values);
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    Conninfo with(String key, String value) {
        var copy = new LinkedHashMap<>(values);
        copy.put(key, Objects.requireNonNull(value, key));
        return new Conninfo(copy);
    }

    Conninfo without(String key) {
        var copy = new LinkedHashMap<>(values);
        copy.remove(key);
        return new Conninfo(copy);
    }

    /** The connection string libpq reads back into the same map. */
    String render() {
        var sb = new StringBuilder();
        for (var e : values.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(e.getKey()).append('=').append(quote(e.getValue()));
        }
        return sb.toString();
    }

    /** The connection string with the password shown as {@code ***}: safe for details, facts and logs. */
    String redacted() {
        return values.containsKey("password") ? with("password", "***").render() : render();
    }

    private static String quote(String value) {
        boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '\\');
        if (plain) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public String toString() {
        return redacted();
    }
}
