package dev.drctl.runbooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drctl.compliance.Actor;
import dev.drctl.compliance.ClusterState;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.LeadershipToken;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs a {@link Runbook} against one cluster, step by step, write-ahead (safety rule 7) and as the cluster's only
 * actor (rule 5).
 *
 * <ul>
 *   <li><b>One actor:</b> the cluster's {@link ActorLock} is held for the whole run; if another drctl holds it the
 *   run is {@link RunResult.End#REFUSED refused}, and the refusal is journaled (a DECISION entry naming the holder
 *   and the run it carries out). The run is then claimed in {@code cluster_state} (its run id); the state's version
 *   after that save is the run's fencing token, journaled with every intent. The lock is {@linkplain
 *   ActorLock#check() checked} before every step and before the end is recorded: once lost, the run stops there,
 *   journals why, and stays unfinished (run record and claim untouched) for whoever takes the lock next to resume.</li>
 *   <li><b>Leadership (several daemons, issue 13):</b> with a {@link Lease} the engine also looks at the cluster's
 *   ZooKeeper leadership before every step and before the end; each intent carries the term's token, which the store
 *   checks and records in the intent's own transaction. Lost leadership or a stale token stops the run like a lost
 *   lock; a run asked of a daemon that does not lead is refused. Without a lease nothing changes.</li>
 *   <li><b>Write-ahead:</b> STEP_INTENT is appended (durable) before a step starts and STEP_OUTCOME after it ends.
 *   If an intent cannot be journaled the step does not start and the run fails.</li>
 *   <li><b>Bounded store I/O:</b> every store write of a run (its start, each intent and outcome, its end) gets
 *   {@link #JOURNAL_BUDGET}; a store that does not answer within it fails the run ({@link
 *   RunbookErrorCode#STORE_STALLED}) instead of hanging it. A step attempt's deadline is therefore its intent's
 *   budget, then {@link Step#timeout()} for its work, then its outcome's budget: a hung store never stretches it. When
 *   the store stalls, the engine writes nothing more (it would wait on the same store): the run stays claimed and
 *   the same command resumes it once the store answers.</li>
 *   <li><b>Bounded steps:</b> each attempt is interrupted at the step's timeout; only {@code retrySafe} failures are
 *   retried, at most {@link RetryPolicy#maxAttempts()} times with backoff. A failed run is not retried by the engine:
 *   it ends, is recorded as FAILED and releases the cluster.</li>
 *   <li><b>Resume:</b> a process that finds its cluster claimed by a run that is still RUNNING (the previous
 *   process died) continues that run: steps whose outcome the journal holds are not repeated (their facts are read
 *   back), the step that was announced without an outcome runs again with {@link RunContext#recheck()} set. If no
 *   acting step had begun, the earlier observations are not trusted: the run looks again from its first step.</li>
 *   <li><b>Dry-run ({@link #plan}):</b> read-only steps run, the others are described with the facts known; nothing
 *   is claimed or locked, and one DECISION entry records that the plan was made.</li>
 * </ul>
 */
public final class RunbookEngine {
    private static final Logger log = LoggerFactory.getLogger(RunbookEngine.class);
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int CLAIM_ATTEMPTS = 5;

    /**
     * How long one store write of a run (an intent, an outcome, the run's start and end) may take before the run
     * gives it up. Longer than the store's own lock waits, shorter than its socket timeout, so the engine, not the
     * driver, decides when a hung store fails the run.
     */
    static final Duration JOURNAL_BUDGET = Duration.ofSeconds(15);
    /** How long a step that was interrupted at its timeout is waited for before it is left behind. */
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);

    private final StateStore store;
    private final String storeUrl;
    private final Clock clock;
    private final Actor actor;
    private final Optional<RunAnnouncements> announcements;
    /** The config file the commands in hints name ({@code -c FILE}); empty when the caller did not say. */
    private final Optional<Path> configFile;
    private final Duration journalBudget;
    /** Leadership through ZooKeeper when several daemons run (issue 13); empty: the store lock alone. */
    private final Optional<Lease> lease;

    /**
     * @param storeUrl the {@code compliance.store} URL, which decides where the one-actor lock lives
     * @param actor    who acts: {@code user:<OS user>} for commands, {@code daemon:<id>} for the daemon
     */
    public RunbookEngine(StateStore store, String storeUrl, Clock clock, Actor actor) {
        this.store = Objects.requireNonNull(store, "store");
        this.storeUrl = Objects.requireNonNull(storeUrl, "storeUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.announcements = Optional.empty();
        this.configFile = Optional.empty();
        this.journalBudget = JOURNAL_BUDGET;
        this.lease = Optional.empty();
    }

    private RunbookEngine(RunbookEngine base, Optional<RunAnnouncements> announcements, Optional<Path> configFile,
                          Duration journalBudget) {
        this(base, announcements, configFile, journalBudget, base.lease);
    }

    private RunbookEngine(RunbookEngine base, Optional<RunAnnouncements> announcements, Optional<Path> configFile,
                          Duration journalBudget, Optional<Lease> lease) {
        this.store = base.store;
        this.storeUrl = base.storeUrl;
        this.clock = base.clock;
        this.actor = base.actor;
        this.announcements = announcements;
        this.configFile = configFile;
        this.journalBudget = journalBudget;
        this.lease = lease;
    }

    /**
     * This engine acting only while {@code lease} is held (issue 13): it is looked at before every step and before
     * the end of a run is recorded, and each step's intent carries the term's token, checked and recorded by the store
     * in the same transaction; a stale token stops the run before the step starts.
     */
    public RunbookEngine withLease(Lease lease) {
        return new RunbookEngine(this, announcements, configFile, journalBudget,
                Optional.of(Objects.requireNonNull(lease, "lease")));
    }

    /** This engine naming {@code file} in the commands its messages suggest ({@code drctl status -c FILE}). */
    public RunbookEngine withConfigFile(Path file) {
        return new RunbookEngine(this, announcements, Optional.of(file), journalBudget);
    }

    /** This engine giving each store write of a run {@code budget} (tests shorten it; see {@link #JOURNAL_BUDGET}). */
    RunbookEngine withJournalBudget(Duration budget) {
        return new RunbookEngine(this, announcements, configFile, budget);
    }

    /**
     * This engine telling people about its runs (issue 6): the announce steps are added to every runbook it runs or
     * plans, and a run's end is queued in the commit that journals RUN_FINISHED.
     */
    public RunbookEngine announcing(RunAnnouncements announcements) {
        return new RunbookEngine(this, Optional.of(Objects.requireNonNull(announcements, "announcements")), configFile,
                journalBudget);
    }

    private Runbook announced(Runbook runbook) {
        return announcements.map(a -> a.addTo(runbook)).orElse(runbook);
    }

    static String statusOf(StepOutcome outcome) {
        return switch (outcome) {
            case StepOutcome.Succeeded s -> "succeeded";
            case StepOutcome.Failed f -> "failed";
            case StepOutcome.Skipped s -> "skipped";
            case StepOutcome.Refused r -> "refused";
        };
    }

    /**
     * Runs (or resumes) {@code runbook} on {@code cluster}.
     *
     * @param requestFacts what the caller asked for (target node, accept-data-loss, trigger); ignored when an
     *                     unfinished run is resumed, whose original request governs
     */
    public RunResult run(Runbook runbook, ClusterSpec cluster, Map<String, String> requestFacts, RunListener listener) {
        if (lease.isPresent() && lease.get().look(cluster.name()) instanceof Lease.Look.Lost lost) {
            return refuseNotLeader(runbook, cluster, lease.get(), lost);
        }
        var attempt = ActorLock.tryAcquire(storeUrl, cluster.name(), ActorLock.Holder.self(actor.value(), clock.instant()));
        return switch (attempt) {
            case ActorLock.Attempt.Busy busy -> refuseBusy(runbook, cluster, busy);
            case ActorLock.Attempt.Held held -> {
                try (var lock = held.lock()) {
                    yield runLocked(announced(runbook), cluster, requestFacts, listener, lock);
                }
            }
        };
    }

    /**
     * Another drctl holds the lock: nothing is done, and the refusal is journaled (who was refused, who holds the
     * lock, which run it is carrying out) so the audit trail shows the second actor too.
     */
    private RunResult refuseBusy(Runbook runbook, ClusterSpec cluster, ActorLock.Attempt.Busy busy) {
        var name = cluster.name();
        Optional<RunRecord> holderRun;
        long epoch;
        try {
            var state = bounded("read the state of " + name, () -> store.clusterStates().load(name));
            epoch = state.epoch();
            holderRun = state.activeRunId().flatMap(id -> bounded("read run " + id, () -> store.runs().find(id)))
                    .filter(r -> r.status() == RunStatus.RUNNING);
        } catch (DrctlException e) {
            holderRun = Optional.empty();
            epoch = 0;
        }
        var holder = busy.holder();
        var summary = "another drctl is acting on " + name + ": " + holder.describe() + " holds the one-actor lock ("
                + busy.where() + ")" + holderRun.map(r -> ", carrying out " + r.kind().name().toLowerCase() + " run "
                + r.runId() + " started " + r.startedAt() + " by " + r.actor()).orElse("") + "; nothing was done. "
                + "Watch it with drctl status " + configHint() + "; once it has ended, run this command again if still "
                + "needed (a run it left unfinished is resumed from the journal)";
        var payload = new LinkedHashMap<String, Object>();
        payload.put("decision", "refused");
        payload.put("rule", "one actor (safety rule 5)");
        payload.put("runbook", runbook.name());
        payload.put("lock", busy.where());
        var who = new LinkedHashMap<String, Object>();
        who.put("actor", holder.actor());
        holder.pid().ifPresent(p -> who.put("pid", p));
        holder.from().ifPresent(f -> who.put("from", f));
        holder.since().ifPresent(t -> who.put("since", t.toString()));
        holder.session().ifPresent(p -> who.put("storeSession", p));
        holderRun.ifPresent(r -> {
            who.put("runId", r.runId());
            who.put("runKind", r.kind().name().toLowerCase());
            who.put("runStartedAt", r.startedAt().toString());
            who.put("runActor", r.actor().value());
        });
        payload.put("holder", who);
        payload.put("summary", summary);
        long atEpoch = epoch;
        try {
            bounded("journal the refusal", () -> store.journal().append(JournalDraft.of(actor, JournalKind.DECISION,
                    payload).cluster(name).epoch(atEpoch)));
        } catch (DrctlException e) {
            log.warn("the refusal of {} on {} could not be journaled: {}", runbook.name(), name, e.getMessage());
            summary = summary + "; and this refusal could not be journaled: " + e.getMessage();
        }
        return new RunResult("none", RunResult.End.REFUSED, summary, List.of(), RunFacts.empty(), Optional.empty(),
                false);
    }

    /** This daemon does not lead the cluster: nothing is done, and the refusal is journaled. */
    private RunResult refuseNotLeader(Runbook runbook, ClusterSpec cluster, Lease lease, Lease.Look.Lost lost) {
        var summary = "this drctl does not lead " + cluster.name() + " (" + lost.reason() + "; " + lease.description()
                + "); nothing was done: the leading daemon acts on it";
        var payload = new LinkedHashMap<String, Object>();
        payload.put("decision", "refused");
        payload.put("rule", "one actor (safety rule 5)");
        payload.put("runbook", runbook.name());
        payload.put("lease", lease.description());
        payload.put("lost", lost.reason());
        payload.put("summary", summary);
        try {
            bounded("journal the refusal", () -> store.journal().append(JournalDraft.of(actor, JournalKind.DECISION,
                    payload).cluster(cluster.name())));
        } catch (DrctlException e) {
            summary = summary + "; and this refusal could not be journaled: " + e.getMessage();
        }
        return new RunResult("none", RunResult.End.REFUSED, summary, List.of(), RunFacts.empty(), Optional.empty(),
                false);
    }

    /** {@code -c FILE} with the config file this engine was told, for commands printed in messages. */
    private String configHint() {
        return "-c " + configFile.map(Path::toString).orElse("FILE");
    }

    private RunResult runLocked(Runbook runbook, ClusterSpec cluster, Map<String, String> requestFacts,
                                RunListener listener, ActorLock lock) {
        var name = cluster.name();
        var state = bounded("read the state of " + name, () -> store.clusterStates().load(name));
        var unfinished = state.activeRunId().flatMap(id -> bounded("read run " + id, () -> store.runs().find(id)))
                .filter(r -> r.status() == RunStatus.RUNNING);
        if (unfinished.isPresent() && unfinished.get().kind() != runbook.kind()) {
            var other = unfinished.get();
            var kind = other.kind().name().toLowerCase();
            var summary = "a " + kind + " of " + name + " (run " + other.runId() + ", started " + other.startedAt()
                    + " by " + other.actor() + ") did not finish; nothing was done. Finish it first: drctl " + kind + " "
                    + name + " " + configHint() + " resumes it from the journal";
            var payload = new LinkedHashMap<String, Object>();
            payload.put("decision", "refused");
            payload.put("rule", "one run at a time (safety rule 5)");
            payload.put("runbook", runbook.name());
            payload.put("unfinishedRun", other.runId());
            payload.put("summary", summary);
            try {
                bounded("journal the refusal", () -> store.journal().append(JournalDraft.of(actor, JournalKind.DECISION,
                        payload).cluster(name).epoch(state.epoch())));
            } catch (DrctlException e) {
                summary = summary + "; and this refusal could not be journaled: " + e.getMessage();
            }
            return new RunResult(other.runId(), RunResult.End.REFUSED, summary, List.of(), RunFacts.empty(),
                    Optional.empty(), false);
        }
        boolean resumed = unfinished.isPresent();
        var runId = unfinished.map(RunRecord::runId).orElseGet(() -> newRunId(runbook, cluster));
        var claimed = claim(name, runId);
        long token = claimed.version();
        MDC.put("cluster", name.value());
        MDC.put("run", runId);
        try {
            return resumed
                    ? resume(runbook, cluster, unfinished.get(), claimed, token, listener, lock)
                    : begin(runbook, cluster, runId, claimed, token, requestFacts, listener, lock);
        } finally {
            MDC.remove("cluster");
            MDC.remove("run");
        }
    }

    private String newRunId(Runbook runbook, ClusterSpec cluster) {
        var random = Long.toHexString(Double.doubleToLongBits(Math.random()) ^ System.nanoTime());
        return runbook.kind().name().toLowerCase() + "-" + cluster.name() + "-" + RUN_ID_TIME.format(clock.instant()) + "-"
                + random.substring(Math.max(0, random.length() - 6));
    }

    /** Marks the cluster as being acted on by {@code runId}; the saved version is the fencing token. */
    private ClusterState claim(dev.drctl.topology.ClusterName cluster, String runId) {
        return updateState(cluster, s -> s.withActiveRun(Optional.of(runId)));
    }

    private ClusterState updateState(dev.drctl.topology.ClusterName cluster, UnaryOperator<ClusterState> change) {
        for (int i = 0; i < CLAIM_ATTEMPTS; i++) {
            var saved = bounded("save the state of " + cluster,
                    () -> store.clusterStates().save(change.apply(store.clusterStates().load(cluster))));
            if (saved.isPresent()) {
                return saved.get();
            }
        }
        throw new DrctlException(RunbookErrorCode.LOCK_FAILED, "cluster_state of " + cluster + " kept changing under "
                + "drctl while it held the one-actor lock: another drctl writes it without the lock (a different "
                + "compliance.store path for the same store?); nothing was done");
    }

    private RunResult begin(Runbook runbook, ClusterSpec cluster, String runId, ClusterState claimed, long token,
                            Map<String, String> requestFacts, RunListener listener, ActorLock lock) {
        var now = clock.instant();
        var facts = new RunFacts(requestFacts).with(Map.of(RunFacts.CLUSTER, cluster.name().value(), RunFacts.RUN_ID,
                runId, RunFacts.FENCING_TOKEN, Long.toString(token), RunFacts.EPOCH_AT_START,
                Long.toString(claimed.epoch())));
        var record = RunRecord.started(runId, runbook.kind(), cluster.name(), actor, now)
                .withStatus(RunStatus.RUNNING, runbook.name() + " of " + cluster.name() + " running");
        try {
            bounded("record run " + runId, () -> {
                store.runs().save(record);
                return record;
            });
            journal(cluster, runId, claimed.epoch(), JournalKind.RUN_STARTED, runPayload(record, facts, false, List.of()));
        } catch (DrctlException e) {
            if (!stalled(e)) {
                release(cluster);
            }
            return new RunResult(runId, RunResult.End.FAILED, "the run could not be recorded, so nothing was done: "
                    + e.getMessage(), List.of(), facts, Optional.empty(), false);
        }
        listener.runStarted(runId, false, List.of());
        return execute(runbook, cluster, record, facts, Set.of(), Set.of(), false, listener, lock);
    }

    private RunResult resume(Runbook runbook, ClusterSpec cluster, RunRecord record, ClusterState claimed, long token,
                             RunListener listener, ActorLock lock) {
        var entries = bounded("read the journal of run " + record.runId(), () -> store.journal().entries(JournalQuery
                .all().cluster(cluster.name()).run(record.runId())
                .kinds(Set.of(JournalKind.RUN_STARTED, JournalKind.STEP_INTENT, JournalKind.STEP_OUTCOME))));
        var original = entries.stream().filter(e -> e.kind() == JournalKind.RUN_STARTED).findFirst()
                .map(e -> factsOf(e.payloadTree().path("facts"))).orElse(Map.of());
        var readOnly = new HashSet<String>();
        runbook.steps().stream().filter(Step::readOnly).forEach(s -> readOnly.add(s.name()));
        boolean acted = entries.stream().anyMatch(e -> e.kind() == JournalKind.STEP_INTENT
                && !readOnly.contains(e.payloadTree().path("step").asText()));
        var done = new LinkedHashSet<String>();
        var announced = new LinkedHashSet<String>();
        var facts = new RunFacts(original);
        if (acted) {
            for (var e : entries) {
                var p = e.payloadTree();
                var step = p.path("step").asText();
                switch (e.kind()) {
                    case STEP_INTENT -> announced.add(step);
                    case STEP_OUTCOME -> {
                        announced.remove(step);
                        var status = p.path("outcome").asText();
                        if (status.equals("succeeded") || status.equals("skipped")) {
                            done.add(step);
                            facts = facts.with(factsOf(p.path("facts")));
                        }
                    }
                    default -> { }
                }
            }
        }
        facts = facts.with(RunFacts.FENCING_TOKEN, Long.toString(token));
        var doneList = List.copyOf(done);
        try {
            journal(cluster, record.runId(), claimed.epoch(), JournalKind.RUN_STARTED,
                    runPayload(record, facts, true, doneList));
        } catch (DrctlException e) {
            return new RunResult(record.runId(), RunResult.End.FAILED, "the resumed run could not be journaled, so "
                    + "nothing was done: " + e.getMessage() + "; run the command again once the store is writable",
                    List.of(), facts, Optional.of(record), true);
        }
        log.info("resuming run {} of {}: done before {}, re-checking {}", record.runId(), cluster.name(), doneList,
                announced);
        listener.runStarted(record.runId(), true, doneList);
        return execute(runbook, cluster, record, facts, done, announced, true, listener, lock);
    }

    private RunResult execute(Runbook runbook, ClusterSpec cluster, RunRecord record, RunFacts startFacts,
                              Set<String> done, Set<String> recheck, boolean resumed, RunListener listener,
                              ActorLock lock) {
        var facts = startFacts;
        var reports = new ArrayList<StepReport>();
        var scratch = new HashMap<Class<?>, Object>();
        // Failures a step tolerates (its work is not done, but the run must go on): they decide how the run ends.
        var tolerated = new ArrayList<String>();
        Optional<RunStatus> toleratedStatus = Optional.empty();
        for (var step : runbook.steps()) {
            if (done.contains(step.name())) {
                var report = new StepReport(step.name(), step.describe(facts), 0,
                        Optional.of(StepOutcome.Succeeded.of("done before the restart; not repeated")), Duration.ZERO,
                        StepReport.Origin.DONE_BEFORE);
                reports.add(report);
                listener.stepFinished(report);
                continue;
            }
            var policy = step.retry();
            for (int attempt = 1; ; attempt++) {
                if (lock.check() instanceof ActorLock.Check.Lost lost) {
                    return stopLockLost(runbook, cluster, record, facts, reports, lock, lost, "before step "
                            + step.name(), resumed);
                }
                Optional<LeadershipToken> token = Optional.empty();
                if (lease.isPresent()) {
                    switch (lease.get().look(cluster.name())) {
                        case Lease.Look.Lost lost -> {
                            return stopLeaseLost(runbook, cluster, record, facts, reports, lease.get(), lost.reason(),
                                    "before step " + step.name(), resumed);
                        }
                        case Lease.Look.Held held -> token = Optional.of(held.token());
                    }
                }
                var description = step.describe(facts);
                var intent = new LinkedHashMap<String, Object>();
                intent.put("step", step.name());
                intent.put("description", description);
                intent.put("attempt", attempt);
                intent.put("recheck", recheck.contains(step.name()));
                intent.put("fencingToken", facts.get(RunFacts.FENCING_TOKEN).orElse(""));
                token.ifPresent(t -> {
                    intent.put("leadershipToken", t.value());
                    intent.put("leader", t.holder());
                });
                try {
                    if (token.isPresent()
                            && journalIntentAsLeader(cluster, record.runId(), epochOf(facts), intent, token.get())
                            instanceof LeadershipToken.Check.Stale stale) {
                        return stopLeaseLost(runbook, cluster, record, facts, reports, lease.orElseThrow(),
                                stale.sentence(), "before step " + step.name() + " (the store refused its intent)",
                                resumed);
                    }
                    if (token.isEmpty()) {
                        journal(cluster, record.runId(), epochOf(facts), JournalKind.STEP_INTENT, intent);
                    }
                } catch (DrctlException e) {
                    var summary = "the intent of step " + step.name() + " could not be journaled, so it was not started "
                            + "(safety rule 7): " + e.getMessage();
                    if (stalled(e)) {
                        // Recording the end would wait on the same hung store: leave the run claimed for a resume.
                        return new RunResult(record.runId(), RunResult.End.FAILED, summary + "; the run stays "
                                + "unfinished: once the store answers, run drctl " + commandOf(runbook) + " "
                                + cluster.name() + " " + configHint() + " again, it resumes this run from the journal",
                                reports, facts, Optional.of(record), resumed);
                    }
                    return finish(runbook, cluster, record, facts, reports, lock, RunResult.End.FAILED, summary, resumed,
                            false);
                }
                listener.stepStarted(step.name(), description, attempt);
                var context = new RunContext(record.runId(), cluster, facts, clock, actor, recheck.contains(step.name()),
                        attempt, scratch);
                long started = System.nanoTime();
                var outcome = attemptStep(step, context);
                var took = Duration.ofNanos(System.nanoTime() - started);
                var payload = new LinkedHashMap<String, Object>();
                payload.put("step", step.name());
                payload.put("attempt", attempt);
                payload.put("outcome", statusOf(outcome));
                payload.put("detail", outcome.detail());
                payload.put("millis", took.toMillis());
                if (outcome instanceof StepOutcome.Succeeded s) {
                    payload.put("facts", new java.util.TreeMap<>(s.facts()));
                }
                try {
                    journal(cluster, record.runId(), epochOf(facts), JournalKind.STEP_OUTCOME, payload);
                } catch (DrctlException e) {
                    // The step ran but its outcome is not on record: keep the run claimed so the next process re-checks it.
                    log.error("step {} of run {} ended ({}) but its outcome could not be journaled: {}", step.name(),
                            record.runId(), outcome.detail(), e.getMessage());
                    var report = new StepReport(step.name(), description, attempt, Optional.of(outcome), took,
                            StepReport.Origin.RAN);
                    reports.add(report);
                    listener.stepFinished(report);
                    return new RunResult(record.runId(), RunResult.End.FAILED, "step " + step.name() + " ended ("
                            + outcome.detail() + ") but its outcome could not be journaled: " + e.getMessage()
                            + "; the run stays claimed: once the store answers, run drctl " + commandOf(runbook) + " "
                            + cluster.name() + " " + configHint() + " again, it re-checks this step and continues",
                            reports, facts, Optional.of(record), resumed);
                }
                var report = new StepReport(step.name(), description, attempt, Optional.of(outcome), took,
                        StepReport.Origin.RAN);
                reports.add(report);
                listener.stepFinished(report);
                var tolerance = step.toleratedFailure(facts);
                switch (outcome) {
                    case StepOutcome.Succeeded s -> facts = facts.with(s.facts());
                    case StepOutcome.Skipped s -> { }
                    case StepOutcome.Refused r -> {
                        return finish(runbook, cluster, record, facts, reports, lock, RunResult.End.REFUSED, r.detail(),
                                resumed, true);
                    }
                    case StepOutcome.Failed f when f.retrySafe() && report.attempt() < policy.maxAttempts() -> {
                        if (!pause(policy.backoffBefore(report.attempt() + 1))) {
                            return finish(runbook, cluster, record, facts, reports, lock, RunResult.End.FAILED,
                                    "interrupted while waiting to retry step " + step.name(), resumed, false);
                        }
                        continue;
                    }
                    case StepOutcome.Failed f when tolerance.isPresent() -> {
                        var t = tolerance.get();
                        log.warn("step {} failed ({}); the run goes on: {}", step.name(), f.detail(), t.advice());
                        tolerated.add("step " + step.name() + " failed" + (attempt > 1 ? " after " + attempt
                                + " attempts" : "") + ": " + f.detail() + "; " + t.advice());
                        if (toleratedStatus.isEmpty()) {
                            toleratedStatus = Optional.of(t.status());
                        }
                    }
                    case StepOutcome.Failed f -> {
                        return finish(runbook, cluster, record, facts, reports, lock, RunResult.End.FAILED, "step "
                                + step.name() + " failed" + (attempt > 1 ? " after " + attempt + " attempts" : "") + ": "
                                + f.detail(), resumed, false);
                    }
                }
                break;
            }
        }
        if (toleratedStatus.isPresent()) {
            var status = toleratedStatus.get();
            return finish(runbook, cluster, record, facts, reports, lock, RunResult.End.FAILED, runbook.name() + " of "
                    + cluster.name() + " ended " + status.name().replace('_', ' ')
                    + facts.get(RunFacts.NEW_PRIMARY).map(n -> ": " + n + " is the primary").orElse("")
                    + facts.get(RunFacts.EPOCH).map(e -> " (epoch " + e + ")").orElse("") + ", but "
                    + String.join("; and ", tolerated), resumed, false, toleratedStatus);
        }
        return finish(runbook, cluster, record, facts, reports, lock, RunResult.End.COMPLETED, runbook.name() + " of "
                + cluster.name() + " completed" + facts.get(RunFacts.NEW_PRIMARY).map(n -> ": " + n + " is the primary")
                .orElse("") + facts.get(RunFacts.EPOCH).map(e -> " (epoch " + e + ")").orElse(""), resumed, false);
    }

    private static boolean pause(Duration wait) {
        try {
            TimeUnit.NANOSECONDS.sleep(wait.toNanos());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * One attempt, on a virtual thread interrupted at the step's timeout. A step that does not stop when interrupted
     * (a call that ignores interrupts) is waited for a short grace and then left behind: the run must end in bounded
     * time, and it ends FAILED, so nothing after that step runs.
     */
    static StepOutcome attemptStep(Step step, RunContext context) {
        var result = new CompletableFuture<StepOutcome>();
        var thread = Thread.ofVirtual().name("drctl-step-" + step.name()).start(() -> {
            try {
                result.complete(step.run(context));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            var outcome = result.get(step.timeout().toNanos(), TimeUnit.NANOSECONDS);
            return Objects.requireNonNull(outcome, "step " + step.name() + " returned no outcome");
        } catch (TimeoutException e) {
            thread.interrupt();
            var detail = "did not finish within its timeout of " + human(step.timeout()) + "; interrupted";
            if (!awaitEnd(thread, INTERRUPT_GRACE)) {
                log.warn("step {} did not stop within {} of being interrupted; left behind", step.name(),
                        human(INTERRUPT_GRACE));
                detail = detail + ", and it did not stop within " + human(INTERRUPT_GRACE) + " (left behind)";
            }
            return new StepOutcome.Failed(detail, false);
        } catch (ExecutionException e) {
            var cause = e.getCause();
            log.debug("step {} threw", step.name(), cause);
            return new StepOutcome.Failed(cause instanceof DrctlException d ? d.getMessage()
                    : "internal error: " + cause, false);
        } catch (InterruptedException e) {
            // The run itself is interrupted: stop the step too, and give it the same grace to stop before going on.
            thread.interrupt();
            awaitEnd(thread, INTERRUPT_GRACE);
            Thread.currentThread().interrupt();
            return new StepOutcome.Failed("interrupted", false);
        }
    }

    /** Waits up to {@code grace} for {@code thread} to end, whatever interrupts arrive meanwhile (passed on after). */
    private static boolean awaitEnd(Thread thread, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        boolean interrupted = Thread.interrupted();
        try {
            while (thread.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    thread.join(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String human(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }

    private RunResult finish(Runbook runbook, ClusterSpec cluster, RunRecord started, RunFacts facts,
                             List<StepReport> reports, ActorLock lock, RunResult.End end, String summary,
                             boolean resumed, boolean refused) {
        return finish(runbook, cluster, started, facts, reports, lock, end, summary, resumed, refused,
                Optional.empty());
    }

    /**
     * Records the run's end and releases the cluster, if this process still holds the lock: without it, another drctl
     * may already be resuming this run, and clearing its claim or writing over its run record would be acting twice.
     */
    private RunResult finish(Runbook runbook, ClusterSpec cluster, RunRecord started, RunFacts facts,
                             List<StepReport> reports, ActorLock lock, RunResult.End end, String summary,
                             boolean resumed, boolean refused, Optional<RunStatus> recordedAs) {
        if (lock.check() instanceof ActorLock.Check.Lost lost) {
            return stopLockLost(runbook, cluster, started, facts, reports, lock, lost, "before the end of the run ("
                    + end.name().toLowerCase() + ": " + summary + ") was recorded", resumed);
        }
        if (lease.isPresent() && lease.get().look(cluster.name()) instanceof Lease.Look.Lost lost) {
            return stopLeaseLost(runbook, cluster, started, facts, reports, lease.get(), lost.reason(),
                    "before the end of the run (" + end.name().toLowerCase() + ": " + summary + ") was recorded",
                    resumed);
        }
        var status = recordedAs.orElseGet(() -> switch (end) {
            case COMPLETED, PLANNED -> RunStatus.SUCCEEDED;
            case FAILED -> RunStatus.FAILED;
            case REFUSED -> RunStatus.ABORTED;
        });
        var record = recordOf(started, facts, status, summary, clock.instant());
        try {
            bounded("record the end of run " + started.runId(), () -> {
                store.runs().save(record);
                return record;
            });
            var payload = runPayload(record, facts, resumed, List.of());
            payload.set("rtoSplit", rtoSplit(facts, record));
            var finished = JournalDraft.of(actor, JournalKind.RUN_FINISHED, payload).cluster(cluster.name())
                    .run(started.runId()).epoch(epochOf(facts));
            bounded("journal the end of run " + started.runId(), () -> {
                if (announcements.isPresent()) {
                    announcements.get().journalEnd(store, finished, runbook.kind(), cluster, record, facts, end,
                            reports);
                } else {
                    store.journal().append(finished);
                }
                return finished;
            });
            release(cluster);
        } catch (DrctlException e) {
            log.warn("run {} ended ({}) but could not be recorded: {}", started.runId(), end, e.getMessage());
            return new RunResult(started.runId(), RunResult.End.FAILED, summary + "; and the end of the run could not be "
                    + "recorded: " + e.getMessage(), reports, facts, Optional.of(record), resumed);
        }
        if (end == RunResult.End.FAILED) {
            log.error("{} of {} failed: {}", runbook.name(), cluster.name(), summary);
        } else {
            log.info("{} of {} ended {}: {}", runbook.name(), cluster.name(), end, summary);
        }
        return new RunResult(started.runId(), end, summary, reports, facts, Optional.of(record), resumed);
    }

    private void release(ClusterSpec cluster) {
        updateState(cluster.name(), s -> s.withActiveRun(Optional.empty()));
    }

    /**
     * The lock was lost: this process stops acting at once. It writes only one journal entry saying so (append-only,
     * safe whoever holds the lock now) and leaves the run record and the cluster's claim alone, so the run stays
     * unfinished and the next {@code drctl} that takes the lock resumes it from the journal.
     */
    private RunResult stopLockLost(Runbook runbook, ClusterSpec cluster, RunRecord record, RunFacts facts,
                                   List<StepReport> reports, ActorLock lock, ActorLock.Check.Lost lost, String where,
                                   boolean resumed) {
        var summary = "the one-actor lock of " + cluster.name() + " was lost " + where + ": " + lost.reason()
                + ". The run stopped there so that two drctl never act at once; nothing more was done and the run stays "
                + "unfinished. Check the store, then run drctl " + commandOf(runbook) + " " + cluster.name() + " "
                + configHint() + " again: it resumes this run from the journal";
        var payload = new LinkedHashMap<String, Object>();
        payload.put("decision", "stopped");
        payload.put("rule", "one actor (safety rule 5)");
        payload.put("runbook", runbook.name());
        payload.put("lock", lock.description());
        payload.put("lost", lost.reason());
        payload.put("where", where);
        payload.put("doneSteps", reports.stream().map(StepReport::step).toList());
        payload.put("summary", summary);
        try {
            journal(cluster, record.runId(), epochOf(facts), JournalKind.DECISION, payload);
        } catch (DrctlException e) {
            summary = summary + "; and this stop could not be journaled: " + e.getMessage();
        }
        log.error("{} of {} stopped: {}", runbook.name(), cluster.name(), summary);
        return new RunResult(record.runId(), RunResult.End.FAILED, summary, reports, facts, Optional.of(record),
                resumed);
    }

    /**
     * Leadership of the cluster is over (the ZooKeeper session is suspended or lost, another daemon leads, or the store
     * holds a newer term's token): stop at once, as when the lock is lost. One DECISION entry says so; the run record
     * and the claim stay for the new leader to resume the run from the journal.
     */
    private RunResult stopLeaseLost(Runbook runbook, ClusterSpec cluster, RunRecord record, RunFacts facts,
                                    List<StepReport> reports, Lease lease, String reason, String where,
                                    boolean resumed) {
        var summary = "leadership of " + cluster.name() + " was lost " + where + ": " + reason + ". The run stopped "
                + "there so that two daemons never act at once; nothing more was done and the run stays unfinished: "
                + "the daemon that leads " + cluster.name() + " now resumes it from the journal";
        var payload = new LinkedHashMap<String, Object>();
        payload.put("decision", "stopped");
        payload.put("rule", "one actor (safety rule 5)");
        payload.put("runbook", runbook.name());
        payload.put("lease", lease.description());
        payload.put("lost", reason);
        payload.put("where", where);
        payload.put("doneSteps", reports.stream().map(StepReport::step).toList());
        payload.put("summary", summary);
        try {
            journal(cluster, record.runId(), epochOf(facts), JournalKind.DECISION, payload);
        } catch (DrctlException e) {
            summary = summary + "; and this stop could not be journaled: " + e.getMessage();
        }
        log.error("{} of {} stopped: {}", runbook.name(), cluster.name(), summary);
        return new RunResult(record.runId(), RunResult.End.FAILED, summary, reports, facts, Optional.of(record),
                resumed);
    }

    /**
     * Journals a step's intent in the same store transaction that checks and records the term's token: the intent is
     * written only with a token not older than the newest recorded for the cluster, else nothing is (issue 13).
     */
    private LeadershipToken.Check journalIntentAsLeader(ClusterSpec cluster, String runId, long epoch,
                                                       Object payload, LeadershipToken token) {
        return bounded("journal " + JournalKind.STEP_INTENT + " with leadership token " + token.value(),
                () -> store.atomically("check leadership token and journal the intent", tx -> {
                    var check = tx.checkLeadership(cluster.name(), token);
                    if (check instanceof LeadershipToken.Check.Accepted) {
                        tx.append(JournalDraft.of(actor, JournalKind.STEP_INTENT, payload).cluster(cluster.name())
                                .run(runId).epoch(epoch));
                    }
                    return check;
                }));
    }

    /** The command that runs {@code runbook}: {@code failover}, {@code switchover}, {@code rejoin}, {@code drill}. */
    private static String commandOf(Runbook runbook) {
        return runbook.kind().name().toLowerCase();
    }

    /** Whether {@code e} says the store did not answer in time (rather than answering with an error). */
    private static boolean stalled(DrctlException e) {
        return e.code() == RunbookErrorCode.STORE_STALLED;
    }

    /**
     * Runs one piece of the run's store work on a thread of its own and waits at most {@link #journalBudget} for it.
     * A store that does not answer in time fails the caller with {@link RunbookErrorCode#STORE_STALLED}; the stuck
     * thread is interrupted (which closes a PostgreSQL socket under it) and left to end on its own.
     */
    private <T> T bounded(String what, Supplier<T> work) {
        var result = new CompletableFuture<T>();
        var thread = Thread.ofVirtual().name("drctl-store").start(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        long deadline = System.nanoTime() + journalBudget.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    // An interrupted run (Ctrl-C, a daemon stopping) still records what it did: the write keeps its
                    // budget, and the interrupt is passed on afterwards.
                    interrupted = true;
                }
            }
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new DrctlException(RunbookErrorCode.STORE_STALLED, what + ": the store " + store.description()
                    + " did not answer within " + human(journalBudget) + "; check that it is up and reachable");
        } catch (ExecutionException e) {
            var cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(what + " failed", cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The run record with every instant and figure the facts hold. */
    static RunRecord recordOf(RunRecord started, RunFacts f, RunStatus status, String summary, Instant finished) {
        var detected = f.instant(RunFacts.DETECTED_AT);
        var confirmed = f.instant(RunFacts.CONFIRMED_AT);
        var writable = f.instant(RunFacts.WRITABLE_AT);
        var firstWrite = f.instant(RunFacts.FIRST_WRITE_AT).or(() -> writable);
        var from = detected.or(() -> confirmed);
        Optional<Duration> rto = from.flatMap(a -> firstWrite.map(b -> Duration.between(a, b)));
        Optional<Long> epoch = f.number(RunFacts.EPOCH);
        return new RunRecord(started.runId(), started.kind(), started.cluster(), status, started.actor(), started.drill(),
                f.node(RunFacts.OLD_PRIMARY), f.node(RunFacts.NEW_PRIMARY), epoch, started.startedAt(), detected,
                confirmed, f.instant(RunFacts.PROMOTED_AT), f.instant(RunFacts.DNS_AT), firstWrite, Optional.of(finished),
                rto, Optional.empty(), f.number(RunFacts.RPO_BYTES), f.flag(RunFacts.DATA_LOSS_ACCEPTED), summary);
    }

    /** Detection, decision, promotion, DNS and total, in milliseconds, for what the facts can tell. */
    static ObjectNode rtoSplit(RunFacts f, RunRecord record) {
        var o = RtoSplit.of(f, Optional.of(record)).toJson();
        f.get(RunFacts.RPO_ESTIMATE).ifPresent(v -> o.put("rpoEstimate", v));
        return o;
    }

    private static ObjectNode runPayload(RunRecord record, RunFacts facts, boolean resumed, List<String> doneBefore) {
        var o = record.toJson();
        o.put("resumed", resumed);
        var f = o.putObject("facts");
        facts.sorted().forEach(f::put);
        if (!doneBefore.isEmpty()) {
            var arr = o.putArray("doneBefore");
            doneBefore.forEach(arr::add);
        }
        return o;
    }

    private static Map<String, String> factsOf(JsonNode node) {
        var out = new LinkedHashMap<String, String>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static long epochOf(RunFacts facts) {
        return facts.number(RunFacts.EPOCH).or(() -> facts.number(RunFacts.EPOCH_AT_START)).orElse(0L);
    }

    private JournalEntry journal(ClusterSpec cluster, String runId, long epoch, JournalKind kind, Object payload) {
        return bounded("journal " + kind, () -> store.journal().append(JournalDraft.of(actor, kind, payload)
                .cluster(cluster.name()).run(runId).epoch(epoch)));
    }

    /**
     * A dry-run: read-only steps run (they only look), every other step is described with the facts known by then.
     * Nothing is locked, claimed or changed; one DECISION entry records that this plan was made.
     */
    public RunResult plan(Runbook unannounced, ClusterSpec cluster, Map<String, String> requestFacts,
                          RunListener listener) {
        var runbook = announced(unannounced);
        var state = bounded("read the state of " + cluster.name(), () -> store.clusterStates().load(cluster.name()));
        var runId = "dry-run-" + newRunId(runbook, cluster);
        var facts = new RunFacts(requestFacts).with(Map.of(RunFacts.CLUSTER, cluster.name().value(), RunFacts.RUN_ID,
                runId, RunFacts.EPOCH_AT_START, Long.toString(state.epoch()), RunFacts.DRY_RUN, "true"));
        var scratch = new HashMap<Class<?>, Object>();
        var reports = new ArrayList<StepReport>();
        Optional<String> stopped = Optional.empty();
        var end = RunResult.End.PLANNED;
        for (var step : runbook.steps()) {
            var description = step.describe(facts);
            if (stopped.isPresent() || !step.readOnly()) {
                var report = new StepReport(step.name(), description, 0, Optional.empty(), Duration.ZERO,
                        StepReport.Origin.PLANNED);
                reports.add(report);
                listener.stepFinished(report);
                continue;
            }
            listener.stepStarted(step.name(), description, 1);
            long started = System.nanoTime();
            var outcome = attemptStep(step, new RunContext(runId, cluster, facts, clock, actor, false, 1, scratch));
            var report = new StepReport(step.name(), description, 1, Optional.of(outcome),
                    Duration.ofNanos(System.nanoTime() - started), StepReport.Origin.RAN);
            reports.add(report);
            listener.stepFinished(report);
            switch (outcome) {
                case StepOutcome.Succeeded s -> facts = facts.with(s.facts());
                case StepOutcome.Skipped s -> { }
                case StepOutcome.Refused r -> {
                    stopped = Optional.of(r.detail());
                    end = RunResult.End.REFUSED;
                }
                case StepOutcome.Failed f -> {
                    stopped = Optional.of("step " + step.name() + " failed: " + f.detail());
                    end = RunResult.End.FAILED;
                }
            }
        }
        var summary = stopped.map(s -> "dry-run of " + runbook.name() + " of " + cluster.name() + ": would stop here: " + s)
                .orElse("dry-run of " + runbook.name() + " of " + cluster.name() + ": plan of " + reports.size()
                        + " steps printed; nothing was changed");
        var payload = new LinkedHashMap<String, Object>();
        payload.put("dryRun", true);
        payload.put("runbook", runbook.name());
        payload.put("result", end.name());
        payload.put("summary", summary);
        payload.put("facts", facts.sorted());
        payload.put("plan", reports.stream().map(r -> {
            var m = new LinkedHashMap<String, Object>();
            m.put("step", r.step());
            m.put("status", r.status());
            m.put("description", r.description());
            r.outcome().ifPresent(o -> m.put("detail", o.detail()));
            return m;
        }).toList());
        journal(cluster, runId, state.epoch(), JournalKind.DECISION, payload);
        return new RunResult(runId, end, summary, reports, facts, Optional.empty(), false);
    }
}
