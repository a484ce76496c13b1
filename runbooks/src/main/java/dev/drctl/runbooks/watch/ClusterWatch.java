package dev.drctl.runbooks.watch;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.notifiers.Notification;
import dev.drctl.promotion.ClusterVerdict;
import dev.drctl.promotion.Detector;
import dev.drctl.promotion.Evidence;
import dev.drctl.promotion.FailoverDecision;
import dev.drctl.promotion.Refusal;
import dev.drctl.runbooks.RunAnnouncements;
import dev.drctl.runbooks.RunResult;
import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.FailoverMode;
import dev.drctl.topology.NodeName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's watch over one cluster. The probe scheduler hands each round to {@link #offer}, which never blocks:
 * the round goes to this watch's own virtual-thread worker through a queue of one that keeps the newest round, so a
 * slow cluster (a hung store, a long assessment) never delays the probes or another cluster. Per round the worker
 * <ol>
 *   <li>records the round in the store (the primary's position: what a later decision measures loss against);</li>
 *   <li>assesses it with the {@link Detector}, which runs the one decision pipeline for the daemon's request;</li>
 *   <li>acts by the decision and the cluster's {@code failover.mode}: {@code auto} launches the failover runbook off
 *   this thread (probing and verdicts go on during it; at most one runbook per cluster at a time); {@code manual}
 *   pages people once per outage with the plan and the command to run; {@code dry-run} journals the plan and tells it
 *   once. Before any automatic action the {@link AutomationBrakes} are asked; a hold is paged once and journaled;</li>
 *   <li>fences a second writable primary (a returning old primary) at once, with the fence runbook, when the store
 *   says which node is the primary; tells the split brain once;</li>
 *   <li>tells a replica problem once when it starts and once when it clears ({@link ReplicaAlarms}).</li>
 * </ol>
 * At {@link #start} a run of this cluster left unfinished in the store (the previous daemon died mid-way) is resumed
 * before anything else is automated.
 */
public final class ClusterWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterWatch.class);
    private static final DateTimeFormatter INCIDENT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final long POLL_MILLIS = 250;
    /**
     * How soon a leader tries again to resume an unfinished run whose resume was refused (its predecessor's run still
     * held the cluster's one-actor lock: a step in flight when its session was lost, bounded by its own timeout).
     */
    static final Duration RESUME_RETRY = Duration.ofSeconds(5);

    private volatile ClusterSpec cluster;
    private final StateStore store;
    private final RunbookLauncher launcher;
    private final Optional<RunAnnouncements> notices;
    private final AutomationBrakes brakes;
    private final Actor actor;
    private final Clock clock;
    private final Detector detector;
    /** The other daemons (issue 13); {@link Peers#alone()} without coordination. */
    private final Peers peers;
    private final ArrayBlockingQueue<ClusterHistory> rounds = new ArrayBlockingQueue<>(1);
    private final AtomicReference<Thread> running = new AtomicReference<>();
    private final List<Consumer<WatchState>> observers = new CopyOnWriteArrayList<>();
    private volatile String runningWhat;
    private volatile Optional<String> lastRun = Optional.empty();
    private volatile WatchState state;
    private volatile Thread worker;
    private volatile boolean stopping;
    /** When a resume of an unfinished run was last refused; empty when none is to be tried again. */
    private volatile Optional<Instant> resumeRefusedAt = Optional.empty();

    // Worker-thread state: what was told already, so each thing is told once.
    private final Set<String> told = new HashSet<>();
    private Map<NodeName, String> replicaProblems = Map.of();
    private boolean actedThisOutage;
    private boolean leading;

    /**
     * @param notices where pages and notices go (the durable outbox); empty without a notification channel, when
     *                they are only journaled
     * @param actor   who the journal says acted, {@code daemon:<host>:<pid>}
     */
    public ClusterWatch(ClusterSpec cluster, StateStore store, RunbookLauncher launcher,
                        Optional<RunAnnouncements> notices, AutomationBrakes brakes, Actor actor, Clock clock) {
        this(cluster, store, launcher, notices, brakes, actor, clock, Peers.alone());
    }

    /**
     * A watch among several daemons (issue 13): it publishes every verdict to {@code peers}, acts only while it leads
     * the cluster, and fails over only with a quorum of the live daemons.
     */
    public ClusterWatch(ClusterSpec cluster, StateStore store, RunbookLauncher launcher,
                        Optional<RunAnnouncements> notices, AutomationBrakes brakes, Actor actor, Clock clock,
                        Peers peers) {
        this.peers = Objects.requireNonNull(peers, "peers");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.store = Objects.requireNonNull(store, "store");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.notices = Objects.requireNonNull(notices, "notices");
        this.brakes = Objects.requireNonNull(brakes, "brakes");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.detector = new Detector(List.of());
        this.state = new WatchState(cluster.name(), cluster.failover().mode(), "none", "no probe round yet",
                "none yet", Optional.empty(), Optional.empty(), Map.of(), clock.instant());
    }

    /**
     * A watch that only journals what it would tell (no notification channel) and asks the default brakes: for a drill
     * environment run in-process.
     */
    public static ClusterWatch of(ClusterSpec cluster, StateStore store, RunbookLauncher launcher, Actor actor,
                                  Clock clock) {
        return new ClusterWatch(cluster, store, launcher, Optional.empty(),
                new AutomationBrakes(store, BreakerPolicy.defaults()), actor, clock);
    }

    public ClusterName name() {
        return cluster.name();
    }

    /** The latest state; for status, health and metrics. */
    public WatchState state() {
        return state;
    }

    /** Called with every new state, on the watch's worker: keep it quick. */
    public void onState(Consumer<WatchState> observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
    }

    /** A new spec of the same cluster (a reloaded config): used from the next round on. */
    public void apply(ClusterSpec spec) {
        if (!spec.name().equals(cluster.name())) {
            throw new IllegalArgumentException("a watch of " + cluster.name() + " cannot take the spec of " + spec.name());
        }
        this.cluster = spec;
    }

    /**
     * Hands a probe round to the worker and returns at once: the probe thread never waits. A round the worker has
     * not taken yet is replaced by this newer one (its history includes the older round's observations).
     */
    public void offer(ClusterHistory round) {
        while (!rounds.offer(round)) {
            rounds.poll();
        }
    }

    /** Starts the worker: first resumes a run this cluster left unfinished, then takes rounds. */
    public synchronized void start() {
        if (worker != null) {
            return;
        }
        worker = Thread.ofVirtual().name("drctl-watch-" + cluster.name()).start(this::work);
    }

    /** Whether a runbook this watch launched is running now. */
    public boolean acting() {
        return running.get() != null;
    }

    /**
     * Stops taking rounds and waits at most {@code bound} for a running runbook to end. A runbook still running then
     * is left to the process's exit: every step is journaled write-ahead, so the next daemon resumes it (the run stays
     * claimed in the store). Returns whether nothing is left running.
     */
    public boolean stop(Duration bound) {
        stopping = true;
        long deadline = System.nanoTime() + bound.toNanos();
        var w = worker;
        if (w != null) {
            w.interrupt();
            join(w, deadline);
        }
        var r = running.get();
        if (r != null) {
            join(r, deadline);
        }
        return running.get() == null;
    }

    private static void join(Thread t, long deadline) {
        try {
            t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    private void work() {
        if (peers.standing(cluster.name()) instanceof Peers.Standing.Leads) {
            leading = true;
            resumeUnfinished();
        }
        while (!stopping) {
            ClusterHistory round;
            try {
                round = rounds.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (round == null) {
                continue;
            }
            try {
                handle(round);
            } catch (RuntimeException e) {
                log.warn("round of {} not handled: {}", cluster.name(), e.toString());
            }
        }
    }

    /** A run of this cluster the store shows unfinished: the previous daemon died during it. */
    private void resumeUnfinished() {
        var spec = cluster;
        try {
            var claimed = store.clusterStates().load(spec.name()).activeRunId()
                    .flatMap(id -> store.runs().find(id)).filter(r -> r.status() == RunStatus.RUNNING);
            if (claimed.isEmpty()) {
                return;
            }
            var run = claimed.get();
            log.info("{}: run {} ({}) was left unfinished by {}; resuming it before anything else",
                    spec.name(), run.runId(), run.kind(), run.actor());
            switch (run.kind()) {
                case FAILOVER -> launch("failover (resumed " + run.runId() + ")",
                        () -> refusedAgain(launcher.failover(spec)));
                case FENCE -> launch("fence (resumed " + run.runId() + ")",
                        () -> refusedAgain(launcher.fence(spec, spec.nodes().getFirst().name())));
                case SWITCHOVER, REJOIN, DRILL -> page("unfinished-" + run.runId(), FailoverDecision.class,
                        () -> notices.map(n -> n.notifications().exception(Optional.of(spec.name()), run.runId(),
                                clock.instant(), "run " + run.runId() + " (" + kindName(run.kind()) + ") is unfinished",
                                "the daemon resumes failovers and fences only; this run was started by " + run.actor(),
                                "drctl " + kindName(run.kind()) + " " + spec.name() + " resumes it from the journal")),
                        Map.of("decision", "left to a person", "unfinishedRun", run.runId(),
                                "summary", "run " + run.runId() + " of kind " + kindName(run.kind())
                                        + " is unfinished; the daemon does not resume it"));
            }
        } catch (DrctlException e) {
            log.warn("{}: could not look for an unfinished run: {}", spec.name(), e.getMessage());
        }
    }

    /**
     * A resume refused (the predecessor still holds the cluster's lock, or this daemon's term is not readable yet) is
     * tried again after {@link #RESUME_RETRY} while this daemon leads: the run must not stay unfinished because its
     * first resume came too early.
     */
    private RunResult refusedAgain(RunResult result) {
        resumeRefusedAt = result.end() == RunResult.End.REFUSED ? Optional.of(clock.instant()) : Optional.empty();
        return result;
    }

    private static String kindName(RunKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    private void handle(ClusterHistory probed) {
        var spec = cluster;
        var name = spec.name();
        // A reloaded policy (mode, max-lag, cooldown) applies from this round: the pipeline reads the round's spec.
        var round = probed.cluster().equals(spec) ? probed : new ClusterHistory(spec, probed.byNode());
        var now = clock.instant();
        ClusterMemory memory;
        try {
            store.recordRound(round);
            memory = store.memory(name);
        } catch (DrctlException e) {
            // Remembered as nothing: every loss then reads unknown, and the pipeline refuses to guess (the safe side).
            log.warn("{}: state store not updated this round: {}", name, e.getMessage());
            memory = ClusterMemory.none();
        }
        // Assessed only: the cooldown starts when this watch launches a failover, not when the pipeline says Promote in a
        // round it does not act on (following another daemon, no quorum yet, held by the brakes).
        var assessed = detector.assess(round, memory, now);
        var verdict = assessed.verdict();
        var decision = assessed.decision();
        peers.publish(name, kindOf(verdict), verdict.summary(), now);
        var standing = peers.standing(name);
        if (standing instanceof Peers.Standing.Follows follows) {
            // Another daemon acts on this cluster (or none can: cut off from ZooKeeper): look, publish, do nothing.
            leading = false;
            resumeRefusedAt = Optional.empty();
            publish(new WatchState(name, spec.failover().mode(), kindOf(verdict), verdict.summary(), "not acting ("
                    + follows.reason() + "); the pipeline says: " + decision.reason(), Optional.ofNullable(runningWhat),
                    lastRun, replicaProblems, now));
            return;
        }
        if (!leading) {
            // Leadership just came to this daemon: a run its predecessor left unfinished is resumed first.
            leading = true;
            if (!acting()) {
                resumeUnfinished();
            }
        } else if (!acting() && resumeRefusedAt.filter(t -> !now.isBefore(t.plus(RESUME_RETRY))).isPresent()) {
            resumeRefusedAt = Optional.empty();
            resumeUnfinished();
        }
        alarms(spec, verdict, now);
        if (primaryWritable(verdict)) {
            // The outage (if any) is over: the next one is told afresh.
            told.removeIf(k -> k.startsWith("outage/"));
            actedThisOutage = false;
        }
        if (verdict instanceof ClusterVerdict.SplitBrain b) {
            splitBrain(spec, b, memory, now);
        } else {
            told.removeIf(k -> k.startsWith("split/"));
            switch (decision) {
                case FailoverDecision.Wait w -> {
                }
                case FailoverDecision.Promote p -> promote(spec, p, memory, now);
                case FailoverDecision.Refuse r -> refused(spec, verdict, r, memory, now);
            }
        }
        publish(new WatchState(name, spec.failover().mode(), kindOf(verdict), verdict.summary(), decision.reason(),
                Optional.ofNullable(runningWhat), lastRun, replicaProblems, now));
    }

    private void publish(WatchState next) {
        var name = next.cluster();
        state = next;
        for (var o : observers) {
            try {
                o.accept(next);
            } catch (RuntimeException e) {
                log.warn("an observer of {} failed: {}", name, e.toString());
            }
        }
    }

    private static boolean primaryWritable(ClusterVerdict v) {
        return v instanceof ClusterVerdict.Healthy || v instanceof ClusterVerdict.ReplicaProblems;
    }

    static String kindOf(ClusterVerdict v) {
        return switch (v) {
            case ClusterVerdict.Healthy h -> "Healthy";
            case ClusterVerdict.ReplicaProblems p -> "ReplicaProblems";
            case ClusterVerdict.PrimarySuspect s -> "PrimarySuspect";
            case ClusterVerdict.PrimaryDead d -> "PrimaryDead";
            case ClusterVerdict.DrctlPartitioned p -> "DrctlPartitioned";
            case ClusterVerdict.DrctlBlind b -> "DrctlBlind";
            case ClusterVerdict.NoPrimary n -> "NoPrimary";
            case ClusterVerdict.SplitBrain b -> "SplitBrain";
        };
    }

    /** The pipeline decided to promote: the brakes, then the failover runbook off this thread. */
    private void promote(ClusterSpec spec, FailoverDecision.Promote p, ClusterMemory memory, Instant now) {
        if (acting()) {
            log.info("{}: {}; a runbook ({}) is already running, nothing more launched", spec.name(), p.reason(),
                    runningWhat);
            return;
        }
        if (peers.quorum(spec.name(), now) instanceof Peers.Quorum.NotReached no) {
            // One daemon's view is not enough (issue 13): the others must see the primary dead too.
            page("outage/no-quorum", FailoverDecision.class, Optional::empty,
                    plan(spec, "waiting for quorum", "observer quorum (safety rule 1)", p.reason() + "; but "
                            + no.sentence(), Optional.empty(), p));
            return;
        }
        // (the quorum first: a failover admitted while waiting for it would count for the breaker and hold itself)
        // admit, not only hold: the admitted failover counts for the breaker at once, before its run is in the store,
        // so a second cluster whose primary died in the same round is held (max-failovers across all clusters)
        var hold = brakes.admit(spec, now);
        if (hold.isPresent()) {
            var sentence = hold.get().sentence();
            var reason = p.reason() + "; automatic failover held: " + sentence;
            var next = "drctl failover " + spec.name();
            page("outage/hold/" + p.fenced(), FailoverDecision.class, () -> notices.map(n -> n.notifications()
                            .failoverBlocked(spec.name(), incident(spec, memory, now) + "-held", now, "automation brakes",
                                    reason, List.of(), next)),
                    plan(spec, "held", "automation brakes", reason, Optional.of(next), p));
            return;
        }
        actedThisOutage = true;
        launch("failover", () -> launcher.failover(spec));
    }

    private void refused(ClusterSpec spec, ClusterVerdict verdict, FailoverDecision.Refuse r, ClusterMemory memory,
                         Instant now) {
        if (!(verdict instanceof ClusterVerdict.PrimaryDead) && r.refusal() != Refusal.DRCTL_BLIND) {
            return;
        }
        // Our own failover's cooldown, or a refusal while our runbook runs: the run tells its own outcome.
        if (acting() || (actedThisOutage && r.refusal() == Refusal.COOLDOWN)) {
            return;
        }
        var mode = spec.failover().mode();
        var rule = switch (r.refusal()) {
            case MODE_MANUAL -> "failover mode manual";
            case MODE_DRY_RUN -> "failover mode dry-run";
            default -> Wording.rule(r.refusal());
        };
        var decision = switch (r.refusal()) {
            case MODE_MANUAL -> "paged";
            case MODE_DRY_RUN -> "planned";
            default -> "refused";
        };
        var next = r.next();
        page("outage/" + r.refusal(), FailoverDecision.class, () -> notices.map(n -> n.notifications()
                        .failoverBlocked(spec.name(), incident(spec, memory, now) + "-"
                                        + r.refusal().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), now,
                                rule, r.reason(),
                                evidence(verdict), next.orElse(mode == FailoverMode.DRY_RUN
                                        ? "Nothing to do: dry-run mode only plans; drctl failover " + spec.name()
                                        + " acts manually" : "drctl status " + spec.name()))),
                plan(spec, decision, rule, r.reason(), next, r));
    }

    private static List<String> evidence(ClusterVerdict verdict) {
        return verdict.evidence().stream().map(Evidence::toString).toList();
    }

    private Map<String, Object> plan(ClusterSpec spec, String decision, String rule, String reason,
                                     Optional<String> next, FailoverDecision d) {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("decision", decision);
        payload.put("rule", rule);
        payload.put("mode", spec.failover().mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        payload.put("trigger", "automatic");
        switch (d) {
            case FailoverDecision.Promote p -> {
                payload.put("candidate", p.candidate().value());
                payload.put("fenced", p.fenced().value());
            }
            case FailoverDecision.Refuse r -> payload.put("refusal", r.refusal().name());
            case FailoverDecision.Wait w -> {
            }
        }
        next.ifPresent(n -> payload.put("next", n));
        payload.put("summary", reason);
        return payload;
    }

    /**
     * Two or more writable primaries. The store's primary (the last promotion's, or the last single writer seen)
     * stays; every other writer is fenced at once. When the store names none of them, drctl cannot tell which holds
     * the cluster's data and only pages.
     */
    private void splitBrain(ClusterSpec spec, ClusterVerdict.SplitBrain b, ClusterMemory memory, Instant now) {
        var keep = memory.lastPrimary().filter(b.writablePrimaries()::contains);
        var others = b.writablePrimaries().stream().filter(n -> keep.isEmpty() || !n.equals(keep.get())).toList();
        var key = "split/" + b.writablePrimaries().stream().map(NodeName::value).sorted()
                .collect(Collectors.joining(","));
        // Fencing protects: the cooldown and the breaker (which bound promotions) do not hold it back; maintenance
        // (a person working on the cluster, who may have made that node writable on purpose) does.
        var maintenance = keep.isEmpty() ? Optional.<AutomationHold>empty()
                : brakes.hold(spec, now).filter(h -> h instanceof AutomationHold.Maintenance);
        var what = keep.isEmpty()
                ? "the store names none of them as the primary: drctl fences none; fence all but one by hand"
                : maintenance.map(h -> "not fenced: " + h.sentence() + "; fence " + Wording.names(others) + " by hand")
                        .orElse("fencing " + Wording.names(others) + "; " + keep.get()
                                + " stays the primary (the store's)");
        var fencing = keep.isPresent() && maintenance.isEmpty();
        var reason = b.summary() + "; " + what;
        var next = fencing ? "drctl rejoin " + spec.name() + " " + others.getFirst()
                + " once the fence holds (pg_rewind or re-clone)" : "drctl fence " + spec.name() + " NODE";
        var incident = "split-brain-" + spec.name() + "-" + INCIDENT_TIME.format(now);
        page(key, ClusterVerdict.SplitBrain.class, () -> notices.map(n -> n.notifications().exception(
                        Optional.of(spec.name()), incident, now, "split brain: " + Wording.names(b.writablePrimaries())
                                + " answer as writable primaries", reason, next)),
                Map.of("decision", fencing ? "fence" : "paged", "rule", "one writer (safety rule 4)",
                        "verdict", "SplitBrain", "writablePrimaries", b.writablePrimaries().stream().map(NodeName::value)
                                .toList(), "summary", reason));
        if (!fencing || acting()) {
            return;
        }
        var target = others.getFirst();
        launch("fence " + target, () -> {
            var result = launcher.fence(spec, target);
            if (result.end() != RunResult.End.COMPLETED) {
                notices.ifPresent(n -> n.enqueue(n.notifications().exception(Optional.of(spec.name()), result.runId(),
                        clock.instant(), "split brain: " + target + " could not be fenced", result.summary(),
                        "Make sure " + target + " takes no writes (power it off), then drctl fence " + spec.name()
                                + " " + target)));
            }
            return result;
        });
    }

    private void alarms(ClusterSpec spec, ClusterVerdict verdict, Instant now) {
        var change = ReplicaAlarms.next(replicaProblems, verdict);
        replicaProblems = change.troubled();
        for (var s : change.started()) {
            tell(spec, s.node(), true, s.detail(), now);
        }
        for (var c : change.cleared()) {
            tell(spec, c.node(), false, c.was(), now);
        }
    }

    private void tell(ClusterSpec spec, NodeName node, boolean started, String detail, Instant now) {
        var incident = "replica-" + spec.name() + "-" + node + "-" + INCIDENT_TIME.format(now);
        var payload = new LinkedHashMap<String, Object>();
        payload.put("decision", started ? "replica problem" : "replica problem cleared");
        payload.put("replica", node.value());
        payload.put("summary", spec.name() + ": replica " + node + (started ? ": " : " recovered from: ") + detail);
        journal(spec, payload, Optional.of(node));
        try {
            notices.ifPresent(n -> n.enqueue(n.notifications().replicaProblem(spec.name(), incident, now, node, started,
                    detail)));
        } catch (DrctlException | IllegalArgumentException | IllegalStateException e) {
            log.warn("{}: replica notice not queued: {}", spec.name(), e.getMessage());
        }
    }

    /** Journals {@code payload} and queues the notification, once per {@code key} until the situation changes. */
    private void page(String key, Class<?> about, Supplier<Optional<Notification>> notification,
                      Map<String, Object> payload) {
        if (!told.add(key)) {
            return;
        }
        var spec = cluster;
        log.warn("{}: {}", spec.name(), payload.get("summary"));
        journal(spec, payload, Optional.empty());
        try {
            notification.get().ifPresent(n -> notices.ifPresent(a -> a.enqueue(n)));
        } catch (DrctlException | IllegalArgumentException | IllegalStateException e) {
            log.warn("{}: notification not queued ({}): {}", spec.name(), about.getSimpleName(), e.getMessage());
        }
    }

    private void journal(ClusterSpec spec, Map<String, Object> payload, Optional<NodeName> node) {
        try {
            var draft = JournalDraft.of(actor, JournalKind.DECISION, payload).cluster(spec.name());
            store.journal().append(node.map(draft::node).orElse(draft));
        } catch (DrctlException e) {
            log.warn("{}: decision not journaled: {}", spec.name(), e.getMessage());
        }
    }

    /** The incident a page belongs to: the outage's first recorded failure, so a restarted daemon pages it once. */
    private String incident(ClusterSpec spec, ClusterMemory memory, Instant now) {
        return "outage-" + spec.name() + "-" + INCIDENT_TIME.format(memory.firstFailureAt().orElse(now));
    }

    /** Runs {@code run} on its own virtual thread: the worker goes on taking rounds meanwhile. */
    private void launch(String what, Supplier<RunResult> run) {
        var name = cluster.name();
        var thread = Thread.ofVirtual().name("drctl-runbook-" + name).unstarted(() -> {
            try {
                var result = run.get();
                lastRun = Optional.of(what + " " + result.runId() + ": " + result.end() + ": " + result.summary());
                log.info("{}: {} run {} ended {}: {}", name, what, result.runId(), result.end(), result.summary());
            } catch (RuntimeException e) {
                if (what.equals("failover")) {
                    brakes.withdraw(name); // it never started: it does not count for the breaker
                }
                lastRun = Optional.of(what + ": failed: " + e.getMessage());
                log.error("{}: {} could not run: {}", name, what, e.toString());
                notices.ifPresent(n -> {
                    try {
                        n.enqueue(n.notifications().exception(Optional.of(name), "daemon-" + name + "-"
                                        + INCIDENT_TIME.format(clock.instant()), clock.instant(), what + " could not run",
                                String.valueOf(e.getMessage()), "drctl status " + name));
                    } catch (RuntimeException again) {
                        log.warn("{}: notice not queued: {}", name, again.getMessage());
                    }
                });
            } finally {
                runningWhat = null;
                running.set(null);
            }
        });
        if (running.compareAndSet(null, thread)) {
            runningWhat = what;
            thread.start();
        }
    }

    /** Words for the journal and pages; the rules' names as the runbooks say them. */
    static final class Wording {
        private Wording() {
        }

        static String names(List<NodeName> nodes) {
            return nodes.stream().map(NodeName::value).collect(Collectors.joining(" and "));
        }

        static String rule(Refusal refusal) {
            return refusal.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }
}
