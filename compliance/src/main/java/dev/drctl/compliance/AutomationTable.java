package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What people said about automation, per cluster ({@code cluster_maintenance}, {@code cooldown_ack}), and the
 * automatic failovers the circuit breaker counts ({@code run_record}). Every change is journaled in the same commit
 * as the row it writes, so the journal and the state never disagree.
 */
public final class AutomationTable {
    /** The actor prefix of runs the daemon started by itself ({@link Actor#daemon}). */
    static final String DAEMON_PREFIX = "daemon:";

    private final StoreConnection store;
    private final JdbcJournal journal;

    AutomationTable(StoreConnection store, JdbcJournal journal) {
        this.store = store;
        this.journal = journal;
    }

    /**
     * A failover run the daemon started by itself.
     *
     * @param acted false when it was refused before it acted (ABORTED: it changed nothing)
     */
    public record AutomaticFailover(String runId, ClusterName cluster, Instant startedAt, boolean acted) {
    }

    /**
     * A journaled change and what it changed; {@code changed} is false (and nothing was journaled) when the state
     * already was what was asked.
     */
    public record Change<T>(boolean changed, Optional<T> before, Optional<T> after, Optional<JournalEntry> journaled) {
    }

    public Optional<Maintenance> maintenance(ClusterName cluster) {
        return store.read("maintenance read", c -> maintenanceIn(c, cluster));
    }

    public Optional<CooldownAck> lastAck(ClusterName cluster) {
        return store.read("cooldown ack read", c -> ackIn(c, cluster));
    }

    /**
     * Failover runs the daemon started ({@code daemon:} actors) at or after {@code since}, on every cluster, oldest
     * first, whatever their end; a run started by a person is not among them.
     */
    public List<AutomaticFailover> automaticFailoversSince(Instant since) {
        return store.read("automatic failovers read", c -> {
            try (var st = c.prepareStatement("SELECT run_id, cluster, started_at, status FROM run_record WHERE kind = ? "
                    + "AND started_at >= ? AND actor LIKE ? ORDER BY started_at")) {
                st.setString(1, RunKind.FAILOVER.name());
                st.setString(2, StoreTime.format(since));
                st.setString(3, DAEMON_PREFIX + "%");
                var out = new ArrayList<AutomaticFailover>();
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AutomaticFailover(rs.getString(1), new ClusterName(rs.getString(2)),
                                StoreTime.parse(rs.getString(3)), !RunStatus.ABORTED.name().equals(rs.getString(4))));
                    }
                }
                return out;
            }
        });
    }

    /** Puts {@code cluster} in maintenance (journaled MAINTENANCE_ON); unchanged when it already is. */
    public Change<Maintenance> maintenanceOn(ClusterName cluster, String reason, Actor by) {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("maintenance", "on");
        payload.put("reason", reason);
        var draft = JournalDraft.of(by, JournalKind.MAINTENANCE_ON, payload).cluster(cluster);
        var text = checked(draft);
        return store.write("maintenance on", c -> {
            var before = maintenanceIn(c, cluster);
            if (before.isPresent()) {
                return new Change<>(false, before, before, Optional.<JournalEntry>empty());
            }
            var entry = journal.appendIn(c, draft, text);
            try (var st = c.prepareStatement("INSERT INTO cluster_maintenance (cluster, reason, actor, since) "
                    + "VALUES (?, ?, ?, ?)")) {
                st.setString(1, cluster.value());
                st.setString(2, reason);
                st.setString(3, by.value());
                st.setString(4, StoreTime.format(entry.at()));
                st.executeUpdate();
            }
            return new Change<>(true, before, Optional.of(new Maintenance(cluster, reason, by, entry.at())),
                    Optional.of(entry));
        });
    }

    /** Ends {@code cluster}'s maintenance (journaled MAINTENANCE_OFF); unchanged when it was not in maintenance. */
    public Change<Maintenance> maintenanceOff(ClusterName cluster, Optional<String> reason, Actor by) {
        return store.write("maintenance off", c -> {
            var before = maintenanceIn(c, cluster);
            if (before.isEmpty()) {
                return new Change<>(false, before, before, Optional.<JournalEntry>empty());
            }
            var payload = new LinkedHashMap<String, Object>();
            payload.put("maintenance", "off");
            payload.put("wasReason", before.get().reason());
            payload.put("wasBy", before.get().by().value());
            payload.put("wasSince", before.get().since().toString());
            reason.ifPresent(r -> payload.put("reason", r));
            var draft = JournalDraft.of(by, JournalKind.MAINTENANCE_OFF, payload).cluster(cluster);
            var entry = journal.appendIn(c, draft, checked(draft));
            try (var st = c.prepareStatement("DELETE FROM cluster_maintenance WHERE cluster = ?")) {
                st.setString(1, cluster.value());
                st.executeUpdate();
            }
            return new Change<>(true, before, Optional.<Maintenance>empty(), Optional.of(entry));
        });
    }

    /**
     * Clears {@code cluster}'s cooldown (journaled COOLDOWN_ACKED): from now on a failover before this instant no
     * longer holds automation back.
     *
     * @param cooldown what the person cleared, for the record: the last failover and when its cooldown would have ended
     */
    public Change<CooldownAck> ack(ClusterName cluster, Optional<String> reason, Actor by, Map<String, Object> cooldown) {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("ack", "cooldown cleared");
        payload.putAll(cooldown);
        reason.ifPresent(r -> payload.put("reason", r));
        var draft = JournalDraft.of(by, JournalKind.COOLDOWN_ACKED, payload).cluster(cluster);
        var text = checked(draft);
        return store.write("cooldown ack", c -> {
            var before = ackIn(c, cluster);
            var entry = journal.appendIn(c, draft, text);
            try (var st = c.prepareStatement("INSERT INTO cooldown_ack (cluster, acked_at, actor, reason) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (cluster) DO UPDATE SET acked_at = excluded.acked_at, "
                    + "actor = excluded.actor, reason = excluded.reason")) {
                st.setString(1, cluster.value());
                st.setString(2, StoreTime.format(entry.at()));
                st.setString(3, by.value());
                st.setString(4, reason.orElse(null));
                st.executeUpdate();
            }
            return new Change<>(true, before, Optional.of(new CooldownAck(cluster, entry.at(), by, reason)),
                    Optional.of(entry));
        });
    }

    private String checked(JournalDraft draft) {
        var text = PayloadCodec.canonical(draft.payload());
        journal.refuseSecrets(draft, text);
        return text;
    }

    private static Optional<Maintenance> maintenanceIn(Connection c, ClusterName cluster) throws SQLException {
        try (var st = c.prepareStatement("SELECT reason, actor, since FROM cluster_maintenance WHERE cluster = ?")) {
            st.setString(1, cluster.value());
            try (var rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Maintenance(cluster, rs.getString(1), new Actor(rs.getString(2)),
                        StoreTime.parse(rs.getString(3)))) : Optional.empty();
            }
        }
    }

    private static Optional<CooldownAck> ackIn(Connection c, ClusterName cluster) throws SQLException {
        try (var st = c.prepareStatement("SELECT acked_at, actor, reason FROM cooldown_ack WHERE cluster = ?")) {
            st.setString(1, cluster.value());
            try (var rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new CooldownAck(cluster, StoreTime.parse(rs.getString(1)),
                        new Actor(rs.getString(2)), Optional.ofNullable(rs.getString(3)))) : Optional.empty();
            }
        }
    }
}
