package dev.drctl.runbooks.drill;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.StateStore;
import dev.drctl.runbooks.watch.Periodic;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrillSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's drill schedule: every {@link #EVERY} it asks {@link DueDrills#due} which drills are due, runs each due
 * one on a thread of its own with the same {@link DrillRunner} as {@code drctl drill run} (journaled and notified the
 * same way), and journals each missed one ({@link DrillRecords#missed}: visible in {@code drctl drill list} and the
 * compliance report). One drill at a time per cluster; none while the cluster is failing over, in maintenance or
 * cooling down (the daemon's {@link DueDrills.ClusterFacts}).
 */
public final class ScheduledDrills implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledDrills.class);
    /** How often the schedule is read: well inside {@link #GRACE}, so a time is seen before it counts as missed. */
    public static final Duration EVERY = Duration.ofSeconds(15);
    /**
     * How late a scheduled drill may still start: a daemon restarted within it runs the drill; one down for longer
     * records it as missed rather than running it late (a drill at an hour nobody planned for is a surprise).
     */
    public static final Duration GRACE = Duration.ofMinutes(2);
    /** How long {@link #close} waits for a running drill to tear its environment down. */
    static final Duration STOP_BOUND = Duration.ofSeconds(90);

    private final StateStore store;
    private final Supplier<DrctlConfig> config;
    private final Function<DrctlConfig, DrillRunner> runners;
    private final BiFunction<ClusterName, Instant, DueDrills.ClusterFacts> facts;
    private final Predicate<ClusterName> mine;
    private final Actor actor;
    private final Clock clock;
    /** Per cluster, the drill running now (one at a time per cluster). */
    private final Map<ClusterName, Running> running = new ConcurrentHashMap<>();
    /** Per drill, the latest scheduled time this daemon handled, before its result is in the journal. */
    private final Map<String, Instant> handled = new HashMap<>();
    private volatile AutoCloseable periodic = () -> { };
    private volatile boolean closed;

    private record Running(String drill, Thread thread) {
    }

    /**
     * @param config  the daemon's config now (a reloaded one is followed)
     * @param runners the runner for a config: {@code drctl drill run}'s own composition
     * @param facts   what holds a cluster (failing over, maintenance, cooldown) at an instant; the drill running is
     *                added here
     * @param mine    whether this daemon acts on the cluster (coordinated daemons: only the cluster's leader drills it)
     */
    public ScheduledDrills(StateStore store, Supplier<DrctlConfig> config, Function<DrctlConfig, DrillRunner> runners,
                           BiFunction<ClusterName, Instant, DueDrills.ClusterFacts> facts, Predicate<ClusterName> mine,
                           Actor actor, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.runners = Objects.requireNonNull(runners, "runners");
        this.facts = Objects.requireNonNull(facts, "facts");
        this.mine = Objects.requireNonNull(mine, "mine");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Checks the schedule every {@link #EVERY} (first at once) until {@link #close}. */
    public ScheduledDrills start() {
        periodic = Periodic.start("drill schedule", EVERY, () -> check(clock.instant()));
        return this;
    }

    /** One look at the schedule: starts the due drills, journals the missed ones; returns the decisions. */
    public synchronized List<DueDrills.Due> check(Instant now) {
        if (closed) {
            return List.of();
        }
        var cfg = config.get();
        var drills = cfg.drills().stream().filter(d -> mine.test(d.cluster())).toList();
        if (drills.stream().noneMatch(d -> d.schedule().isPresent())) {
            return List.of();
        }
        var last = new HashMap<>(DrillRecords.lastHandled(store));
        handled.forEach((name, at) -> last.merge(name, at, (a, b) -> a.isAfter(b) ? a : b));
        var decisions = DueDrills.due(drills, last, cluster -> {
            var f = facts.apply(cluster, now);
            var r = Optional.ofNullable(running.get(cluster)).map(Running::drill);
            return DueDrills.hold(new DueDrills.ClusterFacts(f.failingOver(), f.maintenance(), f.cooldownUntil(),
                    r.or(f::drillRunning)), now);
        }, cfg.compliance().timeZone(), now, GRACE);
        var out = new ArrayList<DueDrills.Due>();
        for (var due : decisions) {
            handled.put(due.drill().name(), due.scheduledFor());
            switch (due) {
                case DueDrills.Due.Missed missed -> out.add(miss(missed, now));
                case DueDrills.Due.Run run -> {
                    var runner = runners.apply(cfg);
                    var why = runner.unsupported(run.drill());
                    if (why.isPresent()) {
                        out.add(miss(new DueDrills.Due.Missed(run.drill(), run.scheduledFor(), "it cannot run: "
                                + why.get()), now));
                    } else {
                        launch(runner, run);
                        out.add(run);
                    }
                }
            }
        }
        return out;
    }

    private DueDrills.Due.Missed miss(DueDrills.Due.Missed missed, Instant now) {
        DrillRecords.missed(store, actor, missed.drill(), missed.scheduledFor(), missed.why(), now);
        LOG.warn("drill {} scheduled for {} missed: {}", missed.drill().name(), missed.scheduledFor(), missed.why());
        return missed;
    }

    private void launch(DrillRunner runner, DueDrills.Due.Run run) {
        var drill = run.drill();
        var thread = Thread.ofPlatform().name("drctl-drill-" + drill.name()).unstarted(() -> {
            try {
                LOG.info("drill {} scheduled for {} starts: {} on a {} copy of {}", drill.name(), run.scheduledFor(),
                        drill.failure().configName(), drill.environment().configName(), drill.cluster());
                var result = runner.run(drill, progress(drill));
                LOG.info("drill {} {}: {}", drill.name(), result.verdict().passed() ? "passed" : "failed",
                        result.verdict().summary());
            } catch (RuntimeException e) {
                // the runner journaled the failure (DRILL_RESULT failed) when it got as far as starting
                LOG.error("drill {} could not run: {}", drill.name(), e.getMessage());
            } finally {
                running.remove(drill.cluster());
            }
        });
        running.put(drill.cluster(), new Running(drill.name(), thread));
        thread.start();
    }

    private static DrillProgress progress(DrillSpec drill) {
        return new DrillProgress() {
            @Override
            public void phase(String name, String detail) {
                LOG.info("drill {}: {}: {}", drill.name(), name, detail);
            }
        };
    }

    /** The drills running now, by cluster. */
    public Map<ClusterName, String> running() {
        var out = new HashMap<ClusterName, String>();
        running.forEach((c, r) -> out.put(c, r.drill()));
        return out;
    }

    /**
     * Stops the schedule; a running drill is interrupted, which tears its environment down and journals it as
     * failed (it did not finish), waited for at most {@link #STOP_BOUND}.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        try {
            periodic.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        var deadline = System.nanoTime() + STOP_BOUND.toNanos();
        for (var r : List.copyOf(running.values())) {
            r.thread().interrupt();
        }
        for (var r : List.copyOf(running.values())) {
            try {
                r.thread().join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
