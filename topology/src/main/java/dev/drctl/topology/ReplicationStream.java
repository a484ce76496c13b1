package dev.drctl.topology;

import java.util.Objects;
import java.util.Optional;

/**
 * A replica's replication stream from its upstream, as the replica itself reports it
 * (PostgreSQL {@code pg_stat_wal_receiver}; MySQL/MariaDB replica status).
 *
 * @param receiving    the stream that fetches changes is connected (WAL receiver streaming; IO thread running)
 * @param applying     changes are being applied (replay not paused; SQL thread running)
 * @param upstreamHost the host the replica streams from, when it says
 * @param upstreamPort the port the replica streams from, when it says
 * @param lastError    the replication error the server reports, if any
 */
public record ReplicationStream(boolean receiving, boolean applying, Optional<String> upstreamHost,
                                Optional<Integer> upstreamPort, Optional<String> lastError) {
    public ReplicationStream {
        Objects.requireNonNull(upstreamHost, "upstreamHost");
        Objects.requireNonNull(upstreamPort, "upstreamPort");
        Objects.requireNonNull(lastError, "lastError");
    }
}
