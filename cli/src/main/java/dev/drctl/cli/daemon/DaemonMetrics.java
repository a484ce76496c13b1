package dev.drctl.cli.daemon;

import dev.drctl.probes.ProbeRound;
import dev.drctl.promotion.ClusterVerdict;
import dev.drctl.runbooks.RunResult;
import dev.drctl.runbooks.watch.RunbookLauncher;
import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * drctl run's Prometheus metrics, in a registry of its own (never the client's global default registry).
 *
 * <p>Two sources. Events the daemon reports as they happen: {@link #round} after each probe round of a cluster
 * (probe latency histograms, node reachability, replica lag, the verdict) and {@link #failover} when a failover run
 * ends. Everything else is read from a {@link DaemonView} when Prometheus scrapes: store and outbox, brakes,
 * running runbooks, drills, health, config reloads. Names follow Prometheus conventions: {@code drctl_} prefix,
 * the unit in the name, {@code _total} on counters; labels {@code cluster}, {@code node}, {@code outcome}.
 */
public final class DaemonMetrics {
    /** Probe latencies from a local round trip (ms) up to a probe timeout (s). */
    static final double[] PROBE_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** One view serves every scrape-time gauge of one scrape. */
    static final Duration VIEW_REUSE = Duration.ofMillis(500);
    /** Every verdict's label value, so that a cluster's verdict gauge has all of them, one at 1. */
    static final List<String> VERDICTS = List.of("healthy", "primary_suspect", "primary_dead", "drctl_partitioned",
            "no_primary", "drctl_blind", "split_brain", "replica_problems");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Supplier<DaemonView> views;
    private final Histogram probeLatency;
    private final Gauge nodeUp;
    private final Gauge lagBytes;
    private final Gauge lagSeconds;
    private final Gauge verdict;
    private final Counter rounds;
    private final Gauge lastRound;
    private final Counter failovers;
    private final Map<String, Instant> lastObserved = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot;

    private record Snapshot(DaemonView view, Health health, long takenNanos) {
    }

    /** @param views what the daemon knows now; called at most about once per scrape */
    public DaemonMetrics(Supplier<DaemonView> views) {
        this.views = Objects.requireNonNull(views, "views");
        probeLatency = Histogram.builder().name("drctl_probe_latency_seconds").unit(Unit.SECONDS)
                .help("Time one probe of one node took, answered or not").labelNames("cluster", "node")
                .classicOnly().classicUpperBounds(PROBE_BUCKETS).register(registry);
        nodeUp = Gauge.builder().name("drctl_node_up").help("1 when the node answered its last probe, else 0")
                .labelNames("cluster", "node").register(registry);
        lagBytes = Gauge.builder().name("drctl_replica_lag_bytes").unit(Unit.BYTES)
                .help("Replica lag in bytes as its last probe measured it; no sample when unknown")
                .labelNames("cluster", "node").register(registry);
        lagSeconds = Gauge.builder().name("drctl_replica_lag_seconds").unit(Unit.SECONDS)
                .help("Replica replay delay as its last probe measured it; no sample when unknown")
                .labelNames("cluster", "node").register(registry);
        verdict = Gauge.builder().name("drctl_cluster_verdict")
                .help("1 for the cluster's verdict after its last round, 0 for the others").labelNames("cluster", "verdict")
                .register(registry);
        rounds = Counter.builder().name("drctl_probe_rounds_total").help("Probe rounds ended").labelNames("cluster")
                .register(registry);
        lastRound = Gauge.builder().name("drctl_last_round_timestamp_seconds").unit(Unit.SECONDS)
                .help("When the cluster's last probe round ended (Unix time)").labelNames("cluster").register(registry);
        failovers = Counter.builder().name("drctl_failovers_total")
                .help("Automatic failover runs by how they ended (completed, failed, refused, planned, error)")
                .labelNames("cluster", "outcome").register(registry);
        registerViewGauges();
        JvmMetrics.builder().register(registry);
    }

    /**
     * The coordination of several daemons (issue 13), read at scrape time: whether this daemon is connected to
     * ZooKeeper, the live daemons, each cluster's leader and its term's fencing token, whether this daemon leads it,
     * and the observer quorum (daemons seeing the primary dead, and how many a failover needs). Registered only when
     * the config has {@code coordination:}.
     */
    void coordination(Supplier<ZooKeeperPeers.Figures> figures) {
        Objects.requireNonNull(figures, "figures");
        GaugeWithCallback.builder().name("drctl_zookeeper_connected")
                .help("1 while this daemon's ZooKeeper session is connected (it may act only then)")
                .callback(cb -> cb.call(bit(figures.get().connected()))).register(registry);
        GaugeWithCallback.builder().name("drctl_daemons_live")
                .help("Daemons whose ZooKeeper session is alive, as this daemon reads it (no sample when cut off)")
                .callback(cb -> {
                    var f = figures.get();
                    if (f.view().reachable()) {
                        cb.call(f.view().liveDaemons().size());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("drctl_daemon_live")
                .help("1 for each live daemon, by its id; the label self is 1 for this daemon")
                .labelNames("daemon", "self")
                .callback(cb -> {
                    var f = figures.get();
                    f.view().liveDaemons().forEach(d -> cb.call(1, d, Boolean.toString(d.equals(f.daemonId()))));
                }).register(registry);
        GaugeWithCallback.builder().name("drctl_cluster_leader")
                .help("1 for the daemon that leads the cluster (its latch's oldest node); no sample when none does")
                .labelNames("cluster", "daemon")
                .callback(cb -> figures.get().view().leaders()
                        .forEach((c, l) -> cb.call(1, c.value(), l.daemon()))).register(registry);
        GaugeWithCallback.builder().name("drctl_cluster_leadership_token")
                .help("The fencing token of the cluster's current leadership term (the leader's latch node zxid)")
                .labelNames("cluster")
                .callback(cb -> figures.get().view().leaders()
                        .forEach((c, l) -> cb.call(l.token(), c.value()))).register(registry);
        GaugeWithCallback.builder().name("drctl_cluster_leading")
                .help("1 while this daemon leads the cluster and may act on it, else 0")
                .labelNames("cluster")
                .callback(cb -> figures.get().leading().forEach((c, b) -> cb.call(bit(b), c.value())))
                .register(registry);
        GaugeWithCallback.builder().name("drctl_observer_quorum_primary_dead_daemons")
                .help("Live daemons whose fresh published view of the cluster is PrimaryDead")
                .labelNames("cluster")
                .callback(cb -> figures.get().quorums()
                        .forEach((c, q) -> cb.call(q.seeingDead().size(), c.value()))).register(registry);
        GaugeWithCallback.builder().name("drctl_observer_quorum_needed_daemons")
                .help("How many live daemons must see the primary dead before the leader fails over (a majority)")
                .labelNames("cluster")
                .callback(cb -> figures.get().quorums().forEach((c, q) -> cb.call(q.needed(), c.value())))
                .register(registry);
    }

    /** The registry to expose (the endpoint serves it). */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** After each kept probe round of a cluster, with the verdict the pipeline drew from it. */
    public void round(ClusterName cluster, ProbeRound round, ClusterVerdict verdict) {
        round(cluster, round.history(), verdict);
    }

    /** After each probe round of a cluster, with the verdict the pipeline drew from it: {@link #probed}, {@link #verdict}. */
    public void round(ClusterName cluster, ClusterHistory history, ClusterVerdict verdict) {
        probed(history);
        verdict(cluster, verdictName(verdict));
    }

    /**
     * After each probe round of a cluster: latencies, reachability, lag. The latest observation of each node is its
     * probe in this round; one already counted (the same instant reported again) is not counted twice.
     */
    public void probed(ClusterHistory history) {
        var c = history.cluster().name().toString();
        Instant latest = null;
        for (var node : history.cluster().nodes()) {
            var observed = history.latest(node.name());
            if (observed.isEmpty()) {
                continue;
            }
            var o = observed.get();
            latest = latest == null || o.at().isAfter(latest) ? o.at() : latest;
            var n = node.name().toString();
            var previous = lastObserved.put(c + "\u0000" + n, o.at());
            if (previous == null || o.at().isAfter(previous)) {
                probeLatency.labelValues(c, n).observe(seconds(o.latency()));
            }
            node(c, n, o);
        }
        rounds.labelValues(c).inc();
        if (latest != null) {
            lastRound.labelValues(c).set(latest.toEpochMilli() / 1000.0);
        }
    }

    /**
     * The cluster's verdict now, by kind: {@code Healthy} or {@code healthy}, {@code PrimaryDead} or
     * {@code primary_dead}; {@code none} (before the first round) sets every verdict to 0.
     */
    public void verdict(ClusterName cluster, String kind) {
        var name = snake(kind);
        for (var v : VERDICTS) {
            verdict.labelValues(cluster.toString(), v).set(v.equals(name) ? 1 : 0);
        }
    }

    /** {@code PrimaryDead} → {@code primary_dead}; already snake case stays. */
    static String snake(String kind) {
        return kind.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /**
     * A launcher that counts how each automatic failover ended ({@code drctl_failovers_total{outcome}}: completed,
     * failed, refused, planned; {@code error} when it could not run at all). Fence runs are not failovers.
     */
    public RunbookLauncher counting(RunbookLauncher launcher) {
        Objects.requireNonNull(launcher, "launcher");
        return new RunbookLauncher() {
            @Override
            public RunResult failover(ClusterSpec cluster) {
                try {
                    var result = launcher.failover(cluster);
                    DaemonMetrics.this.failover(cluster.name(), result.end().name());
                    return result;
                } catch (RuntimeException e) {
                    DaemonMetrics.this.failover(cluster.name(), "error");
                    throw e;
                }
            }

            @Override
            public RunResult fence(ClusterSpec cluster, NodeName node) {
                return launcher.fence(cluster, node);
            }
        };
    }

    private void node(String cluster, String node, NodeObservation o) {
        nodeUp.labelValues(cluster, node).set(o.reached() ? 1 : 0);
        if (o.outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.REPLICA) {
            setOrRemove(lagBytes, r.lag().bytes().map(Long::doubleValue), cluster, node);
            setOrRemove(lagSeconds, r.lag().time().map(DaemonMetrics::seconds), cluster, node);
        } else {
            // a primary has no lag; a failed probe tells none, and a stale figure would look current
            lagBytes.remove(cluster, node);
            lagSeconds.remove(cluster, node);
        }
    }

    private static void setOrRemove(Gauge gauge, Optional<Double> value, String cluster, String node) {
        value.ifPresentOrElse(v -> gauge.labelValues(cluster, node).set(v), () -> gauge.remove(cluster, node));
    }

    /**
     * When a failover run of a cluster ends (or is refused before it starts).
     *
     * @param outcome a short word, e.g. {@code completed}, {@code refused}, {@code failed}; lower-cased,
     *                anything but letters, digits and '_' becomes '_'
     */
    public void failover(ClusterName cluster, String outcome) {
        failovers.labelValues(cluster.toString(), label(outcome)).inc();
    }

    /** The verdict's label value; a new verdict type is a compile error here until it is named. */
    static String verdictName(ClusterVerdict v) {
        return switch (v) {
            case ClusterVerdict.Healthy h -> "healthy";
            case ClusterVerdict.PrimarySuspect s -> "primary_suspect";
            case ClusterVerdict.PrimaryDead d -> "primary_dead";
            case ClusterVerdict.DrctlPartitioned p -> "drctl_partitioned";
            case ClusterVerdict.NoPrimary n -> "no_primary";
            case ClusterVerdict.DrctlBlind b -> "drctl_blind";
            case ClusterVerdict.SplitBrain s -> "split_brain";
            case ClusterVerdict.ReplicaProblems r -> "replica_problems";
        };
    }

    static String label(String word) {
        var s = word.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return s.isEmpty() ? "unknown" : s;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private Snapshot snapshot() {
        var s = snapshot;
        long now = System.nanoTime();
        if (s == null || now - s.takenNanos() > VIEW_REUSE.toNanos()) {
            var view = views.get();
            s = new Snapshot(view, Health.of(view), now);
            snapshot = s;
        }
        return s;
    }

    private static double bit(boolean b) {
        return b ? 1 : 0;
    }

    private void registerViewGauges() {
        GaugeWithCallback.builder().name("drctl_live").help("1 when every supervision loop is alive (see /health)")
                .callback(cb -> cb.call(bit(snapshot().health().live()))).register(registry);
        GaugeWithCallback.builder().name("drctl_ready").help("1 when the daemon can act (see /health for the reasons)")
                .callback(cb -> cb.call(bit(snapshot().health().ready()))).register(registry);
        GaugeWithCallback.builder().name("drctl_store_up").help("1 when the state store answered its last check")
                .callback(cb -> cb.call(bit(snapshot().view().store().reachable()))).register(registry);
        GaugeWithCallback.builder().name("drctl_outbox_pending_messages")
                .help("Notifications not yet delivered and not given up (no sample while the store is unreachable)")
                .callback(cb -> snapshot().view().store().outbox().ifPresent(o -> cb.call(o.pending())))
                .register(registry);
        GaugeWithCallback.builder().name("drctl_outbox_given_up_messages")
                .help("Notifications given up after their last attempt: people who should have been told were not")
                .callback(cb -> snapshot().view().store().outbox().ifPresent(o -> cb.call(o.givenUp())))
                .register(registry);
        GaugeWithCallback.builder().name("drctl_outbox_oldest_pending_age_seconds").unit(Unit.SECONDS)
                .help("How long the oldest undelivered notification has waited")
                .callback(cb -> {
                    var v = snapshot().view();
                    v.store().outbox().flatMap(o -> o.oldestPending())
                            .ifPresent(t -> cb.call(seconds(Duration.between(t, v.at()))));
                }).register(registry);
        GaugeWithCallback.builder().name("drctl_breaker_open")
                .help("1 while the global circuit breaker holds automatic failovers (drctl only pages)")
                .callback(cb -> cb.call(bit(snapshot().view().clusters().stream().anyMatch(c -> c.brake()
                        .filter(b -> b.kind() == DaemonView.Brake.Kind.BREAKER_OPEN).isPresent()))))
                .register(registry);
        GaugeWithCallback.builder().name("drctl_automation_held")
                .help("1 for the brake holding automation on the cluster now (maintenance, cooling_down, breaker_open)")
                .labelNames("cluster", "brake")
                .callback(cb -> snapshot().view().clusters().forEach(c -> {
                    for (var kind : DaemonView.Brake.Kind.values()) {
                        cb.call(bit(c.brake().filter(b -> b.kind() == kind).isPresent()), c.cluster().toString(),
                                kind.name().toLowerCase(Locale.ROOT));
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("drctl_runbook_running").help("1 while a runbook runs on the cluster")
                .labelNames("cluster")
                .callback(cb -> snapshot().view().clusters()
                        .forEach(c -> cb.call(bit(c.running().isPresent()), c.cluster().toString())))
                .register(registry);
        GaugeWithCallback.builder().name("drctl_last_successful_drill_age_seconds").unit(Unit.SECONDS)
                .help("Time since the cluster's last successful drill; no sample when it never had one")
                .labelNames("cluster")
                .callback(cb -> {
                    var v = snapshot().view();
                    v.clusters().forEach(c -> c.lastSuccessfulDrill().ifPresent(t ->
                            cb.call(seconds(Duration.between(t, v.at())), c.cluster().toString())));
                }).register(registry);
        GaugeWithCallback.builder().name("drctl_last_successful_drill_timestamp_seconds").unit(Unit.SECONDS)
                .help("When the cluster's last successful drill ended (Unix time)").labelNames("cluster")
                .callback(cb -> snapshot().view().clusters().forEach(c -> c.lastSuccessfulDrill()
                        .ifPresent(t -> cb.call(t.toEpochMilli() / 1000.0, c.cluster().toString()))))
                .register(registry);
        GaugeWithCallback.builder().name("drctl_config_reload_refused")
                .help("1 when the last reload was refused and an older config stays in force")
                .callback(cb -> cb.call(bit(snapshot().view().config().reloadRefused().isPresent()))).register(registry);
        GaugeWithCallback.builder().name("drctl_config_loaded_timestamp_seconds").unit(Unit.SECONDS)
                .help("When the config in force was applied (Unix time)")
                .callback(cb -> cb.call(snapshot().view().config().loadedAt().toEpochMilli() / 1000.0))
                .register(registry);
    }
}
