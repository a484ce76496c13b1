package dev.drctl.notifiers;

import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.NodeName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds each kind of {@link Notification} from what the runbooks, drills and compliance checks know: the
 * figures, the targets they are measured against, and the next step for the reader. Pure: no I/O, no clock.
 * The runbooks call these and pass the result to {@link Outbox#enqueue}.
 */
public final class Notifications {
    private final ComplianceSpec.Targets targets;
    private final MessageTimes times;

    public Notifications(ComplianceSpec compliance) {
        this.targets = compliance.targets();
        this.times = new MessageTimes(compliance.timeZone());
    }

    /**
     * A failover is starting (safety rule 1 confirmed the primary dead).
     *
     * @param verdict   the verdict's one-sentence summary
     * @param evidence  what the probes and replicas said, one line each
     * @param decision  the decider's reason, e.g. the ranking's winner and why
     */
    public Notification failoverStarted(ClusterName cluster, String runId, Instant at, NodeName failedPrimary,
                                        Optional<NodeName> candidate, String verdict, List<String> evidence,
                                        String decision) {
        var v = base(cluster, runId, at, "Automatic failover started: " + failedPrimary + " is down");
        v.put("failedPrimary", failedPrimary.value());
        v.put("candidate", candidate.map(NodeName::value).orElse("to be chosen"));
        v.put("verdict", verdict);
        v.put("decision", decision);
        v.put("evidence", List.copyOf(evidence));
        v.put("facts", List.of(fact("Failed primary", failedPrimary.value()),
                fact("Promoting", candidate.map(NodeName::value).orElse("to be chosen")),
                fact("Detected", times.format(at))));
        return build(NotificationKind.FAILOVER_STARTED, cluster, runId, at,
                "[drctl] " + cluster + ": failover started, " + failedPrimary + " is down", v);
    }

    /**
     * A failover finished.
     *
     * @param dns the writer record's state, e.g. {@code payments-rw.db.example.com → pg-mum-2.db.internal (INSYNC)}
     */
    public Notification failoverCompleted(RunRecord run, String dns) {
        return failoverCompleted(run, dns, Optional.empty());
    }

    /**
     * A failover finished; {@code rpoEstimate} is the runbook's estimate in words, shown when no figure was measured
     * (a primary killed outright cannot say how far it had written).
     */
    public Notification failoverCompleted(RunRecord run, String dns, Optional<String> rpoEstimate) {
        var v = runValues(run, "Failover completed: " + node(run.oldPrimary()) + " → " + node(run.newPrimary()));
        v.put("dns", dns);
        var facts = new ArrayList<Map<String, Object>>();
        facts.add(fact("Old primary (fenced)", node(run.oldPrimary())));
        facts.add(fact("New primary", node(run.newPrimary())));
        facts.add(fact("Epoch", run.epoch().map(String::valueOf).orElse("unknown")));
        facts.addAll(rtoFacts(run));
        facts.addAll(rpoFacts(run, rpoEstimate));
        facts.add(fact("Writer DNS", dns));
        v.put("facts", facts);
        v.put("rtoSplit", rtoSplit(run));
        return build(NotificationKind.FAILOVER_COMPLETED, run.cluster(), run.runId(), finished(run),
                "[drctl] " + run.cluster() + ": failover completed, " + node(run.oldPrimary()) + " → "
                        + node(run.newPrimary()) + rtoSuffix(run), v);
    }

    /**
     * A failover stopped part-way.
     *
     * @param step      the runbook step that failed
     * @param detail    what went wrong
     * @param stateLeft where things stand now (who is primary, where DNS points)
     * @param nextStep  what a person should do
     */
    public Notification failoverFailed(RunRecord run, String step, String detail, String stateLeft, String nextStep) {
        var v = runValues(run, "Failover failed at step " + step);
        v.put("step", step);
        v.put("detail", detail);
        v.put("stateLeft", stateLeft);
        v.put("nextSteps", List.of(nextStep));
        v.put("facts", List.of(fact("Failed step", step), fact("Old primary", node(run.oldPrimary())),
                fact("Intended new primary", node(run.newPrimary())), fact("State now", stateLeft)));
        return build(NotificationKind.FAILOVER_FAILED, run.cluster(), run.runId(), finished(run),
                "[drctl] " + run.cluster() + ": FAILOVER FAILED at " + step + ", action needed", v);
    }

    /** The promoted node failed verification (e.g. still read-only); DNS was not moved and nothing is retried. */
    public Notification failoverVerificationFailed(RunRecord run, String detail, String nextStep) {
        var v = runValues(run, "Promotion of " + node(run.newPrimary()) + " was not verified");
        v.put("detail", detail);
        v.put("nextSteps", List.of(nextStep));
        v.put("facts", List.of(fact("Promoted node", node(run.newPrimary())), fact("Check failed", detail),
                fact("Writer DNS", "not moved (still points at the old writer)"),
                fact("Automatic retry", "none (no retry storm); a person decides")));
        return build(NotificationKind.FAILOVER_VERIFICATION_FAILED, run.cluster(), run.runId(), finished(run),
                "[drctl] " + run.cluster() + ": failover verification FAILED on " + node(run.newPrimary())
                        + ", DNS unchanged", v);
    }

    /**
     * A safety rule refused an automatic failover; a person must decide.
     *
     * @param rule     the rule that stopped it, e.g. {@code RPO guard (rule 3)}
     * @param reason   the refusal's sentence
     * @param nextStep what the person may do, e.g. {@code drctl failover payments --accept-data-loss}
     */
    public Notification failoverBlocked(ClusterName cluster, String incidentId, Instant at, String rule, String reason,
                                        List<String> evidence, String nextStep) {
        var v = base(cluster, incidentId, at, "Automatic failover refused by " + rule + ": a person must decide");
        v.put("rule", rule);
        v.put("reason", reason);
        v.put("evidence", List.copyOf(evidence));
        v.put("nextSteps", List.of(nextStep));
        v.put("facts", List.of(fact("Stopped by", rule), fact("Why", reason), fact("Since", times.format(at))));
        return build(NotificationKind.FAILOVER_BLOCKED, cluster, incidentId, at,
                "[drctl] " + cluster + ": failover BLOCKED by " + rule + ", a person must decide", v);
    }

    /** A planned switchover finished (no acknowledged write lost). */
    public Notification switchoverCompleted(RunRecord run, String dns) {
        var v = runValues(run, "Switchover completed: " + node(run.oldPrimary()) + " → " + node(run.newPrimary()));
        v.put("dns", dns);
        var facts = new ArrayList<Map<String, Object>>();
        facts.add(fact("Old primary (now replica)", node(run.oldPrimary())));
        facts.add(fact("New primary", node(run.newPrimary())));
        facts.add(fact("Epoch", run.epoch().map(String::valueOf).orElse("unknown")));
        run.effectiveRto().ifPresent(d -> facts.add(fact("Writes unavailable", MessageTimes.duration(d))));
        facts.add(fact("Writer DNS", dns));
        v.put("facts", facts);
        v.put("rtoSplit", rtoSplit(run));
        return build(NotificationKind.SWITCHOVER_COMPLETED, run.cluster(), run.runId(), finished(run),
                "[drctl] " + run.cluster() + ": switchover completed, " + node(run.oldPrimary()) + " → "
                        + node(run.newPrimary()), v);
    }

    /** A drill's result: DRILL_PASSED when it succeeded and met the RTO and RPO targets, else DRILL_FAILED. */
    public Notification drillResult(RunRecord run) {
        boolean rtoMet = run.effectiveRto().map(d -> d.compareTo(targets.rto()) <= 0).orElse(false);
        boolean rpoMet = run.rpo().map(d -> d.compareTo(targets.rpo()) <= 0).orElse(false);
        boolean passed = run.status() == RunStatus.SUCCEEDED && rtoMet && rpoMet;
        var kind = passed ? NotificationKind.DRILL_PASSED : NotificationKind.DRILL_FAILED;
        var name = run.drill().orElse(run.runId());
        var v = runValues(run, "Drill " + name + (passed ? " passed" : " failed") + ": " + run.summary());
        v.put("drill", name);
        v.put("passed", passed);
        var facts = new ArrayList<Map<String, Object>>();
        facts.add(fact("Drill", name));
        facts.add(fact("Outcome", run.status().name().toLowerCase(java.util.Locale.ROOT)));
        facts.addAll(rtoFacts(run));
        facts.addAll(rpoFacts(run));
        v.put("facts", facts);
        v.put("rtoSplit", rtoSplit(run));
        if (!passed) {
            v.put("nextSteps", List.of("Read the drill's journal (drctl audit export --format html) and fix what missed "
                    + "its target before the next scheduled drill; a failed drill does not count towards drill-every."));
        }
        return build(kind, run.cluster(), run.runId(), finished(run), "[drctl] " + run.cluster() + ": drill " + name
                + (passed ? " passed" : " FAILED") + rtoSuffix(run), v);
    }

    /** No successful drill within {@code drill-every}. */
    public Notification drillOverdue(ClusterName cluster, Instant now, Optional<RunRecord> lastSuccessfulDrill) {
        var last = lastSuccessfulDrill.map(r -> r.finishedAt().orElse(r.startedAt()));
        var reason = last.map(l -> "the last successful drill was " + MessageTimes.duration(Duration.between(l, now))
                        + " ago, more than drill-every " + MessageTimes.duration(targets.drillEvery()))
                .orElse("no successful drill has ever been recorded");
        var incident = "overdue-drill-" + cluster + "-" + now.atZone(times.zone()).toLocalDate();
        var v = base(cluster, incident, now, "DR drill overdue: " + reason);
        v.put("reason", reason);
        v.put("facts", List.of(
                fact("Last successful drill", last.map(times::format).orElse("never")),
                target("Drill interval", last.map(l -> MessageTimes.duration(Duration.between(l, now))).orElse("∞"),
                        MessageTimes.duration(targets.drillEvery()), false)));
        v.put("nextSteps", List.of("Run a drill now: drctl drill run NAME (see drctl drill list), or check why the "
                + "scheduled drills did not succeed."));
        return build(NotificationKind.COMPLIANCE_OVERDUE, cluster, incident, now,
                "[drctl] " + cluster + ": DR drill OVERDUE (" + reason + ")", v, Optional.of(incident));
    }

    /** An incident still unresolved after {@code notify-within}. */
    public Notification incidentOverdue(ClusterName cluster, String incidentId, Instant since, Instant now,
                                        String summary) {
        var age = Duration.between(since, now);
        var v = base(cluster, incidentId, now, "Incident unresolved for " + MessageTimes.duration(age) + ": " + summary);
        v.put("reason", summary);
        v.put("facts", List.of(fact("Incident", incidentId), fact("Open since", times.format(since)),
                target("Open for", MessageTimes.duration(age), MessageTimes.duration(targets.notifyWithin()), false),
                fact("State", summary)));
        v.put("nextSteps", List.of("Resolve the incident or record the decision (drctl failover / switchover), "
                + "so the audit trail shows who acted."));
        return build(NotificationKind.COMPLIANCE_OVERDUE, cluster, incidentId, now,
                "[drctl] " + cluster + ": incident " + incidentId + " unresolved for " + MessageTimes.duration(age), v,
                Optional.of("overdue-incident-" + incidentId));
    }

    /**
     * A replica problem began ({@code started}) or ended: told once each way, so a lagging replica pages once, not
     * every probe round.
     *
     * @param node   the replica
     * @param detail what drctl observed, e.g. {@code not streaming (WAL receiver stopped)}; for a clear, what it was
     */
    public Notification replicaProblem(ClusterName cluster, String incidentId, Instant at, NodeName node,
                                       boolean started, String detail) {
        var what = started ? "replica " + node + " has a problem" : "replica " + node + " is healthy again";
        var v = base(cluster, incidentId, at, what);
        v.put("detail", detail);
        v.put("nextSteps", List.of(started ? "Look with drctl status " + cluster + "; a replica that cannot stream is "
                + "no failover candidate" : "Nothing to do: the replica streams within max-lag again"));
        v.put("facts", List.of(fact("Replica", node.value()), fact(started ? "Problem" : "Was", detail),
                fact("Since", times.format(at))));
        return build(NotificationKind.REPLICA_PROBLEM, cluster, incidentId, at, "[drctl] " + cluster + ": " + what, v,
                Optional.of("replica-problem/" + incidentId + "/" + (started ? "started" : "cleared")));
    }

    /** drctl itself failed in a way someone must look at. */
    public Notification exception(Optional<ClusterName> cluster, String incidentId, Instant at, String what,
                                  String detail, String nextStep) {
        var v = base(cluster.orElse(null), incidentId, at, what);
        v.put("detail", detail);
        v.put("nextSteps", List.of(nextStep));
        v.put("facts", List.of(fact("What", what), fact("Detail", detail)));
        return build(NotificationKind.EXCEPTION, cluster, incidentId, at,
                "[drctl] " + cluster.map(c -> c + ": ").orElse("") + what, v, Optional.empty());
    }

    /** {@code drctl notify test}: proves each channel works. */
    public Notification test(String incidentId, Instant at, String sentBy) {
        var v = base(null, incidentId, at, "Test message from drctl: this channel works");
        v.put("sentBy", sentBy);
        v.put("facts", List.of(fact("Sent by", sentBy), fact("Sent at", times.format(at))));
        return build(NotificationKind.TEST, Optional.empty(), incidentId, at, "[drctl] test message", v,
                Optional.empty());
    }

    // ---- pieces -------------------------------------------------------------------------------------------

    private Map<String, Object> base(ClusterName cluster, String incidentId, Instant at, String headline) {
        var v = new LinkedHashMap<String, Object>();
        v.put("cluster", cluster == null ? "" : cluster.value());
        v.put("incident", incidentId);
        v.put("occurredAt", times.format(at));
        v.put("headline", headline);
        v.put("evidence", List.of());
        v.put("nextSteps", List.of());
        v.put("rtoSplit", List.of());
        return v;
    }

    private Map<String, Object> runValues(RunRecord run, String headline) {
        var v = base(run.cluster(), run.runId(), finished(run), headline);
        v.put("oldPrimary", node(run.oldPrimary()));
        v.put("newPrimary", node(run.newPrimary()));
        v.put("epoch", run.epoch().map(String::valueOf).orElse("unknown"));
        v.put("summary", run.summary());
        v.put("actor", run.actor().value());
        return v;
    }

    private List<Map<String, Object>> rtoFacts(RunRecord run) {
        return run.effectiveRto()
                .map(d -> List.of(target("RTO", MessageTimes.duration(d), MessageTimes.duration(targets.rto()),
                        d.compareTo(targets.rto()) <= 0)))
                .orElse(List.of(fact("RTO", "not measured")));
    }

    private List<Map<String, Object>> rpoFacts(RunRecord run) {
        return rpoFacts(run, Optional.empty());
    }

    private List<Map<String, Object>> rpoFacts(RunRecord run, Optional<String> estimate) {
        var out = new ArrayList<Map<String, Object>>();
        run.rpo().ifPresentOrElse(
                d -> out.add(target("RPO (estimate)", MessageTimes.duration(d)
                                + run.rpoBytes().map(b -> ", " + b + " bytes").orElse(""),
                        MessageTimes.duration(targets.rpo()), d.compareTo(targets.rpo()) <= 0)),
                () -> out.add(fact("RPO (estimate)", run.rpoBytes().map(b -> b + " bytes")
                        .or(() -> estimate).orElse("not measured"))));
        if (run.dataLossAccepted()) {
            out.add(fact("Data loss", "accepted by " + run.actor() + " (--accept-data-loss)"));
        }
        return out;
    }

    /** Detection, confirmation → promotion, DNS, first write: where the recovery time went. */
    private static List<Map<String, Object>> rtoSplit(RunRecord run) {
        var out = new ArrayList<Map<String, Object>>();
        span(out, "Detection (first failed probe → confirmed dead)", run.detectedAt(), run.confirmedAt());
        span(out, "Fencing and promotion", run.confirmedAt(), run.promotedAt());
        span(out, "DNS (promoted → record in sync)", run.promotedAt(), run.dnsAt());
        span(out, "First write through the new writer", run.dnsAt().or(run::promotedAt), run.firstWriteAt());
        return out;
    }

    private static void span(List<Map<String, Object>> out, String label, Optional<Instant> from, Optional<Instant> to) {
        if (from.isPresent() && to.isPresent()) {
            out.add(fact(label, MessageTimes.duration(Duration.between(from.get(), to.get()))));
        }
    }

    private String rtoSuffix(RunRecord run) {
        return run.effectiveRto().map(d -> " (RTO " + MessageTimes.duration(d)
                + (d.compareTo(targets.rto()) <= 0 ? ", target met)" : ", TARGET MISSED)")).orElse("");
    }

    private static Instant finished(RunRecord run) {
        return run.finishedAt().orElse(run.startedAt());
    }

    private static String node(Optional<NodeName> node) {
        return node.map(NodeName::value).orElse("unknown");
    }

    private static Map<String, Object> fact(String label, String value) {
        return Map.of("label", label, "value", value, "met", false, "missed", false, "target", "");
    }

    private static Map<String, Object> target(String label, String value, String target, boolean met) {
        return Map.of("label", label, "value", value, "met", met, "missed", !met, "target", target);
    }

    private Notification build(NotificationKind kind, ClusterName cluster, String runId, Instant at, String subject,
                               Map<String, Object> values) {
        return build(kind, Optional.of(cluster), runId, at, subject, values, Optional.of(kind + "/" + runId));
    }

    private static Notification build(NotificationKind kind, Optional<ClusterName> cluster, String incidentId, Instant at,
                                      String subject, Map<String, Object> values, Optional<String> dedupKey) {
        var v = new LinkedHashMap<>(values);
        v.put("subject", subject);
        v.put("kind", kind.name());
        v.put("severity", kind.severity().name().toLowerCase(java.util.Locale.ROOT));
        return new Notification(kind, cluster, incidentId, at, subject, v, dedupKey);
    }

    private Notification build(NotificationKind kind, ClusterName cluster, String incidentId, Instant at, String subject,
                               Map<String, Object> values, Optional<String> dedupKey) {
        return build(kind, Optional.of(cluster), incidentId, at, subject, values, dedupKey);
    }
}
