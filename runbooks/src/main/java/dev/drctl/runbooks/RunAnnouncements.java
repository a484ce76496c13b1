package dev.drctl.runbooks;

import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.notifiers.Notification;
import dev.drctl.notifiers.Notifications;
import dev.drctl.notifiers.Outbox;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.NodeName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is told what about a failover or switchover (issue 6, safety rule 9): FAILOVER_STARTED by the
 * {@link AnnounceStarted} step right after the commit step, and the ending (FAILOVER_COMPLETED, FAILOVER_FAILED,
 * FAILOVER_VERIFICATION_FAILED, FAILOVER_BLOCKED, SWITCHOVER_COMPLETED; a failed switchover as EXCEPTION) queued
 * in the same commit as the run's RUN_FINISHED journal entry. Everything here only writes to the store: the
 * {@link dev.drctl.notifiers.OutboxSender} delivers later, on its own thread, so a dead mail server never delays or
 * fails a run. Each notification carries the dedup key {@code KIND/<run id>}: a resumed run does not announce twice.
 *
 * <p>An engine given these ({@link RunbookEngine#announcing}) adds the announce step to every failover it runs or
 * plans (a dry-run only describes it).
 */
public final class RunAnnouncements {
    private static final Logger log = LoggerFactory.getLogger(RunAnnouncements.class);
    public static final String ANNOUNCE_STARTED = "announce-started";
    /**
     * The fact a DNS step leaves with the writer record's state in words, e.g.
     * {@code payments-rw.db.example.com → pg-2.db.internal (INSYNC)}; FAILOVER_COMPLETED shows it.
     */
    public static final String DNS_STATE = "dnsState";

    private final Outbox outbox;
    private final Notifications notifications;
    private final Set<String> announcedRuns = java.util.Collections.synchronizedSet(new LinkedHashSet<>());

    public RunAnnouncements(Outbox outbox, Notifications notifications) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.notifications = Objects.requireNonNull(notifications, "notifications");
    }

    public Notifications notifications() {
        return notifications;
    }

    /** The runs (incident ids) this process queued notifications for: a command waits for their delivery. */
    public List<String> announcedRuns() {
        synchronized (announcedRuns) {
            return List.copyOf(announcedRuns);
        }
    }

    /** {@code runbook} with its announce steps: FAILOVER_STARTED after the commit step of a failover. */
    public Runbook addTo(Runbook runbook) {
        return switch (runbook.kind()) {
            case FAILOVER -> {
                var announced = runbook.stepNames().contains(FailoverRunbook.COMMIT)
                        && !runbook.stepNames().contains(ANNOUNCE_STARTED)
                        ? runbook.withStepAfter(FailoverRunbook.COMMIT, new AnnounceStarted(this)) : runbook;
                yield announced.stepNames().contains("fence")
                        && !announced.stepNames().contains(AnnounceSplitBrainRisk.NAME)
                        ? announced.withStepAfter("fence", new AnnounceSplitBrainRisk(this)) : announced;
            }
            case SWITCHOVER, DRILL, REJOIN, FENCE -> runbook;
        };
    }

    public Outbox.Enqueued enqueue(Notification n) {
        var queued = outbox.enqueue(n);
        announcedRuns.add(n.incidentId());
        return queued;
    }

    /**
     * Journals the run's end ({@code runFinished}) with its notification in one commit; when there is nothing to tell,
     * or the notification cannot be built or queued, or it was already queued (a resumed run), the entry is journaled
     * alone. Only a failure to journal the entry itself is thrown.
     */
    void journalEnd(StateStore store, JournalDraft runFinished, RunKind kind, ClusterSpec cluster, RunRecord record,
                    RunFacts facts, RunResult.End end, List<StepReport> reports) {
        Optional<Notification> n;
        try {
            n = ending(kind, cluster, record, facts, end, reports);
        } catch (RuntimeException e) {
            log.warn("the end of run {} could not be announced: {}", record.runId(), e.toString());
            n = Optional.empty();
        }
        if (n.isPresent()) {
            try {
                var queued = outbox.enqueue(runFinished, n.get());
                announcedRuns.add(n.get().incidentId());
                if (!queued.duplicate()) {
                    return;
                }
            } catch (RuntimeException e) {
                // nothing of that commit was written; the run's end is journaled below without its notification
                log.warn("{} for run {} could not be queued: {}", n.get().kind(), record.runId(), e.getMessage());
            }
        }
        store.journal().append(runFinished);
    }

    /** What to tell about a run that ended {@code end}; empty when nobody needs telling (a dry-run, a rejoin). */
    Optional<Notification> ending(RunKind kind, ClusterSpec cluster, RunRecord record, RunFacts facts,
                                  RunResult.End end, List<StepReport> reports) {
        var stopped = stoppedAt(reports);
        return switch (kind) {
            case FAILOVER -> switch (end) {
                case COMPLETED -> Optional.of(notifications.failoverCompleted(record, dns(cluster, facts),
                        facts.get(RunFacts.RPO_ESTIMATE)));
                case REFUSED -> Optional.of(notifications.failoverBlocked(cluster.name(), record.runId(),
                        record.finishedAt().orElse(record.startedAt()), rule(stopped.map(StepReport::step).orElse("")),
                        record.summary(), evidence(reports), "Read the reason; drctl failover " + cluster.name()
                                + " --dry-run shows the plan. A person decides: bring the primary or a replica back, "
                                + "or run drctl failover " + cluster.name() + " [--to NODE] [--accept-data-loss]"));
                case FAILED -> {
                    var step = stopped.map(StepReport::step).orElse("unknown");
                    var detail = stopped.flatMap(StepReport::outcome).map(StepOutcome::detail).orElse(record.summary());
                    if (record.status() == RunStatus.PROMOTED_DNS_PENDING) {
                        // The failover happened; only the name is late: say so, with what finishes it.
                        yield Optional.of(notifications.failoverCompleted(record, dnsPending(cluster, detail),
                                facts.get(RunFacts.RPO_ESTIMATE)));
                    }
                    if (record.status() == RunStatus.PROMOTED_REPLICAS_PENDING) {
                        // The failover happened and the name moved; the summary names the replicas still to re-point.
                        yield Optional.of(notifications.failoverCompleted(record, dns(cluster, facts),
                                facts.get(RunFacts.RPO_ESTIMATE)));
                    }
                    if (step.equals(FailoverRunbook.VERIFY_WRITABLE)) {
                        yield Optional.of(notifications.failoverVerificationFailed(record, detail, "Look at "
                                + node(facts, RunFacts.NEW_PRIMARY) + " (why is it not writable?), then decide: "
                                + "drctl status " + cluster.name() + "; drctl failover " + cluster.name()
                                + " resumes nothing automatically"));
                    }
                    yield Optional.of(notifications.failoverFailed(record, step, detail, stateLeft(facts),
                            "Check drctl status " + cluster.name() + " and the journal (drctl audit export); run "
                                    + "drctl failover " + cluster.name() + " again once the cause is fixed"));
                }
                case PLANNED -> Optional.empty();
            };
            case SWITCHOVER -> switch (end) {
                case COMPLETED -> Optional.of(notifications.switchoverCompleted(record, dns(cluster, facts)));
                case FAILED -> {
                    if (record.status() == RunStatus.PROMOTED_DNS_PENDING) {
                        yield Optional.of(notifications.switchoverCompleted(record, dnsPending(cluster,
                                stopped.flatMap(StepReport::outcome).map(StepOutcome::detail).orElse(record.summary()))));
                    }
                    if (record.status() == RunStatus.PROMOTED_REPLICAS_PENDING) {
                        yield Optional.of(notifications.switchoverCompleted(record, dns(cluster, facts)));
                    }
                    var step = stopped.map(StepReport::step).orElse("unknown");
                    var detail = stopped.flatMap(StepReport::outcome).map(StepOutcome::detail).orElse(record.summary());
                    var n = notifications.exception(Optional.of(cluster.name()), record.runId(),
                            record.finishedAt().orElse(record.startedAt()), "switchover of " + cluster.name()
                                    + " failed at step " + step, detail + "; " + stateLeft(facts),
                            "Check drctl status " + cluster.name() + " and the journal (drctl audit export)");
                    yield Optional.of(new Notification(n.kind(), n.cluster(), n.incidentId(), n.occurredAt(),
                            n.subject(), n.values(), Optional.of(n.kind() + "/" + record.runId())));
                }
                case REFUSED, PLANNED -> Optional.empty();
            };
            case DRILL, REJOIN, FENCE -> Optional.empty();
        };
    }

    private static Optional<StepReport> stoppedAt(List<StepReport> reports) {
        for (int i = reports.size() - 1; i >= 0; i--) {
            var r = reports.get(i);
            if (r.outcome().filter(o -> o instanceof StepOutcome.Failed || o instanceof StepOutcome.Refused).isPresent()) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The safety rule behind a refusing step. */
    static String rule(String step) {
        return switch (step) {
            case FailoverRunbook.PROBE, FailoverRunbook.ANALYSE -> "primary-dead confirmation (rule 1)";
            case FailoverRunbook.RANK -> "candidate eligibility";
            case FailoverRunbook.RPO_GUARD -> "RPO guard (rule 3)";
            default -> step.isEmpty() ? "a safety rule" : "step " + step;
        };
    }

    private static List<String> evidence(List<StepReport> reports) {
        var out = new ArrayList<String>();
        for (var r : reports) {
            r.outcome().ifPresent(o -> out.add(r.step() + " (" + RunbookEngine.statusOf(o) + "): " + o.detail()));
        }
        return out;
    }

    /** The writer record's state: a DNS step's fact, else whether DNS is configured at all. */
    static String dnsPending(ClusterSpec cluster, String detail) {
        return "PENDING: " + detail + "; run drctl dns sync " + cluster.name() + " to finish it";
    }

    static String dns(ClusterSpec cluster, RunFacts facts) {
        return facts.get(DNS_STATE)
                .or(() -> facts.get(RunFacts.DNS_AT).map(at -> "in sync since " + at))
                .orElse(cluster.dns().isPresent() ? "pending (not updated by this run)" : "no DNS configured");
    }

    private static String node(RunFacts facts, String key) {
        return facts.node(key).map(NodeName::value).orElse("the new primary");
    }

    /** Where a stopped run left the cluster, from the facts its finished steps returned. */
    static String stateLeft(RunFacts facts) {
        var old = facts.get(RunFacts.OLD_PRIMARY).orElse("the old primary");
        var candidate = facts.get(RunFacts.NEW_PRIMARY).orElse("the candidate");
        if (facts.get(RunFacts.EPOCH).isPresent()) {
            return candidate + " is the primary (epoch " + facts.require(RunFacts.EPOCH) + "); a later step did not finish";
        }
        if (facts.get(RunFacts.PROMOTED_AT).isPresent()) {
            return candidate + " was promoted at " + facts.require(RunFacts.PROMOTED_AT)
                    + " but the epoch was not advanced; " + old + " was fenced if it answered";
        }
        return "nothing was promoted; " + old + " is still the recorded primary (fenced if it answered), "
                + candidate + " is a replica";
    }
}
