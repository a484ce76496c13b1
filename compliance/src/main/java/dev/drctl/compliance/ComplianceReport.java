package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ComplianceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the HTML compliance report shows, computed from the journal alone (the tamper-evident record):
 * per cluster, every run with its timeline and RTO/RPO against the targets, the incidents (verdict
 * changes), the last successful drill's age, and notification delivery times.
 */
public record ComplianceReport(Instant generatedAt, ReportPeriod period, ComplianceSpec spec, String store,
                               Verification verification, List<ClusterSection> clusters) {

    public ComplianceReport {
        clusters = List.copyOf(clusters);
    }

    /**
     * @param runs          failovers, switchovers, drills and rejoins (refused ones too) that started or finished in the period
     * @param incidents     verdict changes in the period
     * @param lastDrill     the latest successful drill up to the report's generation, in or before the period
     */
    public record ClusterSection(ClusterName cluster, List<RunSection> runs, List<JournalEntry> incidents,
                                 Optional<RunRecord> lastDrill, Optional<Duration> drillAge, boolean drillOverdue,
                                 List<NotificationSection> notifications) {
        public ClusterSection {
            runs = List.copyOf(runs);
            incidents = List.copyOf(incidents);
            notifications = List.copyOf(notifications);
        }
    }

    /**
     * A run with its journal entries, where it counts, and whether it met the targets: empty when not measured, and
     * always empty for a run that moved no writer (a refusal, a rejoin), which the targets do not apply to.
     */
    public record RunSection(RunRecord run, RunCategory category, List<JournalEntry> timeline, Optional<Duration> rto,
                             Optional<Boolean> rtoMet, Optional<Duration> rpo, Optional<Boolean> rpoMet) {
        public RunSection {
            timeline = List.copyOf(timeline);
        }
    }

    /** @param onTime empty while undelivered */
    public record NotificationSection(NotificationRecord notification, boolean delivered, Optional<Boolean> onTime) {
    }

    /**
     * Builds the report.
     *
     * @param inPeriod  the journal entries in the period (already filtered by cluster when asked)
     * @param allDrills every RUN_FINISHED / DRILL_RESULT entry up to now, to find the last successful drill
     * @param configured the clusters of the config (shown even when nothing happened to them)
     */
    public static ComplianceReport of(Instant now, ReportPeriod period, ComplianceSpec spec, String store,
                                      Verification verification, List<ClusterName> configured, List<JournalEntry> inPeriod,
                                      List<JournalEntry> allDrills) {
        var names = new TreeSet<>(configured);
        inPeriod.forEach(e -> e.cluster().ifPresent(names::add));
        var targets = spec.targets();
        var sections = new ArrayList<ClusterSection>();
        for (var cluster : names) {
            var mine = inPeriod.stream().filter(e -> e.cluster().equals(Optional.of(cluster))).toList();
            var runs = new LinkedHashMap<String, RunRecord>();
            for (var e : mine) {
                switch (e.kind()) {
                    case RUN_STARTED -> runs.putIfAbsent(runIdOf(e), RunRecord.fromJson(e.payloadTree()));
                    case RUN_FINISHED, DRILL_RESULT -> runs.put(runIdOf(e), RunRecord.fromJson(e.payloadTree()));
                    case CONFIG_LOADED, VERDICT_CHANGED, DECISION, STEP_INTENT, STEP_OUTCOME, NOTIFICATION_SENT,
                         NOTIFICATION_FAILED, NOTIFICATION_QUEUED, MANUAL_OVERRIDE, PURGE_CHECKPOINT -> {
                    }
                }
            }
            var runSections = runs.values().stream().map(run -> {
                var timeline = mine.stream().filter(e -> e.runId().equals(Optional.of(run.runId()))).toList();
                var category = RunCategory.of(run);
                var rto = category.changedPrimary() ? run.effectiveRto() : Optional.<Duration>empty();
                var rpo = category.changedPrimary() ? run.rpo() : Optional.<Duration>empty();
                return new RunSection(run, category, timeline, rto, rto.map(d -> d.compareTo(targets.rto()) <= 0), rpo,
                        rpo.map(d -> d.compareTo(targets.rpo()) <= 0));
            }).toList();
            var incidents = mine.stream().filter(e -> e.kind() == JournalKind.VERDICT_CHANGED).toList();
            var lastDrill = allDrills.stream()
                    .filter(e -> e.cluster().equals(Optional.of(cluster)))
                    .map(e -> RunRecord.fromJson(e.payloadTree()))
                    .filter(r -> r.kind() == RunKind.DRILL && r.status() == RunStatus.SUCCEEDED)
                    .reduce((a, b) -> b);
            var drillAge = lastDrill.map(d -> Duration.between(d.finishedAt().orElse(d.startedAt()), now));
            boolean overdue = drillAge.map(a -> a.compareTo(targets.drillEvery()) > 0).orElse(true);
            sections.add(new ClusterSection(cluster, runSections, incidents, lastDrill, drillAge, overdue,
                    notifications(mine, targets.notifyWithin())));
        }
        return new ComplianceReport(now, period, spec, store, verification, sections);
    }

    private static List<NotificationSection> notifications(List<JournalEntry> entries, Duration within) {
        Map<String, NotificationSection> byId = new LinkedHashMap<>();
        for (var e : entries) {
            switch (e.kind()) {
                case NOTIFICATION_SENT -> {
                    var n = NotificationRecord.fromJson(e.payloadTree());
                    byId.put(n.id(), new NotificationSection(n, true,
                            n.deliveryTime().map(d -> d.compareTo(within) <= 0)));
                }
                case NOTIFICATION_FAILED -> {
                    var n = NotificationRecord.fromJson(e.payloadTree());
                    var known = byId.get(n.id());
                    if (known == null || !known.delivered()) {
                        byId.put(n.id(), new NotificationSection(n, false, Optional.empty()));
                    }
                }
                case CONFIG_LOADED, VERDICT_CHANGED, DECISION, STEP_INTENT, STEP_OUTCOME, RUN_STARTED, RUN_FINISHED,
                     DRILL_RESULT, NOTIFICATION_QUEUED, MANUAL_OVERRIDE, PURGE_CHECKPOINT, JOURNAL_KEYED,
                     COMPLIANCE_DIGEST -> {
                }
            }
        }
        return List.copyOf(byId.values());
    }

    private static String runIdOf(JournalEntry e) {
        return e.runId().orElseGet(() -> e.payloadTree().path("runId").asText("seq-" + e.seq()));
    }
}
