package dev.drctl.compliance;

import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The state store named by {@code compliance.store}: opened once at start-up, which brings its schema up to
 * date with Flyway (started only when the schema is not exactly what this drctl carries, see
 * {@link MigrationHistory}), and shared by every component of the process through the tables it hands out.
 *
 * <p>SQLite (the embedded default) is opened in WAL mode with {@code synchronous=FULL} and a busy timeout,
 * so several processes may share one file; PostgreSQL serves several daemons. A store whose schema is
 * newer than this binary knows is refused ({@link ComplianceErrorCode#STORE_SCHEMA_TOO_NEW}, exit 2)
 * before anything is written.
 */
public final class StateStore implements AutoCloseable {
    static final String MIGRATIONS = "classpath:db/migration";

    private final StoreConnection connection;
    private final MigrationVersion schemaVersion;
    private final JdbcJournal journal;
    private final AuditVerifier verifier;
    private final JournalPurge purge;
    private final RunTable runs;
    private final OutboxTable outbox;
    private final ClusterStateTable clusterStates;
    private final PrimaryPositionTable primaryPositions;
    private final LeadershipTokenTable leadershipTokens;
    private final AutomationTable automation;
    private final DaemonViewTable daemonViews;

    private StateStore(StoreConnection connection, MigrationVersion schemaVersion, Clock clock, Set<String> secretValues,
                       Optional<JournalKey> journalKey) {
        this.connection = connection;
        this.schemaVersion = schemaVersion;
        var secrets = new java.util.HashSet<>(secretValues);
        journalKey.ifPresent(k -> secrets.add(k.value()));
        this.journal = new JdbcJournal(connection, clock, secrets, journalKey);
        this.verifier = new AuditVerifier(connection, journalKey);
        this.purge = new JournalPurge(connection, journal, verifier, clock);
        this.runs = new RunTable(connection);
        this.outbox = new OutboxTable(connection);
        this.clusterStates = new ClusterStateTable(connection, clock);
        this.primaryPositions = new PrimaryPositionTable(connection);
        this.leadershipTokens = new LeadershipTokenTable(connection, clock);
        this.automation = new AutomationTable(connection, journal);
        this.daemonViews = new DaemonViewTable(connection);
    }

    /**
     * Opens and migrates the store.
     *
     * @param secretValues resolved secret values of the running config: a journal payload containing one is
     *                     refused (see {@link ConfiguredSecrets}); the values are kept in memory only
     * @throws DrctlException {@link ComplianceErrorCode#JOURNAL_KEY_INVALID} (exit 2) when {@code compliance.journal-key}
     *                        names a file that cannot be read or holds too short a key
     */
    public static StateStore open(ComplianceSpec spec, Clock clock, Set<String> secretValues) {
        return open(spec.store(), clock, secretValues, List.of(MIGRATIONS), JournalKey.resolve(spec.journalKey()));
    }

    static StateStore open(String url, Clock clock, Set<String> secretValues, List<String> locations) {
        return open(url, clock, secretValues, locations, Optional.empty());
    }

    static StateStore open(String url, Clock clock, Set<String> secretValues, List<String> locations,
                           Optional<JournalKey> journalKey) {
        var connection = new StoreConnection(url);
        try {
            var version = migrate(connection, locations);
            return new StateStore(connection, version, clock, secretValues, journalKey);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static MigrationVersion migrate(StoreConnection connection, List<String> locations) {
        if (locations.equals(List.of(MIGRATIONS))) {
            var current = MigrationHistory.current(connection, StateStore.class.getClassLoader());
            if (current.isPresent()) {
                return current.get();
            }
        }
        try {
            var flyway = Flyway.configure(StateStore.class.getClassLoader())
                    .dataSource(connection.dataSource())
                    .locations(locations.toArray(String[]::new))
                    .cleanDisabled(true)
                    .load();
            var info = flyway.info();
            for (MigrationInfo applied : info.applied()) {
                if (isFuture(applied)) {
                    throw new DrctlException(ComplianceErrorCode.STORE_SCHEMA_TOO_NEW, "store " + connection.redactedUrl()
                            + " has schema version " + info.current().getVersion() + ", newer than this drctl knows ("
                            + latestKnown(info.pending(), info.applied()) + "); it was migrated by a newer drctl. "
                            + "Run that version (or newer) against this store; nothing was written");
                }
            }
            flyway.migrate();
            var current = flyway.info().current();
            return current == null ? MigrationVersion.EMPTY : current.getVersion();
        } catch (FlywayException e) {
            throw new DrctlException(ComplianceErrorCode.STORE_FAILED, "cannot migrate store " + connection.redactedUrl()
                    + ": " + e.getMessage() + "; check that the store is reachable and that its user may create tables", e);
        }
    }

    private static boolean isFuture(MigrationInfo m) {
        return m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED;
    }

    private static String latestKnown(MigrationInfo[] pending, MigrationInfo[] applied) {
        MigrationVersion latest = MigrationVersion.EMPTY;
        for (var group : List.of(pending, applied)) {
            for (var m : group) {
                if (!isFuture(m) && m.getVersion() != null && m.getVersion().isNewerThan(latest.getVersion())) {
                    latest = m.getVersion();
                }
            }
        }
        return "version " + latest;
    }

    /**
     * A connection of its own to the PostgreSQL store at {@code url}, with the store's connect, login and socket
     * timeouts, for a session that must outlive single statements (the one-actor advisory lock). The caller owns it.
     *
     * @param socketTimeout   how long one statement may leave the connection silent before it is given up
     * @param applicationName shown in {@code pg_stat_activity}, so others can tell whose session it is
     * @throws DrctlException {@link ComplianceErrorCode#STORE_URL_UNSUPPORTED} for a URL that is not PostgreSQL
     */
    public static java.sql.Connection openPostgresSession(String url, java.time.Duration socketTimeout,
                                                          String applicationName) throws java.sql.SQLException {
        if (StoreVendor.of(url) != StoreVendor.POSTGRESQL) {
            throw new DrctlException(ComplianceErrorCode.STORE_URL_UNSUPPORTED, "a session of its own is only opened "
                    + "on a PostgreSQL store, not on " + StoreUrls.redact(url));
        }
        var props = StoreConnection.postgresTimeouts(socketTimeout);
        props.setProperty("ApplicationName", applicationName);
        return java.sql.DriverManager.getConnection(url, props);
    }

    public Journal journal() {
        return journal;
    }

    public AuditVerifier verifier() {
        return verifier;
    }

    public JournalPurge purge() {
        return purge;
    }

    public RunTable runs() {
        return runs;
    }

    public OutboxTable outbox() {
        return outbox;
    }

    /**
     * Runs {@code work} in one write transaction: its journal appends and outbox changes commit together, or
     * (on any exception) none does. Returns only after the commit is durable. {@code work} may be run again
     * when another writer held the lock, so it must only read and write through the transaction.
     *
     * @param what names the work in an error message, e.g. "journal and enqueue FAILOVER_STARTED"
     */
    public <T> T atomically(String what, java.util.function.Function<StoreTransaction, T> work) {
        return StoreTransaction.run(connection, journal, what, work);
    }

    /** The highest fencing token seen per cluster when daemons are coordinated through ZooKeeper (issue 13). */
    public LeadershipTokenTable leadershipTokens() {
        return leadershipTokens;
    }

    public ClusterStateTable clusterStates() {
        return clusterStates;
    }

    /** Maintenance mode, cooldown acks and the automatic failovers the circuit breaker counts. */
    public AutomationTable automation() {
        return automation;
    }

    /**
     * The failover {@code cluster}'s cooldown counts from (safety rule 6): the last failover recorded in
     * {@code cluster_state}, unless a person acknowledged it since ({@code drctl ack}). The store is the cooldown's
     * one source of truth: the pipeline ({@link #memory}), the daemon's brakes and {@code drctl status} all read it here.
     */
    public Optional<Instant> cooldownStart(ClusterName cluster) {
        return cooldownStart(clusterStates.load(cluster));
    }

    private Optional<Instant> cooldownStart(ClusterState state) {
        var last = state.lastFailoverAt();
        if (last.isEmpty()) {
            return last;
        }
        var ack = automation.lastAck(state.cluster());
        return ack.isPresent() && ack.get().clears(last.get()) ? Optional.empty() : last;
    }

    /**
     * When the journal first mentions {@code cluster}: since when drctl has known it (e.g. the start of the grace
     * before a never-drilled cluster is overdue). Empty for a cluster the journal never named.
     */
    public Optional<Instant> firstJournaled(ClusterName cluster) {
        return connection.read("journal read", c -> {
            try (var st = c.prepareStatement("SELECT MIN(at) FROM journal_entry WHERE cluster = ?")) {
                st.setString(1, cluster.value());
                try (var rs = st.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(StoreTime.parse(rs.getString(1))) : Optional.<Instant>empty();
                }
            }
        });
    }

    /** What the daemon knows of each cluster, for {@code drctl status}. */
    public DaemonViewTable daemonViews() {
        return daemonViews;
    }

    /** The writable primary's recorded positions and the start of its outage, per cluster. */
    public PrimaryPositionTable primaryPositions() {
        return primaryPositions;
    }

    /**
     * Records one probe round of {@code cluster}: the writable primary's position, or the first failure of the last
     * known primary. Every component that probes calls it once per round (see {@link PrimaryPositionTable#record}).
     */
    public PrimaryPositionTable.Recorded recordRound(ClusterName cluster, Collection<NodeObservation> round) {
        return primaryPositions.record(cluster, round);
    }

    /** Records the latest observation of every node of {@code history} as one round. */
    public PrimaryPositionTable.Recorded recordRound(ClusterHistory history) {
        var round = history.cluster().nodes().stream().map(n -> history.latest(n.name()))
                .flatMap(Optional::stream).toList();
        return recordRound(history.cluster().name(), round);
    }

    /**
     * What the store remembers of {@code cluster} for a decision taken without watching it: the last primary (the
     * node of the newest recorded sighting, unless a failover or switchover completed after it, whose new primary it
     * then is, with no position yet), its last position and when it was last seen at it, the first failure recorded
     * after that, the epoch and the last failover the cooldown counts from ({@link #cooldownStart}: none once a
     * person acknowledged it).
     */
    public ClusterMemory memory(ClusterName cluster) {
        var state = clusterStates.load(cluster);
        var cooldownStart = cooldownStart(state);
        var sighting = primaryPositions.latest(cluster);
        var promoted = lastPromotion(cluster);
        var sightingCurrent = sighting.isPresent() && (promoted.isEmpty()
                || !sighting.get().lastSeenAt().isBefore(promoted.get().at()));
        if (!sightingCurrent) {
            return new ClusterMemory(promoted.map(Promotion::node), Optional.empty(), Optional.empty(), Optional.empty(),
                    state.epoch(), cooldownStart);
        }
        var s = sighting.get();
        var failure = primaryPositions.failure(cluster)
                .filter(f -> f.node().equals(s.node()) && f.firstFailedAt().isAfter(s.lastSeenAt()))
                .map(PrimaryPositionTable.Failure::firstFailedAt);
        return new ClusterMemory(Optional.of(s.node()), Optional.of(s.position()), Optional.of(s.lastSeenAt()), failure,
                state.epoch(), cooldownStart);
    }

    private record Promotion(NodeName node, Instant at) {
    }

    // The newest completed failover or switchover in the journal (as the runbooks read it): promoted with DNS or
    // replicas pending is still a promotion.
    private Optional<Promotion> lastPromotion(ClusterName cluster) {
        var finished = journal.entries(JournalQuery.all().cluster(cluster).kinds(Set.of(JournalKind.RUN_FINISHED)));
        for (int i = finished.size() - 1; i >= 0; i--) {
            var entry = finished.get(i);
            var run = RunRecord.fromJson(entry.payloadTree());
            if ((run.status() == RunStatus.SUCCEEDED || run.status() == RunStatus.PROMOTED_DNS_PENDING
                    || run.status() == RunStatus.PROMOTED_REPLICAS_PENDING)
                    && run.newPrimary().isPresent()
                    && (run.kind() == RunKind.FAILOVER || run.kind() == RunKind.SWITCHOVER)) {
                return Optional.of(new Promotion(run.newPrimary().get(),
                        run.promotedAt().or(run::finishedAt).orElse(entry.at())));
            }
        }
        return Optional.empty();
    }

    /** The schema version after migration, e.g. {@code 1}. */
    public String schemaVersion() {
        return schemaVersion.getVersion();
    }

    /** The store URL with any password replaced by {@code ***}. */
    public String description() {
        return connection.redactedUrl();
    }

    @Override
    public void close() {
        connection.close();
    }
}
