package dev.drctl.cli.daemon;

import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.runbooks.watch.AutomationBrakes;
import dev.drctl.runbooks.watch.AutomationHold;
import dev.drctl.runbooks.watch.WatchState;
import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@link DaemonView}s of a running daemon from what its parts know: the latest probe round of each cluster
 * (handed over by the round hook), each watch's latest state, the brakes, the store (checked at most every
 * {@link #STORE_CHECK_EVERY}) and the drills journaled (read at most every {@link #DRILLS_EVERY}). Cheap enough to
 * call for every {@code /health} request and scrape.
 */
public final class DaemonStatus {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonStatus.class);
    static final Duration STORE_CHECK_EVERY = Duration.ofSeconds(2);
    static final Duration DRILLS_EVERY = Duration.ofMinutes(1);

    private final Clock clock;
    private final Instant startedAt;
    private final StateStore store;
    private final StoreCheck storeCheck;
    private final AutomationBrakes brakes;
    private final Supplier<DrctlConfig> config;
    private final Supplier<List<WatchState>> states;
    private final BooleanSupplier schedulerRunning;
    private final Supplier<DaemonView.ConfigState> configState;
    private final Map<ClusterName, ClusterHistory> rounds = new ConcurrentHashMap<>();
    private volatile DaemonView.StoreStatus lastStore;
    private volatile Instant drillsReadAt;
    private volatile Map<ClusterName, Instant> drills = Map.of();

    public DaemonStatus(Clock clock, Instant startedAt, StateStore store, AutomationBrakes brakes,
                        Supplier<DrctlConfig> config, Supplier<List<WatchState>> states, BooleanSupplier schedulerRunning,
                        Supplier<DaemonView.ConfigState> configState) {
        this.clock = clock;
        this.startedAt = startedAt;
        this.store = store;
        this.storeCheck = new StoreCheck(store, clock, StoreCheck.DEFAULT_TIMEOUT);
        this.brakes = brakes;
        this.config = config;
        this.states = states;
        this.schedulerRunning = schedulerRunning;
        this.configState = configState;
    }

    /** The round hook: every probe round of every cluster, on the probe thread (quick: one map put). */
    public void probed(ClusterHistory round) {
        rounds.put(round.cluster().name(), round);
    }

    public DaemonView view() {
        var now = clock.instant();
        var storeStatus = store(now);
        var drillTimes = storeStatus.reachable() ? drills(now) : drills;
        var byName = new HashMap<ClusterName, WatchState>();
        states.get().forEach(s -> byName.put(s.cluster(), s));
        var cfg = config.get();
        var clusters = cfg.clusters().stream().map(spec -> cluster(spec, byName.get(spec.name()), now,
                storeStatus.reachable(), drillTimes)).toList();
        return new DaemonView(now, startedAt, configState.get(), schedulerRunning.getAsBoolean(), storeStatus, clusters);
    }

    private DaemonView.ClusterView cluster(ClusterSpec spec, WatchState state, Instant now, boolean storeUp,
                                           Map<ClusterName, Instant> drillTimes) {
        var round = Optional.ofNullable(rounds.get(spec.name()));
        var probed = round.flatMap(r -> r.byNode().values().stream().filter(l -> !l.isEmpty())
                .map(l -> l.getLast().at()).max(Instant::compareTo));
        // A loop is as alive as its slower half: the probe round, and the watch that judges it (its state is renewed
        // after every round it handles, and made at start before any).
        var lastRound = probed.map(p -> state != null && state.updatedAt().isBefore(p) ? state.updatedAt() : p);
        var lag = new LinkedHashMap<NodeName, Lag>();
        round.ifPresent(r -> spec.nodes().forEach(n -> r.latest(n.name()).ifPresent(o -> {
            if (o.outcome() instanceof ProbeOutcome.Reached reached && reached.role() == Role.REPLICA) {
                lag.put(n.name(), reached.lag());
            }
        })));
        Optional<DaemonView.Brake> brake = Optional.empty();
        if (storeUp) {
            try {
                brake = brakes.hold(spec, now).map(DaemonStatus::brake);
            } catch (DrctlException | IllegalStateException e) {
                LOG.debug("{}: brakes not read: {}", spec.name(), e.getMessage());
            }
        }
        var mode = spec.failover().mode().name().toLowerCase(Locale.ROOT).replace('_', '-');
        return new DaemonView.ClusterView(spec.name(), mode, spec.failover().probeInterval(), lastRound,
                state == null ? "none" : DaemonMetrics.snake(state.verdict()),
                state == null ? "no probe round yet" : state.summary(), lag, brake,
                state == null ? Optional.empty() : state.running(), state == null ? Optional.empty() : state.lastRun(),
                Optional.ofNullable(drillTimes.get(spec.name())));
    }

    /** The brakes' hold as the view shows it; a new kind of hold is a compile error here until it is shown. */
    static DaemonView.Brake brake(AutomationHold hold) {
        return switch (hold) {
            case AutomationHold.Maintenance m ->
                    new DaemonView.Brake(DaemonView.Brake.Kind.MAINTENANCE, m.sentence(), Optional.empty());
            case AutomationHold.CoolingDown c ->
                    new DaemonView.Brake(DaemonView.Brake.Kind.COOLING_DOWN, c.sentence(), Optional.of(c.until()));
            case AutomationHold.BreakerOpen b ->
                    new DaemonView.Brake(DaemonView.Brake.Kind.BREAKER_OPEN, b.sentence(), Optional.of(b.until()));
        };
    }

    private DaemonView.StoreStatus store(Instant now) {
        var last = lastStore;
        if (last == null || Duration.between(last.checkedAt(), now).compareTo(STORE_CHECK_EVERY) >= 0) {
            last = storeCheck.check();
            if (lastStore != null && lastStore.reachable() != last.reachable()) {
                if (last.reachable()) {
                    LOG.warn("state store {} answers again", last.description());
                } else {
                    LOG.error("state store {} unreachable: {}; not ready", last.description(), last.problem().orElse(""));
                }
            }
            lastStore = last;
        }
        return last;
    }

    /** When each cluster's last successful drill ended, from the journal's drill results. */
    private Map<ClusterName, Instant> drills(Instant now) {
        var readAt = drillsReadAt;
        if (readAt != null && Duration.between(readAt, now).compareTo(DRILLS_EVERY) < 0) {
            return drills;
        }
        try {
            var latest = new HashMap<ClusterName, Instant>();
            for (var e : store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.DRILL_RESULT)))) {
                var run = RunRecord.fromJson(e.payloadTree());
                if (run.status() == RunStatus.SUCCEEDED) {
                    var at = run.finishedAt().orElse(e.at());
                    latest.merge(run.cluster(), at, (a, b) -> a.isAfter(b) ? a : b);
                }
            }
            drills = Map.copyOf(latest);
            drillsReadAt = now;
        } catch (RuntimeException e) {
            LOG.debug("drill results not read: {}", e.toString());
        }
        return drills;
    }
}
