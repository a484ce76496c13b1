package dev.drctl.probes;

import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.TopologyErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every node of every cluster every {@code probe-interval}, on virtual threads, and keeps a
 * bounded {@link ObservationHistory} per cluster.
 *
 * <p>Rounds: each cluster has its own loop, so clusters never wait for each other. A round probes all
 * nodes of the cluster at once and ends when every probe has returned; since each probe is bounded (its
 * connect budget, then the cluster's {@code probe-timeout}), a hung node costs the round at most that, and never delays the
 * other nodes' probes, which start together. Rounds start at a fixed rate; if a round overruns the
 * interval (a probe-timeout longer than the interval), the next starts at once and missed ticks are
 * skipped, never bunched. After each round the listeners get the cluster's fresh snapshot.
 *
 * <p>Measuring the database, not drctl (safety rule 1): each probe is warmed up (driver and
 * authentication classes loaded) before its first timed round, and every round runs under a
 * {@link StallMeter}. A round in which drctl itself was held back long enough to explain a timeout is
 * discarded and run again at once: it never reaches the history, the listeners or a caller as node
 * failures. One-shot callers learn what was measured from {@link ProbeRound#note()}.
 */
public final class ProbeScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);
    /** Extra wait beyond a probe's bound before the scheduler itself gives up on a probe that broke it. */
    private static final Duration GUARD = Duration.ofSeconds(1);
    /** Rounds a one-shot probe runs at most before it gives back a stalled one, marked inconclusive. */
    static final int ATTEMPTS = 4;

    private final Map<ClusterName, ClusterSpec> clusters = new LinkedHashMap<>();
    private final Map<String, String> environment;
    private final Clock clock;
    private final Function<ClusterSpec, Probe> probeFor;
    private final StallMeter meter;
    private final Map<ClusterName, Probe> probes = new HashMap<>();
    private final Map<ClusterName, ObservationHistory> histories = new HashMap<>();
    private final List<Consumer<ClusterHistory>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("drctl-probe-round-", 0).factory());
    private final List<Thread> loops = new ArrayList<>();
    private volatile boolean closed;

    /**
     * Builds one probe per cluster; no connection is opened until the first probe.
     *
     * @param environment where password references are resolved, once, here
     * @param clock       stamps observations
     * @throws DrctlException when a cluster's password reference cannot be resolved
     */
    public ProbeScheduler(List<ClusterSpec> clusters, Map<String, String> environment, Clock clock) {
        this(clusters, environment, clock, null, StallMeter.ticking());
    }

    /**
     * As above, with the probes and the stall meter given: for tests that feed rounds and stalls as values.
     *
     * @param probeFor the probe of a cluster; {@code null} for {@link Probe#forCluster}
     */
    ProbeScheduler(List<ClusterSpec> clusters, Map<String, String> environment, Clock clock,
                   Function<ClusterSpec, Probe> probeFor, StallMeter meter) {
        this.environment = Map.copyOf(environment);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.probeFor = probeFor != null ? probeFor : c -> Probe.forCluster(c, this.environment, this.clock);
        this.meter = Objects.requireNonNull(meter, "meter");
        try {
            for (var cluster : clusters) {
                this.clusters.put(cluster.name(), cluster);
                probes.put(cluster.name(), this.probeFor.apply(cluster));
                histories.put(cluster.name(), new ObservationHistory(ObservationHistory.capacityFor(cluster.failover())));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts one probing loop per cluster. Calling it twice has no further effect. */
    public synchronized void start() {
        if (closed || !loops.isEmpty()) {
            return;
        }
        for (var cluster : clusters.values()) {
            loops.add(Thread.ofVirtual().name("drctl-probe-loop-" + cluster.name()).start(() -> loop(cluster)));
        }
    }

    /** Adds a listener called after each complete round of a cluster, on the scheduler's thread for that cluster. */
    public void onRound(Consumer<ClusterHistory> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The history of a cluster as it is now.
     *
     * @throws DrctlException UNKNOWN_NAME when the cluster is not one the scheduler was given
     */
    public ClusterHistory snapshot(ClusterName cluster) {
        var spec = clusters.get(cluster);
        if (spec == null) {
            throw unknown(cluster);
        }
        return history(cluster).snapshot(spec);
    }

    /**
     * Probes every node of {@code cluster} once, concurrently, and returns just that round (one
     * observation per node); see {@link #probeRound} for the rounds discarded on the way.
     */
    public ClusterHistory probeOnce(ClusterSpec cluster) {
        return probeRound(cluster).history();
    }

    /**
     * Probes every node of {@code cluster} once, concurrently, and returns that round (one observation
     * per node) with what was measured on the way. A round that drctl's own stall voids (see
     * {@link Stall#voids}) is discarded and run again, up to {@value #ATTEMPTS} rounds in all; when every
     * one is stalled, the last is returned marked inconclusive and is not recorded. A kept round is
     * also recorded in the cluster's history. A cluster the scheduler was not given gets a probe of its
     * own, kept until {@link #close()}.
     */
    public ProbeRound probeRound(ClusterSpec cluster) {
        if (closed) {
            throw new IllegalStateException("probe scheduler closed");
        }
        var probe = probe(cluster);
        probe.warmUp();
        var stalls = new ArrayList<Stall>();
        while (true) {
            var round = round(cluster, probe);
            boolean voided = round.stall().voids(round.observations(), cluster.failover().probeTimeout());
            if (voided) {
                stalls.add(round.stall());
                log.info("probe round of {} discarded: drctl was stalled {} (held back {} ms in all)", cluster.name(),
                        round.stall().display(), round.stall().lost().toMillis());
            }
            if (!voided || stalls.size() >= ATTEMPTS || closed) {
                var byNode = new HashMap<NodeName, List<NodeObservation>>();
                for (var o : round.observations()) {
                    byNode.put(o.node(), List.of(o));
                }
                if (!voided) {
                    var history = history(cluster.name(), cluster);
                    round.observations().forEach(history::record);
                }
                return new ProbeRound(new ClusterHistory(cluster, byNode), stalls, !voided);
            }
        }
    }

    private void loop(ClusterSpec cluster) {
        var probe = probe(cluster);
        var history = history(cluster.name());
        long interval = cluster.failover().probeInterval().toNanos();
        var confirmation = new ConfirmationRounds();
        probe.warmUp();
        long next = System.nanoTime();
        while (!closed) {
            var round = round(cluster, probe);
            if (closed) {
                return;
            }
            if (round.stall().voids(round.observations(), cluster.failover().probeTimeout())) {
                // Not evidence either way: run the round again now rather than wait a tick.
                log.warn("probe round of {} discarded: drctl was stalled {} (held back {} ms in all); probing again",
                        cluster.name(), round.stall().display(), round.stall().lost().toMillis());
                continue;
            }
            round.observations().forEach(history::record);
            var snapshot = history.snapshot(cluster);
            for (var listener : listeners) {
                try {
                    listener.accept(snapshot);
                } catch (RuntimeException e) {
                    log.warn("a probe-round listener failed for cluster {}: {}", cluster.name(), e.toString());
                }
            }
            if (confirmation.newFailure(round.observations())) {
                // A node that answered has just failed: look again at once, every node (the replicas' view of it is
                // the confirmation), instead of a tick later. The extra round moves no tick: the next regular round
                // starts when it would have.
                continue;
            }
            long now = System.nanoTime();
            next += interval;
            if (next < now) {
                next = now;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(next - now);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * When a round is followed at once by another: the first failure of a node that was answering (once per run of
     * failures, so a node that stays down is probed at the regular rate). Detection is the time to a failure seen
     * twice and confirmed by the replicas; waiting a whole interval for the second look adds nothing but time.
     */
    static final class ConfirmationRounds {
        private final java.util.Set<NodeName> looked = new java.util.HashSet<>();

        /** Whether {@code round} holds a node's first failure since it last answered (and notes it). */
        boolean newFailure(List<NodeObservation> round) {
            boolean fresh = false;
            for (var o : round) {
                if (o.outcome() instanceof ProbeOutcome.Failed) {
                    fresh |= looked.add(o.node());
                } else {
                    looked.remove(o.node());
                }
            }
            return fresh;
        }
    }

    /** One round's observations, and how long drctl itself was stalled while it ran. */
    private record Measured(List<NodeObservation> observations, Stall stall) {
    }

    private Measured round(ClusterSpec cluster, Probe probe) {
        var watch = meter.start();
        var futures = new LinkedHashMap<NodeSpec, Future<NodeObservation>>();
        for (var node : cluster.nodes()) {
            long submitted = System.nanoTime();
            futures.put(node, workers.submit(() -> {
                watch.scheduled(Duration.ofNanos(System.nanoTime() - submitted));
                return probe.probe(node);
            }));
        }
        long deadline = System.nanoTime() + bound(cluster).toNanos();
        var out = new ArrayList<NodeObservation>(futures.size());
        for (var e : futures.entrySet()) {
            out.add(await(e.getKey(), e.getValue(), deadline, cluster));
        }
        return new Measured(out, watch.stop());
    }

    // Probes keep their own deadline; this is the scheduler's guard against one that does not, so a
    // round always ends.
    private NodeObservation await(NodeSpec node, Future<NodeObservation> future, long deadline, ClusterSpec cluster) {
        var at = clock.instant();
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new NodeObservation(node.name(), at, bound(cluster),
                    new ProbeOutcome.Failed(FailureKind.TIMEOUT, "probe of " + node.address() + " did not return in time"));
        } catch (ExecutionException e) {
            return new NodeObservation(node.name(), at, Duration.ZERO,
                    new ProbeOutcome.Failed(FailureKind.OTHER, "probe of " + node.address() + " failed: " + e.getCause()));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new NodeObservation(node.name(), at, Duration.ZERO,
                    new ProbeOutcome.Failed(FailureKind.OTHER, "probe of " + node.address() + " interrupted"));
        }
    }

    /** A probe's own bound (its longest connect budget, then probe-timeout for the queries) and the guard beyond it. */
    private static Duration bound(ClusterSpec cluster) {
        var timeout = cluster.failover().probeTimeout();
        return JdbcProbe.firstConnectBudget(timeout).plus(timeout).plus(GUARD);
    }

    private synchronized Probe probe(ClusterSpec cluster) {
        var known = clusters.get(cluster.name());
        if (known != null && known.equals(cluster)) {
            return probes.get(cluster.name());
        }
        // A cluster given only to probeOnce, or a changed spec for a known name: a probe of its own.
        var key = new ClusterName(cluster.name().value() + "#" + Integer.toHexString(cluster.hashCode()));
        return probes.computeIfAbsent(key, k -> probeFor.apply(cluster));
    }

    private synchronized ObservationHistory history(ClusterName name) {
        return histories.get(name);
    }

    private synchronized ObservationHistory history(ClusterName name, ClusterSpec spec) {
        return histories.computeIfAbsent(name, n -> new ObservationHistory(ObservationHistory.capacityFor(spec.failover())));
    }

    private static DrctlException unknown(ClusterName cluster) {
        return new DrctlException(TopologyErrorCode.UNKNOWN_NAME,
                "no cluster named '" + cluster + "' is probed; check the name against the config's clusters");
    }

    /** Stops every loop, waits briefly for them, and closes every probe's connection pools. */
    @Override
    public void close() {
        List<Thread> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = List.copyOf(loops);
        }
        running.forEach(Thread::interrupt);
        for (var t : running) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.shutdownNow();
        List<Probe> toClose;
        synchronized (this) {
            toClose = List.copyOf(probes.values());
            probes.clear();
        }
        var closing = toClose.stream().map(p -> Thread.ofVirtual().start(p::close)).toList();
        for (var t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
