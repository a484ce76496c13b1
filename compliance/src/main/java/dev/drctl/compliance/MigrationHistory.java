package dev.drctl.compliance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The cheap answer to "is the store's schema exactly what this drctl carries?", asked before Flyway is started:
 * configuring Flyway and reading its migration info costs a one-shot command a few hundred milliseconds (hundreds of
 * classes, a classpath scan), every time, for a schema that is almost always current.
 *
 * <p>The answer is yes only when Flyway's history table lists every versioned migration carried under
 * {@code db/migration} (same version, script and checksum, each successful) and nothing else. Anything else — a
 * fresh store, a pending or failed migration, an edited script, a schema migrated by a newer drctl, a baseline, a
 * repeatable migration, migrations in more than one place — is left to Flyway, which migrates, validates or refuses
 * exactly as before. So this check can only save time, never let a store through that Flyway would stop.
 */
final class MigrationHistory {
    /** Where the migrations live on the class path; the {@link StateStore#MIGRATIONS} location. */
    static final String DIRECTORY = "db/migration/";
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__(.+)\\.sql");

    /** One versioned migration: Flyway's version, the script's file name, and Flyway's checksum of it. */
    record Migration(MigrationVersion version, String script, int checksum) {
    }

    private MigrationHistory() {
    }

    /**
     * The schema version when the store's history is exactly the carried migrations, all applied; empty when Flyway
     * must look (including when the history cannot be read: Flyway then reports why).
     */
    static Optional<MigrationVersion> current(StoreConnection store, ClassLoader loader) {
        var carried = carried(loader);
        if (carried.isEmpty() || carried.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            var applied = store.read("reading the schema history", MigrationHistory::applied);
            if (applied.isEmpty() || !applied.get().equals(new HashSet<>(carried.get()))) {
                return Optional.empty();
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return carried.get().stream().map(Migration::version).max(MigrationVersion::compareTo);
    }

    /**
     * The successful versioned migrations in Flyway's history table; empty when the table is missing or holds any
     * other row (a failed migration, a baseline, a schema marker, a repeatable migration).
     */
    private static Optional<Set<Migration>> applied(Connection c) throws SQLException {
        var out = new HashSet<Migration>();
        try (var st = c.createStatement();
             var rs = st.executeQuery("SELECT version, script, checksum, type, success FROM flyway_schema_history")) {
            while (rs.next()) {
                var version = rs.getString(1);
                var checksum = rs.getInt(3);
                boolean checksumNull = rs.wasNull();
                if (version == null || checksumNull || !"SQL".equals(rs.getString(4)) || !rs.getBoolean(5)) {
                    return Optional.empty();
                }
                out.add(new Migration(MigrationVersion.fromVersion(version), rs.getString(2), checksum));
            }
        }
        return Optional.of(out);
    }

    /**
     * The versioned migrations under {@code db/migration} on the class path; empty when they cannot all be read, are
     * found in more than one class-path entry, or include a file Flyway would read differently (not {@code V…__….sql}).
     */
    static Optional<List<Migration>> carried(ClassLoader loader) {
        try {
            var roots = loader.getResources(DIRECTORY);
            if (!roots.hasMoreElements()) {
                return Optional.empty();
            }
            var root = roots.nextElement();
            if (roots.hasMoreElements()) {
                return Optional.empty();
            }
            var names = names(root);
            if (names.isEmpty()) {
                return Optional.empty();
            }
            var out = new ArrayList<Migration>();
            for (var name : names.get()) {
                var m = VERSIONED.matcher(name);
                if (!m.matches()) {
                    return Optional.empty();
                }
                try (var in = loader.getResourceAsStream(DIRECTORY + name)) {
                    if (in == null) {
                        return Optional.empty();
                    }
                    out.add(new Migration(MigrationVersion.fromVersion(m.group(1).replace('_', '.')), name,
                            checksum(in)));
                }
            }
            return Optional.of(out);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The file names directly under the directory {@code root} (in a jar or on disk); empty for another kind of URL. */
    private static Optional<List<String>> names(URL root) throws IOException, URISyntaxException {
        switch (root.getProtocol()) {
            case "jar" -> {
                var connection = root.openConnection();
                if (!(connection instanceof JarURLConnection jar)) {
                    return Optional.empty();
                }
                // The class loader already has this jar open; the JDK shares its central directory, so this is a
                // walk over names in memory.
                var prefix = jar.getEntryName();
                var prefixWithSlash = prefix.endsWith("/") ? prefix : prefix + "/";
                var names = new ArrayList<String>();
                var entries = jar.getJarFile().entries();
                while (entries.hasMoreElements()) {
                    var name = entries.nextElement().getName();
                    if (name.startsWith(prefixWithSlash) && name.length() > prefixWithSlash.length()) {
                        var rest = name.substring(prefixWithSlash.length());
                        if (rest.indexOf('/') >= 0) {
                            return Optional.empty(); // a subdirectory: Flyway would scan it, this check does not
                        }
                        names.add(rest);
                    }
                }
                return Optional.of(names);
            }
            case "file" -> {
                var names = new ArrayList<String>();
                try (var files = Files.list(Path.of(root.toURI()))) {
                    for (var p : files.toList()) {
                        if (!Files.isRegularFile(p)) {
                            return Optional.empty();
                        }
                        names.add(p.getFileName().toString());
                    }
                }
                return Optional.of(names);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /**
     * Flyway's checksum of a migration script (its {@code ChecksumCalculator}): CRC-32 over the UTF-8 bytes of each
     * line without its line break, a byte-order mark removed. A test holds this to what Flyway writes.
     */
    static int checksum(InputStream in) throws IOException {
        var crc = new CRC32();
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 4096);
        String line;
        while ((line = reader.readLine()) != null) {
            if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            crc.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return (int) crc.getValue();
    }
}
