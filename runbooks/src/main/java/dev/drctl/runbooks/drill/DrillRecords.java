package dev.drctl.runbooks.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.notifiers.Notifications;
import dev.drctl.notifiers.Outbox;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.DrillSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A drill's entries in the operator's own journal (not the environment's): RUN_STARTED and DRILL_RESULT with a
 * {@link RunKind#DRILL} run record, which the compliance report reads for "last successful drill", and a missed
 * scheduled run as a DRILL_RESULT that did not run (status ABORTED, "missed: …"). A drill's final record also goes
 * into the run table, which {@code COMPLIANCE_OVERDUE} ({@code DrillCompliance}) reads the last successful drill from;
 * a running drill never does: nothing resumes a drill.
 */
public final class DrillRecords {
    static final String MISSED = "missed: ";
    /** The payload field holding the drill's full report ({@link DrillReport#json}) beside the run record's fields. */
    static final String REPORT = "report";

    private DrillRecords() {
    }

    public static void started(StateStore store, RunRecord run) {
        store.journal().append(JournalDraft.of(run.actor(), JournalKind.RUN_STARTED, run.toJson()).cluster(run.cluster())
                .run(run.runId()));
    }

    /**
     * Journals the result; a failed drill is also told (DRILL_FAILED) through {@code outbox} in the same commit, and a
     * passed one that met the compliance targets DRILL_PASSED.
     */
    public static void finished(StateStore store, Optional<Outbox> outbox, ComplianceSpec compliance, RunRecord run,
                                Optional<JsonNode> report) {
        var payload = run.toJson();
        report.ifPresent(r -> payload.set(REPORT, r));
        var entry = JournalDraft.of(run.actor(), JournalKind.DRILL_RESULT, payload).cluster(run.cluster())
                .run(run.runId());
        if (outbox.isPresent()) {
            var n = new Notifications(compliance).drillResult(run);
            outbox.get().enqueue(entry, n);
        } else {
            store.journal().append(entry);
        }
        store.runs().save(run);
    }

    /** Records a scheduled run that did not happen (the compliance report counts it as a drill not done). */
    public static RunRecord missed(StateStore store, Actor actor, DrillSpec drill, Instant scheduledFor, String why,
                                   Instant now) {
        var run = RunRecord.started("drill-missed-" + drill.name() + "-" + scheduledFor.getEpochSecond(), RunKind.DRILL,
                        drill.cluster(), actor, scheduledFor).withDrill(drill.name())
                .withTimeline(null, null, null, null, null, now)
                .withStatus(RunStatus.ABORTED, MISSED + "scheduled for " + scheduledFor + "; " + why);
        store.journal().append(JournalDraft.of(actor, JournalKind.DRILL_RESULT, run.toJson()).cluster(drill.cluster())
                .run(run.runId()));
        return run;
    }

    /** The latest journaled report of the drill named {@code name} (a drill that ran, not a missed one). */
    public static Optional<JsonNode> latestReport(StateStore store, String name) {
        JsonNode found = null;
        for (var e : store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.DRILL_RESULT)))) {
            var payload = e.payloadTree();
            if (name.equals(payload.path("drill").asText()) && payload.has(REPORT)) {
                found = payload.get(REPORT);
            }
        }
        return Optional.ofNullable(found);
    }

    /** Each drill's latest result (run or missed), by drill name. */
    public static Map<String, RunRecord> latest(StateStore store) {
        var out = new HashMap<String, RunRecord>();
        for (var e : store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.DRILL_RESULT)))) {
            var run = RunRecord.fromJson(e.payloadTree());
            if (run.kind() == RunKind.DRILL && run.drill().isPresent()) {
                out.merge(run.drill().get(), run, (a, b) -> b.startedAt().isAfter(a.startedAt()) ? b : a);
            }
        }
        return out;
    }

    /** For {@link DueDrills#due}: per drill, the start (or scheduled time) of its latest run or missed run. */
    public static Map<String, Instant> lastHandled(StateStore store) {
        var out = new HashMap<String, Instant>();
        latest(store).forEach((name, run) -> out.put(name, run.startedAt()));
        return out;
    }

    /** Whether a result is a missed scheduled run rather than one that ran. */
    public static boolean wasMissed(RunRecord run) {
        return run.status() == RunStatus.ABORTED && run.summary().startsWith(MISSED);
    }
}
