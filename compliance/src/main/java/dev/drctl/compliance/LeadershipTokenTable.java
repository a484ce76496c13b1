package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code leadership_token} table: the highest fencing token seen per cluster (issue 13). The check and the record
 * are one conditional upsert, so two daemons offering tokens at once cannot both win with the older one; inside
 * {@link StoreTransaction#checkLeadership} it commits with the step's intent or not at all.
 */
public final class LeadershipTokenTable {
    private final StoreConnection store;
    private final Clock clock;

    LeadershipTokenTable(StoreConnection store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The newest token recorded for {@code cluster}, if any daemon ever acted on it under coordination. */
    public Optional<Recorded> newest(ClusterName cluster) {
        return store.read("leadership token read", c -> find(c, cluster));
    }

    /** Checks {@code token} and records it when it is not older than the newest, in a transaction of its own. */
    public LeadershipToken.Check checkAndRecord(ClusterName cluster, LeadershipToken token) {
        return store.write("leadership token check", c -> checkAndRecord(c, cluster, token, Instant.now(clock)));
    }

    /** @param at when the token was recorded */
    public record Recorded(LeadershipToken token, Instant at) {
    }

    static LeadershipToken.Check checkAndRecord(Connection c, ClusterName cluster, LeadershipToken token, Instant now)
            throws SQLException {
        int updated;
        // Equal is accepted: the same term records its token on every step.
        try (var st = c.prepareStatement("INSERT INTO leadership_token (cluster, token, holder, recorded_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (cluster) DO UPDATE SET token = excluded.token, "
                + "holder = excluded.holder, recorded_at = excluded.recorded_at "
                + "WHERE leadership_token.token <= excluded.token")) {
            st.setString(1, cluster.value());
            st.setLong(2, token.value());
            st.setString(3, token.holder());
            st.setString(4, StoreTime.format(now));
            updated = st.executeUpdate();
        }
        if (updated == 1) {
            return new LeadershipToken.Check.Accepted(token);
        }
        var newest = find(c, cluster).orElseThrow(() -> new SQLException("leadership_token of " + cluster
                + " neither accepted the token nor holds one"));
        return new LeadershipToken.Check.Stale(token, newest.token(), newest.at());
    }

    private static Optional<Recorded> find(Connection c, ClusterName cluster) throws SQLException {
        try (var st = c.prepareStatement("SELECT token, holder, recorded_at FROM leadership_token WHERE cluster = ?")) {
            st.setString(1, cluster.value());
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Recorded(new LeadershipToken(rs.getLong(1), rs.getString(2)),
                        StoreTime.parse(rs.getString(3))));
            }
        }
    }
}
