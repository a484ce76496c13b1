package dev.drctl.topology;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Several daemons coordinated through ZooKeeper (config {@code coordination:}, issue 13). Absent: one daemon, the
 * store's one-actor lock alone (single-daemon mode).
 *
 * @param servers        the ensemble as {@code host:port} entries, in the order written
 * @param namespace      the ZooKeeper path under which every drctl node lives (one per drctl installation)
 * @param sessionTimeout how long ZooKeeper keeps a silent daemon's session (and so its leadership) alive; a daemon
 *                       stops acting sooner than that (see docs/ha.md)
 */
public record CoordinationSpec(List<String> servers, String namespace, Duration sessionTimeout) {
    public static final String DEFAULT_NAMESPACE = "drctl";
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** ZooKeeper's own floor (2 ticks of its default 2 s tick is 4 s); below it the server raises the timeout anyway. */
    public static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(4);
    public static final Duration MAX_SESSION_TIMEOUT = Duration.ofSeconds(40);

    public CoordinationSpec {
        servers = List.copyOf(servers);
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("coordination needs at least one ZooKeeper server");
        }
    }

    /** The connect string Curator takes: {@code zk1:2181,zk2:2181,zk3:2181}. */
    public String connectString() {
        return String.join(",", servers);
    }
}
