package dev.drctl.topology;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Several daemons coordinated through ZooKeeper (config {@code coordination:}, issue 13). Absent: one daemon, the
 * store's one-actor lock alone (single-daemon mode).
 *
 * @param servers        the ensemble as {@code host:port} entries, in the order written
 * @param namespace      the ZooKeeper path under which every drctl node lives (one per drctl installation)
 * @param sessionTimeout how long ZooKeeper keeps a silent daemon's session (and so its leadership) alive; a daemon
 *                       stops acting sooner than that (see docs/ha.md)
 * @param daemonId       this daemon's name among the daemons ({@code daemon-id}); empty: the host name and a hash of
 *                       the state store's URL, stable across restarts (see docs/ha.md)
 */
public record CoordinationSpec(List<String> servers, String namespace, Duration sessionTimeout,
                               Optional<String> daemonId) {
    /** What a daemon id may be: it names a ZooKeeper node and appears in the journal. */
    public static final Pattern DAEMON_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._@-]{0,99}");
    public static final String DEFAULT_NAMESPACE = "drctl";
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** ZooKeeper's own floor (2 ticks of its default 2 s tick is 4 s); below it the server raises the timeout anyway. */
    public static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(4);
    public static final Duration MAX_SESSION_TIMEOUT = Duration.ofSeconds(40);

    public CoordinationSpec {
        servers = List.copyOf(servers);
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(daemonId, "daemonId");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("coordination needs at least one ZooKeeper server");
        }
        daemonId.ifPresent(id -> {
            if (!DAEMON_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("daemon id \"" + id + "\": " + DAEMON_ID_EXPECTED);
            }
        });
    }

    /** The ensemble and namespace, with the default daemon id. */
    public CoordinationSpec(List<String> servers, String namespace, Duration sessionTimeout) {
        this(servers, namespace, sessionTimeout, Optional.empty());
    }

    /** What {@link #DAEMON_ID} expects, in words. */
    public static final String DAEMON_ID_EXPECTED = "expected a letter or digit, then letters, digits, ':', '.', '_', "
            + "'@' or '-' (at most 100 in all), e.g. mum-1";

    /** This spec with {@code id} as the daemon id (the {@code --daemon-id} of {@code drctl run}). */
    public CoordinationSpec withDaemonId(String id) {
        return new CoordinationSpec(servers, namespace, sessionTimeout, Optional.of(id));
    }

    /** The connect string Curator takes: {@code zk1:2181,zk2:2181,zk3:2181}. */
    public String connectString() {
        return String.join(",", servers);
    }
}
