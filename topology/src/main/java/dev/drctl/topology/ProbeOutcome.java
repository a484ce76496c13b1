package dev.drctl.topology;

import java.util.Objects;
import java.util.Optional;

/** What one probe of one node found. A failure is data, not an exception. */
public sealed interface ProbeOutcome {

    /**
     * The node answered.
     *
     * @param role          what the server says it is
     * @param writable      it accepts writes now (not read-only, not in recovery)
     * @param received      the furthest data it holds (primary: current WAL/GTID; replica: received)
     * @param applied       the data it has applied (replica: replayed/executed; primary: same as received)
     * @param lag           replica apply lag as the replica reports it; {@link Lag#none()} for a primary
     * @param stream        a replica's stream from its upstream; empty on a primary
     * @param serverVersion the server's version string
     */
    record Reached(Role role, boolean writable, Optional<DataPosition> received, Optional<DataPosition> applied,
                   Lag lag, Optional<ReplicationStream> stream, String serverVersion) implements ProbeOutcome {
        public Reached {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(received, "received");
            Objects.requireNonNull(applied, "applied");
            Objects.requireNonNull(lag, "lag");
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(serverVersion, "serverVersion");
        }
    }

    /** The node did not answer, or answered in a way that tells nothing. */
    record Failed(FailureKind kind, String detail) implements ProbeOutcome {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
