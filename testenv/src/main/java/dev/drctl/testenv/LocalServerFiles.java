package dev.drctl.testenv;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a local node's server lives on this machine: what an operation that runs its programs here needs (a
 * PostgreSQL rejoin with {@code pg_rewind}).
 *
 * @param dataDir  the server's data directory
 * @param programs PostgreSQL's bin directory; for MariaDB the {@code mariadbd} program
 * @param osUser   the OS account the server runs as, empty for the current user
 * @param log      the server's log file
 */
public record LocalServerFiles(Path dataDir, Path programs, Optional<String> osUser, Path log) {
    public LocalServerFiles {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(programs, "programs");
        Objects.requireNonNull(osUser, "osUser");
        Objects.requireNonNull(log, "log");
    }
}
