package dev.drctl.promotion;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Promoter#rejoin} may know about the old primary beyond its address.
 *
 * @param local   present only when the old primary's server runs on drctl's own machine and drctl started it (a
 *                testenv topology): then a PostgreSQL rejoin stops it, runs {@code pg_rewind} and starts it again
 *                itself. Absent for every real host: drctl never runs server programs on its own host for a remote
 *                node (DESIGN.md, mistake 5); the PostgreSQL promoter returns the commands for an operator instead.
 *                MySQL/MariaDB rejoin is SQL only and ignores it.
 * @param timeout how long the whole rejoin may take (stop, rewind, start, streaming check)
 */
public record RejoinContext(Optional<LocalServer> local, Duration timeout) {
    public RejoinContext {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** A rejoin of a remote node: SQL where the engine allows, else commands for an operator. */
    public static RejoinContext remote(Duration timeout) {
        return new RejoinContext(Optional.empty(), timeout);
    }

    /**
     * A server on this machine.
     *
     * @param dataDir the data directory ({@code PGDATA})
     * @param binDir  the directory holding {@code pg_ctl} and {@code pg_rewind} of the server's major version
     * @param osUser  the OS account the server runs as (programs are run through {@code runuser -u USER --}); empty
     *                = the current user
     * @param logFile where {@code pg_ctl start} writes the server log
     */
    public record LocalServer(Path dataDir, Path binDir, Optional<String> osUser, Path logFile) {
        public LocalServer {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(binDir, "binDir");
            Objects.requireNonNull(osUser, "osUser");
            Objects.requireNonNull(logFile, "logFile");
        }
    }
}
