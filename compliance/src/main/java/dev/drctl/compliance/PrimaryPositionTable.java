package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code primary_position} and {@code primary_failure} tables: per cluster, the writable primary's positions as
 * the probe rounds saw them (bounded: the newest {@value #KEPT} rows) and the first failed probe of the last known
 * primary after it was last seen writable. Written once per probe round by whatever probes (commands, runbooks, the
 * daemon), read by {@link StateStore#memory} for a decision taken without watching.
 */
public final class PrimaryPositionTable {
    /** Rows kept per cluster; see V3__primary_positions.sql for why this many. */
    static final int KEPT = 500;

    private final StoreConnection store;

    PrimaryPositionTable(StoreConnection store) {
        this.store = store;
    }

    /** What a round added to the store. */
    public enum Recorded {
        /** A new row: the writable primary at a position not seen before. */
        NEW_POSITION,
        /** The writable primary still at its latest recorded position: only when it was last seen moved. */
        SAME_POSITION,
        /** The last known primary failed its probe; the first such failure since it was last seen writable. */
        FIRST_FAILURE,
        /** Nothing: no single writable primary with a position, and no failure of the last known one to start. */
        NOTHING
    }

    /**
     * One sighting of the writable primary.
     *
     * @param firstSeenAt when a round first saw it at this position
     * @param lastSeenAt  when a round last saw it at this position
     */
    public record Sighting(NodeName node, DataPosition position, Instant firstSeenAt, Instant lastSeenAt) {
        public Sighting {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(firstSeenAt, "firstSeenAt");
            Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        }
    }

    /** The first failed probe of {@code node}, the last known primary, after it was last seen writable. */
    public record Failure(NodeName node, Instant firstFailedAt, FailureKind kind) {
        public Failure {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(firstFailedAt, "firstFailedAt");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * Records one probe round of {@code cluster} (one observation per node; a node missing from the round says
     * nothing). Exactly one writable primary with a position: its position (a new row, or the latest row's
     * last-seen time moved) and any recorded failure cleared. Otherwise, when the last known primary's probe failed:
     * that failure, unless one is already recorded. Two writable primaries record no position: which one holds the
     * cluster's data is not for the store to guess. One write transaction; none when nothing is to be written.
     */
    public Recorded record(ClusterName cluster, Collection<NodeObservation> round) {
        var writable = round.stream()
                .filter(o -> o.outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.PRIMARY && r.writable()
                        && r.received().or(r::applied).isPresent())
                .toList();
        if (writable.size() == 1) {
            var o = writable.getFirst();
            var r = (ProbeOutcome.Reached) o.outcome();
            var position = r.received().or(r::applied).orElseThrow();
            return store.write("primary position record", c -> sighting(c, cluster, o.node(), position,
                    StoreTime.truncate(o.at())));
        }
        if (!writable.isEmpty()) {
            return Recorded.NOTHING;
        }
        var last = latest(cluster);
        if (last.isEmpty()) {
            return Recorded.NOTHING;
        }
        var primary = last.get().node();
        var failed = round.stream().filter(o -> o.node().equals(primary) && o.outcome() instanceof ProbeOutcome.Failed)
                .findFirst();
        if (failed.isEmpty() || !failed.get().at().isAfter(last.get().lastSeenAt())) {
            return Recorded.NOTHING;
        }
        var f = (ProbeOutcome.Failed) failed.get().outcome();
        return store.write("primary failure record", c -> firstFailure(c, cluster, primary,
                StoreTime.truncate(failed.get().at()), f.kind()));
    }

    private static Recorded sighting(Connection c, ClusterName cluster, NodeName node, DataPosition position, Instant at)
            throws SQLException {
        var stored = Stored.of(position);
        try (var st = c.prepareStatement("DELETE FROM primary_failure WHERE cluster = ?")) {
            st.setString(1, cluster.value());
            st.executeUpdate();
        }
        String firstSeen = null;
        try (var st = c.prepareStatement("SELECT first_seen_at, node, kind, timeline, position FROM primary_position"
                + " WHERE cluster = ? ORDER BY last_seen_at DESC, first_seen_at DESC LIMIT 1")) {
            st.setString(1, cluster.value());
            try (var rs = st.executeQuery()) {
                if (rs.next() && rs.getString(2).equals(node.value()) && stored.equals(Stored.read(rs, 3))) {
                    firstSeen = rs.getString(1);
                }
            }
        }
        if (firstSeen != null) {
            try (var st = c.prepareStatement("UPDATE primary_position SET last_seen_at = ? WHERE cluster = ?"
                    + " AND first_seen_at = ? AND node = ? AND last_seen_at < ?")) {
                st.setString(1, StoreTime.format(at));
                st.setString(2, cluster.value());
                st.setString(3, firstSeen);
                st.setString(4, node.value());
                st.setString(5, StoreTime.format(at));
                st.executeUpdate();
            }
            return Recorded.SAME_POSITION;
        }
        try (var st = c.prepareStatement("INSERT INTO primary_position (cluster, first_seen_at, last_seen_at, node, kind,"
                + " timeline, position) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cluster, first_seen_at, node) DO NOTHING")) {
            st.setString(1, cluster.value());
            st.setString(2, StoreTime.format(at));
            st.setString(3, StoreTime.format(at));
            st.setString(4, node.value());
            st.setString(5, stored.kind());
            if (stored.timeline() == null) {
                st.setNull(6, Types.INTEGER);
            } else {
                st.setInt(6, stored.timeline());
            }
            st.setString(7, stored.text());
            st.executeUpdate();
        }
        // The bound: everything older than the KEPT-th newest row of the cluster goes.
        try (var st = c.prepareStatement("DELETE FROM primary_position WHERE cluster = ? AND last_seen_at < ("
                + "SELECT last_seen_at FROM primary_position WHERE cluster = ? ORDER BY last_seen_at DESC"
                + " LIMIT 1 OFFSET " + (KEPT - 1) + ")")) {
            st.setString(1, cluster.value());
            st.setString(2, cluster.value());
            st.executeUpdate();
        }
        return Recorded.NEW_POSITION;
    }

    private static Recorded firstFailure(Connection c, ClusterName cluster, NodeName node, Instant at, FailureKind kind)
            throws SQLException {
        try (var st = c.prepareStatement("DELETE FROM primary_failure WHERE cluster = ? AND node <> ?")) {
            st.setString(1, cluster.value());
            st.setString(2, node.value());
            st.executeUpdate();
        }
        try (var st = c.prepareStatement("INSERT INTO primary_failure (cluster, node, first_failed_at, failure_kind)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (cluster) DO NOTHING")) {
            st.setString(1, cluster.value());
            st.setString(2, node.value());
            st.setString(3, StoreTime.format(at));
            st.setString(4, kind.name());
            return st.executeUpdate() == 1 ? Recorded.FIRST_FAILURE : Recorded.NOTHING;
        }
    }

    /** The newest sighting of the cluster's writable primary. */
    public Optional<Sighting> latest(ClusterName cluster) {
        var rows = sightings(cluster, 1);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    /** The cluster's sightings, newest first, at most {@code limit}. */
    public List<Sighting> sightings(ClusterName cluster, int limit) {
        return store.read("primary position read", c -> {
            try (var st = c.prepareStatement("SELECT first_seen_at, last_seen_at, node, kind, timeline, position"
                    + " FROM primary_position WHERE cluster = ? ORDER BY last_seen_at DESC, first_seen_at DESC LIMIT ?")) {
                st.setString(1, cluster.value());
                st.setInt(2, limit);
                var out = new ArrayList<Sighting>();
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        // A kind this drctl does not know (written by a newer one) is skipped, never misread.
                        var position = Stored.read(rs, 4).position();
                        if (position.isPresent()) {
                            out.add(new Sighting(new NodeName(rs.getString(3)), position.get(),
                                    StoreTime.parse(rs.getString(1)), StoreTime.parse(rs.getString(2))));
                        }
                    }
                }
                return out;
            }
        });
    }

    /** The recorded first failure of the last known primary, if its outage is under way. */
    public Optional<Failure> failure(ClusterName cluster) {
        return store.read("primary failure read", c -> {
            try (var st = c.prepareStatement("SELECT node, first_failed_at, failure_kind FROM primary_failure"
                    + " WHERE cluster = ?")) {
                st.setString(1, cluster.value());
                try (var rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Failure>empty();
                    }
                    var kind = kind(rs.getString(3));
                    return Optional.of(new Failure(new NodeName(rs.getString(1)), StoreTime.parse(rs.getString(2)), kind));
                }
            }
        });
    }

    private static FailureKind kind(String name) {
        for (var k : FailureKind.values()) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return FailureKind.OTHER;
    }

    /** A position as stored: its kind, the timeline for a WAL position, and the server's text. */
    private record Stored(String kind, Integer timeline, String text) {
        static final String PG_LSN = "PG_LSN";
        static final String MYSQL_GTID = "MYSQL_GTID";
        static final String MARIADB_GTID = "MARIADB_GTID";

        static Stored of(DataPosition p) {
            return switch (p) {
                case DataPosition.PgLsn l -> new Stored(PG_LSN, l.timeline(),
                        Long.toHexString(l.lsn() >>> 32).toUpperCase() + "/" + Long.toHexString(l.lsn() & 0xFFFFFFFFL).toUpperCase());
                case DataPosition.MysqlGtidSet g -> new Stored(MYSQL_GTID, null, g.executed());
                case DataPosition.MariadbGtidPos g -> new Stored(MARIADB_GTID, null, g.position());
            };
        }

        static Stored read(ResultSet rs, int firstColumn) throws SQLException {
            var kind = rs.getString(firstColumn);
            int tl = rs.getInt(firstColumn + 1);
            var timeline = rs.wasNull() ? null : tl;
            return new Stored(kind, timeline, rs.getString(firstColumn + 2));
        }

        Optional<DataPosition> position() {
            return switch (kind) {
                case PG_LSN -> timeline == null ? Optional.empty()
                        : Optional.of(DataPosition.PgLsn.parse(timeline, text));
                case MYSQL_GTID -> Optional.of(new DataPosition.MysqlGtidSet(text));
                case MARIADB_GTID -> Optional.of(new DataPosition.MariadbGtidPos(text));
                default -> Optional.empty();
            };
        }
    }
}
