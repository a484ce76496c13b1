package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import java.util.Optional;

/** The {@code daemon_view} table: the daemon's latest view of each cluster, one row per cluster. */
public final class DaemonViewTable {
    private final StoreConnection store;

    DaemonViewTable(StoreConnection store) {
        this.store = store;
    }

    /** Writes the daemon's view of {@code view.cluster()}, replacing the previous one. */
    public void save(DaemonClusterView view) {
        store.write("daemon view save", c -> {
            try (var st = c.prepareStatement("INSERT INTO daemon_view (cluster, daemon, mode, verdict, summary, running,"
                    + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cluster) DO UPDATE SET daemon ="
                    + " excluded.daemon, mode = excluded.mode, verdict = excluded.verdict, summary = excluded.summary,"
                    + " running = excluded.running, updated_at = excluded.updated_at")) {
                st.setString(1, view.cluster().value());
                st.setString(2, view.daemon());
                st.setString(3, view.mode());
                st.setString(4, view.verdict());
                st.setString(5, view.summary());
                st.setString(6, view.running().orElse(null));
                st.setString(7, StoreTime.format(view.updatedAt()));
                st.executeUpdate();
            }
            return null;
        });
    }

    /** The daemon's latest view of {@code cluster}, if a daemon ever wrote one. */
    public Optional<DaemonClusterView> of(ClusterName cluster) {
        return store.read("daemon view read", c -> {
            try (var st = c.prepareStatement("SELECT daemon, mode, verdict, summary, running, updated_at FROM daemon_view"
                    + " WHERE cluster = ?")) {
                st.setString(1, cluster.value());
                try (var rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new DaemonClusterView(cluster, rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), Optional.ofNullable(rs.getString(5)), StoreTime.parse(rs.getString(6))));
                }
            }
        });
    }
}
