package dev.drctl.runbooks;

import dev.drctl.topology.ClusterName;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The one-actor lock of a cluster (safety rule 5): held for the whole of a failover or switchover, so a second
 * {@code drctl failover} of the same cluster, in this process or another, is refused instead of racing the first.
 * Released by {@link #close()} and, when the holder dies, by the operating system (file lock) or the server (a
 * PostgreSQL session lock): a crash never leaves a cluster locked.
 *
 * <p>With the SQLite store the lock is a {@code FileChannel.tryLock} on {@code <store>.<cluster>.lock} next to the
 * store file, which protects every drctl on this host; with a PostgreSQL store it is a session advisory lock in that
 * database, which protects every drctl sharing it.
 */
public interface ActorLock extends AutoCloseable {

    /** Where the lock lives, for messages. */
    String description();

    @Override
    void close();

    /** The outcome of trying to take the lock: never waits. */
    sealed interface Attempt {
        record Held(ActorLock lock) implements Attempt {
            public Held {
                Objects.requireNonNull(lock, "lock");
            }
        }

        /** @param holder who holds it, as far as can be told (pid, host, since) */
        record Busy(String where, String holder) implements Attempt {
            public Busy {
                Objects.requireNonNull(where, "where");
                Objects.requireNonNull(holder, "holder");
            }
        }
    }

    /**
     * Tries to take the lock of {@code cluster} for the store at {@code storeUrl}.
     *
     * @param holder written into the lock (file) so a refused second actor can say who holds it
     */
    static Attempt tryAcquire(String storeUrl, ClusterName cluster, String holder) {
        if (storeUrl.startsWith("jdbc:postgresql:")) {
            return PostgresActorLock.tryAcquire(storeUrl, cluster, holder);
        }
        return FileActorLock.tryAcquire(FileActorLock.fileFor(storeUrl, cluster), holder);
    }

    /** The lock file used for {@code cluster} with a SQLite store at {@code storeUrl}. */
    static Path lockFile(String storeUrl, ClusterName cluster) {
        return FileActorLock.fileFor(storeUrl, cluster);
    }
}
