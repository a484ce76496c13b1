package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** The {@code cluster_state} table: epoch, last failover and run in progress, per cluster. */
public final class ClusterStateTable {
    private final StoreConnection store;
    private final Clock clock;

    ClusterStateTable(StoreConnection store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The stored state, or {@link ClusterState#initial} for a cluster never written. */
    public ClusterState load(ClusterName cluster) {
        return store.read("cluster state read", c -> {
            try (var st = c.prepareStatement("SELECT epoch, last_failover_at, active_run_id, version FROM cluster_state "
                    + "WHERE cluster = ?")) {
                st.setString(1, cluster.value());
                try (var rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return ClusterState.initial(cluster);
                    }
                    return new ClusterState(cluster, rs.getLong(1), Optional.ofNullable(StoreTime.parse(rs.getString(2))),
                            Optional.ofNullable(rs.getString(3)), rs.getLong(4));
                }
            }
        });
    }

    /**
     * Saves {@code state} if nobody saved since it was loaded (its {@code version} is still current).
     *
     * @return the saved state with its new version, or empty when another writer got there first (reload and decide again)
     */
    public Optional<ClusterState> save(ClusterState state) {
        var now = StoreTime.format(Instant.now(clock));
        return store.write("cluster state save", c -> {
            int updated;
            if (state.version() == 0) {
                try (var st = c.prepareStatement("INSERT INTO cluster_state (cluster, epoch, last_failover_at, active_run_id, "
                        + "updated_at, version) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (cluster) DO NOTHING")) {
                    st.setString(1, state.cluster().value());
                    st.setLong(2, state.epoch());
                    st.setString(3, state.lastFailoverAt().map(StoreTime::format).orElse(null));
                    st.setString(4, state.activeRunId().orElse(null));
                    st.setString(5, now);
                    updated = st.executeUpdate();
                }
            } else {
                try (var st = c.prepareStatement("UPDATE cluster_state SET epoch = ?, last_failover_at = ?, active_run_id = ?, "
                        + "updated_at = ?, version = version + 1 WHERE cluster = ? AND version = ?")) {
                    st.setLong(1, state.epoch());
                    st.setString(2, state.lastFailoverAt().map(StoreTime::format).orElse(null));
                    st.setString(3, state.activeRunId().orElse(null));
                    st.setString(4, now);
                    st.setString(5, state.cluster().value());
                    st.setLong(6, state.version());
                    updated = st.executeUpdate();
                }
            }
            return updated == 1
                    ? Optional.of(new ClusterState(state.cluster(), state.epoch(), state.lastFailoverAt(),
                            state.activeRunId(), state.version() + 1))
                    : Optional.<ClusterState>empty();
        });
    }
}
