package dev.drctl.notifiers;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.Journal;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ComplianceSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The daily compliance digest (issue 12): once a day, from {@code compliance.digest-at} in {@code compliance.time-zone},
 * the compliance audience is sent the journal head, so a copy of it lives outside the store where a store administrator
 * cannot rewrite it; {@code drctl audit verify --expect-head SEQ:HASH} later proves the journal still extends it. With
 * it: journal entries and runs since the last digest, the last successful drill per cluster, the outbox backlog, and
 * whether the journal is keyed.
 *
 * <p>The daemon calls {@link #sendIfDue} on its loop. The digest goes through the durable outbox like every message: a
 * {@link JournalKind#COMPLIANCE_DIGEST} entry and the notification commit together, and the dedup key
 * {@code COMPLIANCE_DIGEST/<day>} keeps two daemons on a shared store from sending the same day twice.
 */
public final class ComplianceDigest {
    private final ComplianceSpec compliance;
    private final List<ClusterName> clusters;
    private final Notifications notifications;
    private final Actor actor;

    /**
     * @param clusters the configured clusters, whose last successful drill the digest reports
     * @param actor    who journals the digest (the daemon)
     */
    public ComplianceDigest(ComplianceSpec compliance, List<ClusterName> clusters, Actor actor) {
        this.compliance = Objects.requireNonNull(compliance, "compliance");
        this.clusters = List.copyOf(clusters);
        this.notifications = new Notifications(compliance);
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    /**
     * What the digest tells; built from the store by {@link #sendIfDue}, rendered by
     * {@link Notifications#complianceDigest}.
     *
     * @param since                 when the previous digest was journaled; empty for the first
     * @param entriesSince          journal entries written since the previous digest (since the start for the first)
     * @param runs                  one line per failover, switchover or drill finished since the previous digest
     * @param lastSuccessfulDrills  per configured cluster, when its last successful drill finished
     * @param keyedFrom             the entry the journal's keyed segment starts at, when keyed
     */
    public record Facts(LocalDate day, Instant at, Optional<Instant> since, long entriesSince, List<String> runs,
                        Map<ClusterName, Optional<Instant>> lastSuccessfulDrills, long outboxPending, long outboxGivenUp,
                        Optional<Instant> oldestPending, Optional<Long> keyedFrom) {
        public Facts {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(since, "since");
            runs = List.copyOf(runs);
            lastSuccessfulDrills = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lastSuccessfulDrills));
            Objects.requireNonNull(oldestPending, "oldestPending");
            Objects.requireNonNull(keyedFrom, "keyedFrom");
        }
    }

    /**
     * A digest was queued.
     *
     * @param anchor   the journal head the digest carries (its NOTIFICATION_QUEUED entry): the value to note
     * @param messages outbox rows written (0 when no compliance audience or webhook is configured: still journaled)
     */
    public record Sent(LocalDate day, Journal.Head anchor, int messages) {
    }

    /**
     * Which day's digest is due at {@code now}, if any: today's (in {@code zone}) once {@code now} has reached
     * {@code at} on that day, unless a digest for today (or a later day) was already sent. A day missed entirely (the
     * daemon was down) is not sent late: the next digest covers the time since the last one. A time of day that does
     * not exist on a day (a daylight-saving gap) moves forward by the gap.
     */
    public static Optional<LocalDate> dueDay(LocalTime at, ZoneId zone, Instant now, Optional<LocalDate> lastSent) {
        var today = LocalDate.ofInstant(now, zone);
        if (now.isBefore(ZonedDateTime.of(today, at, zone).toInstant())) {
            return Optional.empty();
        }
        if (lastSent.isPresent() && !lastSent.get().isBefore(today)) {
            return Optional.empty();
        }
        return Optional.of(today);
    }

    /** The run id the digest's journal entries and messages carry. */
    static String incidentId(LocalDate day) {
        return "compliance-digest-" + day;
    }

    /**
     * Queues the digest when one is due at {@code now}: reads what it tells from {@code store}, then journals it and
     * writes its outbox rows in one commit through {@code outbox} (never waits for a mail server). Empty when none is
     * due, or when another process queued today's first.
     */
    public Optional<Sent> sendIfDue(StateStore store, Outbox outbox, Instant now) {
        var journal = store.journal();
        var last = journal.latest(JournalKind.COMPLIANCE_DIGEST);
        var lastDay = last.map(e -> LocalDate.parse(e.payloadTree().path("day").asText()));
        var day = dueDay(compliance.digestAt(), compliance.timeZone(), now, lastDay);
        if (day.isEmpty()) {
            return Optional.empty();
        }
        var head = journal.head();
        var since = last.map(JournalEntry::at);
        long entriesSince = head.seq() - last.map(JournalEntry::seq).orElse(0L);
        var from = since.orElse(now.minus(Duration.ofDays(1)));
        var runs = new ArrayList<String>();
        for (var e : journal.entries(JournalQuery.between(from, now).kinds(Set.of(JournalKind.RUN_FINISHED,
                JournalKind.DRILL_RESULT)))) {
            runs.add(line(RunRecord.fromJson(e.payloadTree())));
        }
        var drills = new LinkedHashMap<ClusterName, Optional<Instant>>();
        clusters.forEach(c -> drills.put(c, Optional.empty()));
        for (var e : journal.entries(JournalQuery.all().kinds(Set.of(JournalKind.RUN_FINISHED, JournalKind.DRILL_RESULT)))) {
            var run = RunRecord.fromJson(e.payloadTree());
            if (run.kind() == RunKind.DRILL && run.status() == RunStatus.SUCCEEDED && drills.containsKey(run.cluster())) {
                drills.put(run.cluster(), Optional.of(run.finishedAt().orElse(run.startedAt())));
            }
        }
        var stats = store.outbox().stats(now);
        var keyedFrom = journal.latest(JournalKind.JOURNAL_KEYED).map(JournalEntry::seq);
        var facts = new Facts(day.get(), now, since, entriesSince, runs, drills, stats.pending(), stats.givenUp(),
                stats.oldestPending(), keyedFrom);
        var payload = new LinkedHashMap<String, Object>();
        payload.put("day", day.get().toString());
        payload.put("headBefore", head.toString());
        payload.put("entriesSince", entriesSince);
        payload.put("runs", runs.size());
        payload.put("outboxPending", stats.pending());
        payload.put("outboxGivenUp", stats.givenUp());
        keyedFrom.ifPresent(k -> payload.put("keyedFrom", k));
        payload.put("summary", "daily compliance digest for " + day.get() + " queued; the NOTIFICATION_QUEUED entry "
                + "after this one is the head it carries");
        var event = JournalDraft.of(actor, JournalKind.COMPLIANCE_DIGEST, payload).run(incidentId(day.get()));
        var queued = outbox.enqueue(event, notifications.complianceDigest(facts));
        if (queued.duplicate()) {
            return Optional.empty();
        }
        var stamp = queued.journaled().orElseThrow();
        return Optional.of(new Sent(day.get(), new Journal.Head(stamp.seq(), stamp.hash()), queued.messages().size()));
    }

    private static String line(RunRecord run) {
        return run.cluster() + " " + run.kind().name().toLowerCase(Locale.ROOT) + run.drill().map(d -> " " + d).orElse("")
                + " " + run.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + run.effectiveRto().map(d -> ", RTO " + MessageTimes.duration(d)).orElse("") + " (" + run.runId() + ")";
    }
}
