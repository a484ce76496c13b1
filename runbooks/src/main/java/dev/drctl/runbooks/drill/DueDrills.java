package dev.drctl.runbooks.drill;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrillSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which scheduled drills the daemon runs now, and which scheduled runs were missed. Pure: the drills, when each was
 * last handled (run or recorded as missed), whether each cluster may be drilled now, and {@code now} in; decisions
 * out. The daemon runs each {@link Due.Run} (one at a time per cluster) and journals each {@link Due.Missed}
 * ({@link DrillRecords#missed}), which also makes it handled.
 */
public final class DueDrills {
    /** A scheduled time older than this when first seen is missed, not run late (the daemon was down at its time). */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
    /** Missed times reported at most per drill and call (a daemon down for a year is one line, not 52). */
    static final int MAX_MISSED = 20;

    private DueDrills() {
    }

    /** What to do about one scheduled time of one drill. */
    public sealed interface Due {
        DrillSpec drill();

        Instant scheduledFor();

        /** Run it now. */
        record Run(DrillSpec drill, Instant scheduledFor) implements Due {
        }

        /** It did not run and will not: record it as missed, with why. */
        record Missed(DrillSpec drill, Instant scheduledFor, String why) implements Due {
        }
    }

    /**
     * What the daemon knows of one cluster when its drills come due.
     *
     * @param failingOver   a failover or switchover of the cluster is running (this daemon's, or a run by hand that
     *                      the store shows unfinished)
     * @param maintenance   the cluster's maintenance mode, in words, if on
     * @param cooldownUntil the end of the cooldown after the cluster's last failover, if any
     * @param drillRunning  the name of a drill of the cluster that runs now, if any
     */
    public record ClusterFacts(boolean failingOver, Optional<String> maintenance, Optional<Instant> cooldownUntil,
                               Optional<String> drillRunning) {
        public ClusterFacts {
            Objects.requireNonNull(maintenance, "maintenance");
            Objects.requireNonNull(cooldownUntil, "cooldownUntil");
            Objects.requireNonNull(drillRunning, "drillRunning");
        }

        /** Nothing holds the cluster. */
        public static ClusterFacts free() {
            return new ClusterFacts(false, Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /**
     * Why a cluster may not be drilled at {@code now}, if it may not: a drill then adds a failure (or a switchover)
     * to a cluster already being acted on, or one a person asked automation to leave alone. In precedence order: a
     * person's maintenance, a running failover, the cooldown, a drill already running.
     */
    public static Optional<String> hold(ClusterFacts facts, Instant now) {
        if (facts.maintenance().isPresent()) {
            return Optional.of("in maintenance (" + facts.maintenance().get() + ")");
        }
        if (facts.failingOver()) {
            return Optional.of("failing over (a runbook is running on it)");
        }
        if (facts.cooldownUntil().isPresent() && now.isBefore(facts.cooldownUntil().get())) {
            return Optional.of("cooling down after its last failover until " + facts.cooldownUntil().get());
        }
        return facts.drillRunning().map(d -> "drill " + d + " of this cluster is still running (one at a time per "
                + "cluster)");
    }

    /**
     * @param drills      the configured drills (those without a schedule are never due)
     * @param lastHandled per drill name: the latest scheduled time (or start of a run by hand) already handled;
     *                    a drill with none counts from {@code now - grace}
     * @param hold        per cluster: why it may not be drilled now (failing over, in maintenance, breaker open,
     *                    a drill already running), empty when it may
     * @param zone        the zone schedules are read in ({@code compliance.time-zone})
     * @param grace       how late a scheduled run may still start
     */
    public static List<Due> due(List<DrillSpec> drills, Map<String, Instant> lastHandled,
                                Function<ClusterName, Optional<String>> hold, ZoneId zone, Instant now, Duration grace) {
        Objects.requireNonNull(hold, "hold");
        var out = new ArrayList<Due>();
        var startedFor = new HashSet<ClusterName>();
        for (var drill : drills) {
            if (drill.schedule().isEmpty() || !drill.daemonMayRun()) {
                // a game day on the real cluster is scheduled only where the drill says so (config refuses the rest)
                continue;
            }
            var cron = new DrillCron(drill.schedule().get(), zone);
            var handled = lastHandled.get(drill.name());
            var times = cron.between(handled == null ? now.minus(grace) : handled, now, MAX_MISSED + 1);
            if (times.isEmpty()) {
                continue;
            }
            if (handled == null) {
                // never handled (new, or a fresh store): only its latest time is its to run; the earlier ones in the
                // grace window were before drctl knew the drill, so none was missed
                times = times.subList(times.size() - 1, times.size());
            }
            var latest = times.getLast();
            for (var t : times.subList(0, times.size() - 1)) {
                out.add(new Due.Missed(drill, t, "a later scheduled time (" + latest + ") came before it ran"));
            }
            if (Duration.between(latest, now).compareTo(grace) > 0) {
                out.add(new Due.Missed(drill, latest, "not run within " + grace.toMinutes() + " min of its time "
                        + "(drctl was not running)"));
                continue;
            }
            var held = hold.apply(drill.cluster());
            if (held.isPresent()) {
                out.add(new Due.Missed(drill, latest, "cluster " + drill.cluster() + " could not be drilled: "
                        + held.get()));
            } else if (!startedFor.add(drill.cluster())) {
                out.add(new Due.Missed(drill, latest, "another drill of cluster " + drill.cluster()
                        + " runs at the same time (one at a time per cluster)"));
            } else {
                out.add(new Due.Run(drill, latest));
            }
        }
        return out;
    }
}
