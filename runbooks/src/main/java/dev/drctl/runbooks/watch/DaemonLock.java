package dev.drctl.runbooks.watch;

import dev.drctl.runbooks.ActorLock;
import dev.drctl.topology.ClusterName;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One daemon per state store: held for the daemon's whole life, so a second {@code drctl run} on the same store
 * refuses to start instead of watching (and acting on) the same clusters. The same mechanism as the per-cluster
 * one-actor lock ({@link ActorLock}: a file lock next to a SQLite store, a session advisory lock in a PostgreSQL
 * store), under a name no cluster can have; released by the OS or the server when the holder dies.
 */
public final class DaemonLock {
    /** The lock's name: '@' is not allowed in a cluster name, so it never meets a cluster's lock. */
    static final ClusterName NAME = new ClusterName("@daemon");

    private DaemonLock() {
    }

    /**
     * @param actor who asks, e.g. {@code daemon:db-admin-1:4242}; a refused second daemon is told this of the first
     */
    public static ActorLock.Attempt tryAcquire(String storeUrl, String actor, Instant now) {
        return ActorLock.tryAcquire(storeUrl, NAME, new ActorLock.Holder(actor,
                OptionalLong.of(ProcessHandle.current().pid()), Optional.empty(), Optional.of(now),
                OptionalLong.empty()));
    }
}
