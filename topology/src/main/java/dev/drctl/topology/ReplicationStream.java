package dev.drctl.topology;

import java.time.Instant;
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
 * @param lastContact  when the replica last heard from its upstream (PostgreSQL {@code last_msg_receipt_time}), when
 *                     the server says; how long ago it stopped receiving, and so whether its loss can be bounded
 */
public record ReplicationStream(boolean receiving, boolean applying, Optional<String> upstreamHost,
                                Optional<Integer> upstreamPort, Optional<String> lastError,
                                Optional<Instant> lastContact) {
    public ReplicationStream {
        Objects.requireNonNull(upstreamHost, "upstreamHost");
        Objects.requireNonNull(upstreamPort, "upstreamPort");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(lastContact, "lastContact");
    }

    /** A stream whose last contact with its upstream is not reported. */
    public ReplicationStream(boolean receiving, boolean applying, Optional<String> upstreamHost,
                             Optional<Integer> upstreamPort, Optional<String> lastError) {
        this(receiving, applying, upstreamHost, upstreamPort, lastError, Optional.empty());
    }
}
