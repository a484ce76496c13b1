package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import java.util.Locale;

/** Where a local PostgreSQL topology takes its server programs from. */
public enum PostgresBinarySource {
    /** The installed ones ({@code /usr/lib/postgresql/<major>/bin}); missing ones are an error. */
    INSTALLED,
    /** zonky's PostgreSQL build from Maven Central ({@link EmbeddedPostgres}), even when binaries are installed. */
    EMBEDDED,
    /** The installed ones when there are any, else the embedded ones: what a fresh machine with only a JDK needs. */
    AUTO;

    /** The environment variable that picks the source for the CLI ({@code installed}, {@code embedded}, {@code auto}). */
    public static final String ENV = "DRCTL_POSTGRES_BINARIES";

    /**
     * Parses {@code installed}, {@code embedded} or {@code auto} (any case).
     *
     * @param where what the text came from, for the message (an option or {@link #ENV})
     */
    public static PostgresBinarySource parse(String text, String where) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST, where + ": '" + text
                    + "' is not a PostgreSQL binary source; use installed, embedded or auto");
        }
    }
}
