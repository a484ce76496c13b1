package dev.drctl.runbooks;

import dev.drctl.topology.ClusterName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one-actor lock of a cluster (safety rule 5): held for the whole of a failover or switchover, so a second
 * {@code drctl failover} of the same cluster, in this process or another, is refused instead of racing the first.
 * Released by {@link #close()} and, when the holder dies, by the operating system (file lock) or the server (a
 * PostgreSQL session lock): a crash never leaves a cluster locked.
 *
 * <p>With the SQLite store the lock is a {@code FileChannel.tryLock} on {@code <store>.<cluster>.lock} next to the
 * store file, which protects every drctl on this host; with a PostgreSQL store it is a session advisory lock in that
 * database, which protects every drctl sharing it.
 *
 * <p>A lock can be lost while its holder lives: the PostgreSQL session is ended (server restart, network cut,
 * {@code pg_terminate_backend}), the lock file is deleted or replaced. The engine asks {@link #check()} before every
 * step and stops the run at the first {@link Check.Lost}: a step already running is not interrupted (stopping it
 * half-way is the riskier choice), but no further step starts without the lock.
 */
public interface ActorLock extends AutoCloseable {

    /** Where the lock lives, for messages. */
    String description();

    /**
     * Whether this process still holds the lock, found out now with a bounded, cheap look (a query on the lock's own
     * session, the lock file's content). Never throws: a look that fails is a {@link Check.Lost}.
     */
    Check check();

    @Override
    void close();

    /** What {@link #check()} found. */
    sealed interface Check {
        record Held() implements Check {
        }

        /** @param reason what was found, e.g. the error the lock's session answered with */
        record Lost(String reason) implements Check {
            public Lost {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /**
     * Who holds, or asks for, the lock, as far as can be told: written into the lock (the file, the session's
     * {@code application_name}) so a refused second actor can name the first.
     *
     * @param actor who acts, e.g. {@code user:alice}
     * @param pid   the holder's operating-system process id
     * @param from  where it runs, when the lock can tell (the client address of its store session)
     * @param since when it took the lock (or opened the session that holds it)
     * @param session the PostgreSQL backend pid of the session holding an advisory lock
     */
    record Holder(String actor, OptionalLong pid, Optional<String> from, Optional<Instant> since,
                  OptionalLong session) {
        public Holder {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(session, "session");
        }

        /** This process, acting as {@code actor} from {@code since}. */
        static Holder self(String actor, Instant since) {
            return new Holder(actor, OptionalLong.of(ProcessHandle.current().pid()), Optional.empty(),
                    Optional.of(since), OptionalLong.empty());
        }

        /** A holder the lock could not name (a lock file written by hand, a session without our application name). */
        static Holder unknown() {
            return new Holder("another drctl", OptionalLong.empty(), Optional.empty(), Optional.empty(),
                    OptionalLong.empty());
        }

        /** E.g. {@code user:alice (pid 4242, from 10.0.0.5, since 2026-11-28T07:40:00Z, store session 9811)}. */
        public String describe() {
            var parts = new ArrayList<String>();
            pid.ifPresent(p -> parts.add("pid " + p));
            from.ifPresent(f -> parts.add("from " + f));
            since.ifPresent(s -> parts.add("since " + s));
            session.ifPresent(s -> parts.add("store session " + s));
            return parts.isEmpty() ? actor : actor + " (" + String.join(", ", parts) + ")";
        }
    }

    /** The outcome of trying to take the lock: never waits. */
    sealed interface Attempt {
        record Held(ActorLock lock) implements Attempt {
            public Held {
                Objects.requireNonNull(lock, "lock");
            }
        }

        /** @param where the lock, for messages; @param holder who holds it, as far as can be told */
        record Busy(String where, Holder holder) implements Attempt {
            public Busy {
                Objects.requireNonNull(where, "where");
                Objects.requireNonNull(holder, "holder");
            }
        }
    }

    /**
     * Tries to take the lock of {@code cluster} for the store at {@code storeUrl}.
     *
     * @param self written into the lock so a refused second actor can say who holds it
     */
    static Attempt tryAcquire(String storeUrl, ClusterName cluster, Holder self) {
        if (storeUrl.startsWith("jdbc:postgresql:")) {
            return PostgresActorLock.tryAcquire(storeUrl, cluster, self);
        }
        return FileActorLock.tryAcquire(FileActorLock.fileFor(storeUrl, cluster), self);
    }

    /** The lock file used for {@code cluster} with a SQLite store at {@code storeUrl}. */
    static Path lockFile(String storeUrl, ClusterName cluster) {
        return FileActorLock.fileFor(storeUrl, cluster);
    }
}
