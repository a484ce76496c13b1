package dev.drctl.runbooks.watch;

import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.StateStore;
import dev.drctl.notifiers.Notifications;
import dev.drctl.notifiers.Outbox;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ComplianceSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code COMPLIANCE_OVERDUE} for drills: a cluster whose last successful drill is older than
 * {@code compliance.targets.drill-every} is overdue, and the DBA and compliance audiences are told once, then again at
 * most once a day (a day in {@code compliance.time-zone}) while it stays overdue. The daemon calls {@link #check}
 * every round or every minute; the question is the pure {@link #due}.
 *
 * <p>A cluster never drilled is measured from when drctl first journaled it, so a fresh installation is not overdue
 * on its first day but is once {@code drill-every} has passed without a drill. Once a day is kept twice: here, so a
 * check costs no store write after the day's message, and by the message's dedup key in the outbox, so a restarted
 * daemon (or a second one on a shared store) does not send the day's message again.
 */
public final class DrillCompliance {

    private final StateStore store;
    private final Outbox outbox;
    private final Notifications notifications;
    private final Duration drillEvery;
    private final ZoneId zone;
    private final Map<ClusterName, LocalDate> raisedOn = new HashMap<>();
    private final Map<ClusterName, Instant> knownSince = new HashMap<>();

    public DrillCompliance(StateStore store, Outbox outbox, ComplianceSpec compliance) {
        this.store = Objects.requireNonNull(store, "store");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.notifications = new Notifications(compliance);
        this.drillEvery = compliance.targets().drillEvery();
        this.zone = compliance.timeZone();
    }

    /** Whether a cluster's drills are on time. */
    public sealed interface Due {
        /** On time: the next successful drill is due by {@code dueBy}. */
        record OnTime(Instant dueBy) implements Due {
        }

        /**
         * Overdue since {@code since} ({@code drill-every} after the last successful drill, or after drctl first knew
         * the cluster when it was never drilled).
         */
        record Overdue(Optional<Instant> lastSuccess, Instant since) implements Due {
        }
    }

    /** A COMPLIANCE_OVERDUE queued by a {@link #check}. */
    public record Raised(ClusterName cluster, Due.Overdue overdue, Outbox.Enqueued enqueued) {
    }

    /**
     * The pure question: is a drill overdue at {@code now}? Overdue when the last successful drill is older than
     * {@code every} (strictly); a cluster never drilled counts from {@code knownSince}.
     */
    public static Due due(Optional<Instant> lastSuccess, Instant knownSince, Duration every, Instant now) {
        var since = lastSuccess.orElse(knownSince).plus(every);
        return now.isAfter(since) ? new Due.Overdue(lastSuccess, since) : new Due.OnTime(since);
    }

    /**
     * Checks every cluster given (the daemon passes every configured cluster: each protected cluster is to be drilled)
     * and queues COMPLIANCE_OVERDUE for the ones overdue that were not told yet today. Returns what it queued.
     */
    public synchronized List<Raised> check(Collection<ClusterName> clusters, Instant now) {
        var raised = new ArrayList<Raised>();
        var today = now.atZone(zone).toLocalDate();
        for (var cluster : clusters) {
            if (today.equals(raisedOn.get(cluster))) {
                continue;
            }
            var last = store.runs().lastSucceeded(cluster, RunKind.DRILL);
            var known = knownSince.computeIfAbsent(cluster, c -> store.firstJournaled(c).orElse(now));
            var due = due(last.map(DrillCompliance::drilledAt), known, drillEvery, now);
            switch (due) {
                case Due.OnTime onTime -> raisedOn.remove(cluster);
                case Due.Overdue overdue -> {
                    var enqueued = outbox.enqueue(notifications.drillOverdue(cluster, now, last));
                    raisedOn.put(cluster, today);
                    if (!enqueued.duplicate()) {
                        raised.add(new Raised(cluster, overdue, enqueued));
                    }
                }
            }
        }
        return raised;
    }

    /**
     * Runs {@link #check} every {@code every} on a virtual thread of its own (first at once), for the clusters
     * {@code clusters} names at each check (a reloaded config is followed), until the returned handle is closed. A
     * failed check (the store unreachable) is logged and tried again at the next one.
     */
    public AutoCloseable start(java.util.function.Supplier<Collection<ClusterName>> clusters, java.time.Clock clock,
                               Duration every) {
        return Periodic.start("drill compliance", every, () -> check(clusters.get(), clock.instant()));
    }

    /** What the cluster's status shows: the drill state now, without raising anything. */
    public Due status(ClusterName cluster, Instant now) {
        var last = store.runs().lastSucceeded(cluster, RunKind.DRILL);
        var known = store.firstJournaled(cluster).orElse(now);
        return due(last.map(DrillCompliance::drilledAt), known, drillEvery, now);
    }

    // The same instant Notifications.drillOverdue measures from: the drill's end, else its start.
    private static Instant drilledAt(RunRecord run) {
        return run.finishedAt().orElse(run.startedAt());
    }
}
