package dev.drctl.compliance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh, empty store for one test: a SQLite file in a new temporary directory, or a uniquely named
 * database on the machine's PostgreSQL (127.0.0.1:5432, user postgres, trust auth), dropped afterwards.
 */
final class TestStore implements AutoCloseable {
    static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private final StoreKind kind;
    private final String url;
    private final Path directory;
    private final String database;

    private TestStore(StoreKind kind, String url, Path directory, String database) {
        this.kind = kind;
        this.url = url;
        this.directory = directory;
        this.database = database;
    }

    static TestStore fresh(StoreKind kind) {
        try {
            return switch (kind) {
                case SQLITE -> {
                    var dir = Files.createTempDirectory("drctl-store-");
                    yield new TestStore(kind, "jdbc:sqlite:" + dir.resolve("drctl.db"), dir, null);
                }
                case POSTGRESQL -> {
                    var db = "drctl_test_" + UUID.randomUUID().toString().replace("-", "");
                    try (var c = DriverManager.getConnection(PG_ADMIN_URL); var st = c.createStatement()) {
                        st.execute("CREATE DATABASE " + db);
                    }
                    yield new TestStore(kind, "jdbc:postgresql://127.0.0.1:5432/" + db + "?user=postgres", null, db);
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("the machine's PostgreSQL at 127.0.0.1:5432 is needed: " + e.getMessage(), e);
        }
    }

    StoreKind kind() {
        return kind;
    }

    String url() {
        return url;
    }

    StateStore open() {
        return open(Clock.systemUTC(), Set.of());
    }

    StateStore open(Clock clock, Set<String> secrets) {
        return StateStore.open(url, clock, secrets, List.of(StateStore.MIGRATIONS));
    }

    /** The store opened with a journal key (compliance.journal-key). */
    StateStore open(Clock clock, JournalKey key) {
        return StateStore.open(url, clock, Set.of(), List.of(StateStore.MIGRATIONS), java.util.Optional.of(key));
    }

    /** A raw connection for tampering and assertions, bypassing drctl. */
    java.sql.Connection raw() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Override
    public void close() throws Exception {
        switch (kind) {
            case SQLITE -> {
                try (Stream<Path> files = Files.walk(directory)) {
                    for (var p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            case POSTGRESQL -> {
                try (var c = DriverManager.getConnection(PG_ADMIN_URL); var st = c.createStatement()) {
                    st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
            }
        }
    }
}
