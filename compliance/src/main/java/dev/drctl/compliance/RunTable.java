package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NodeName;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code run_record} table: the current state of every failover, switchover and drill, so a restarted
 * daemon finds an unfinished run. The journal holds the history; this holds the latest version.
 */
public final class RunTable {
    private static final String COLUMNS = "run_id, kind, cluster, status, actor, drill, old_primary, new_primary, epoch, "
            + "started_at, detected_at, confirmed_at, promoted_at, dns_at, first_write_at, finished_at, rto_millis, "
            + "rpo_millis, rpo_bytes, data_loss_accepted, summary";

    private final StoreConnection store;

    RunTable(StoreConnection store) {
        this.store = store;
    }

    /** Inserts or replaces the run; durable when it returns. */
    public void save(RunRecord run) {
        store.write("run record save", c -> {
            try (var st = c.prepareStatement("INSERT INTO run_record (" + COLUMNS + ") VALUES "
                    + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET "
                    + "kind = excluded.kind, cluster = excluded.cluster, status = excluded.status, actor = excluded.actor, "
                    + "drill = excluded.drill, old_primary = excluded.old_primary, new_primary = excluded.new_primary, "
                    + "epoch = excluded.epoch, started_at = excluded.started_at, detected_at = excluded.detected_at, "
                    + "confirmed_at = excluded.confirmed_at, promoted_at = excluded.promoted_at, dns_at = excluded.dns_at, "
                    + "first_write_at = excluded.first_write_at, finished_at = excluded.finished_at, "
                    + "rto_millis = excluded.rto_millis, rpo_millis = excluded.rpo_millis, rpo_bytes = excluded.rpo_bytes, "
                    + "data_loss_accepted = excluded.data_loss_accepted, summary = excluded.summary")) {
                int i = 1;
                st.setString(i++, run.runId());
                st.setString(i++, run.kind().name());
                st.setString(i++, run.cluster().value());
                st.setString(i++, run.status().name());
                st.setString(i++, run.actor().value());
                st.setString(i++, run.drill().orElse(null));
                st.setString(i++, run.oldPrimary().map(NodeName::value).orElse(null));
                st.setString(i++, run.newPrimary().map(NodeName::value).orElse(null));
                setLong(st, i++, run.epoch().orElse(null));
                st.setString(i++, StoreTime.format(run.startedAt()));
                st.setString(i++, run.detectedAt().map(StoreTime::format).orElse(null));
                st.setString(i++, run.confirmedAt().map(StoreTime::format).orElse(null));
                st.setString(i++, run.promotedAt().map(StoreTime::format).orElse(null));
                st.setString(i++, run.dnsAt().map(StoreTime::format).orElse(null));
                st.setString(i++, run.firstWriteAt().map(StoreTime::format).orElse(null));
                st.setString(i++, run.finishedAt().map(StoreTime::format).orElse(null));
                setLong(st, i++, run.rto().map(Duration::toMillis).orElse(null));
                setLong(st, i++, run.rpo().map(Duration::toMillis).orElse(null));
                setLong(st, i++, run.rpoBytes().orElse(null));
                st.setBoolean(i++, run.dataLossAccepted());
                st.setString(i, run.summary());
                st.executeUpdate();
            }
            return null;
        });
    }

    public Optional<RunRecord> find(String runId) {
        return store.read("run record read", c -> {
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM run_record WHERE run_id = ?")) {
                st.setString(1, runId);
                try (var rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(run(rs)) : Optional.<RunRecord>empty();
                }
            }
        });
    }

    /** Runs of a cluster still marked RUNNING: after a restart, these are resumed or rolled forward. */
    public List<RunRecord> unfinished(ClusterName cluster) {
        return store.read("run record read", c -> {
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM run_record WHERE cluster = ? AND status = ? "
                    + "ORDER BY started_at")) {
                st.setString(1, cluster.value());
                st.setString(2, RunStatus.RUNNING.name());
                var out = new ArrayList<RunRecord>();
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(run(rs));
                    }
                }
                return out;
            }
        });
    }

    /**
     * The newest run of {@code kind} on {@code cluster} that ended SUCCEEDED, by when it finished (its start when it
     * records no end): e.g. the last successful drill, which {@code compliance.targets.drill-every} is measured from.
     */
    public Optional<RunRecord> lastSucceeded(ClusterName cluster, RunKind kind) {
        return store.read("run record read", c -> {
            try (var st = c.prepareStatement("SELECT " + COLUMNS + " FROM run_record WHERE cluster = ? AND kind = ? "
                    + "AND status = ? ORDER BY COALESCE(finished_at, started_at) DESC LIMIT 1")) {
                st.setString(1, cluster.value());
                st.setString(2, kind.name());
                st.setString(3, RunStatus.SUCCEEDED.name());
                try (var rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(run(rs)) : Optional.<RunRecord>empty();
                }
            }
        });
    }

    private static void setLong(PreparedStatement st, int index, Long value) throws SQLException {
        if (value == null) {
            st.setNull(index, Types.BIGINT);
        } else {
            st.setLong(index, value);
        }
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(StoreTime.parse(rs.getString(column)));
    }

    private static Optional<Long> longValue(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    private static RunRecord run(ResultSet rs) throws SQLException {
        return new RunRecord(rs.getString("run_id"), RunKind.valueOf(rs.getString("kind")),
                new ClusterName(rs.getString("cluster")), RunStatus.valueOf(rs.getString("status")),
                new Actor(rs.getString("actor")), Optional.ofNullable(rs.getString("drill")),
                Optional.ofNullable(rs.getString("old_primary")).map(NodeName::new),
                Optional.ofNullable(rs.getString("new_primary")).map(NodeName::new), longValue(rs, "epoch"),
                StoreTime.parse(rs.getString("started_at")), instant(rs, "detected_at"), instant(rs, "confirmed_at"),
                instant(rs, "promoted_at"), instant(rs, "dns_at"), instant(rs, "first_write_at"),
                instant(rs, "finished_at"), longValue(rs, "rto_millis").map(Duration::ofMillis),
                longValue(rs, "rpo_millis").map(Duration::ofMillis), longValue(rs, "rpo_bytes"),
                rs.getBoolean("data_loss_accepted"), rs.getString("summary"));
    }
}
