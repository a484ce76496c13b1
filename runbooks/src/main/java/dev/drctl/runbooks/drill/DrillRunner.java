package dev.drctl.runbooks.drill;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.notifiers.Outbox;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.DrillSpec;
import dev.drctl.topology.NodeName;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.HexFormat;

/**
 * Runs one drill: provision the environment, start the actor (the real supervision) on it, write, inject the
 * failure, observe what the actor does until the outcome is settled, measure, judge, journal (RUN_STARTED and
 * DRILL_RESULT in the operator's store, a DRILL_FAILED/PASSED notification), and tear the environment down whatever
 * happens — an exception, a failed judgement, or the JVM shutting down (Ctrl-C: a shutdown hook).
 *
 * <p>The waits here are the scenario's own timing (a 2 s blip, a flapping primary, an observation window long enough
 * for the detector to have acted), bounded by deadlines; nothing here decides about the cluster.
 */
public final class DrillRunner {
    /** How long the actor may take to record its first probe round of the environment. */
    static final Duration WATCH_TIMEOUT = Duration.ofSeconds(60);
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .withZone(ZoneOffset.UTC);

    private final DrctlConfig config;
    private final StateStore store;
    private final Optional<Outbox> outbox;
    private final Map<DrillSpec.Environment, DrillEnvironment.Provisioner> environments;
    private final DrillActor actor;
    private final Clock clock;
    private final Actor who;
    private final Path workRoot;
    private final Optional<RealCluster.Opener> realClusters;

    /**
     * @param store        the operator's store: the drill's RUN_STARTED and DRILL_RESULT go there
     * @param outbox       present when notifications are configured: the drill's result is told through it
     * @param environments the environments this build can provision
     * @param workRoot     where environments are built (each drill in a new directory, removed afterwards)
     */
    public DrillRunner(DrctlConfig config, StateStore store, Optional<Outbox> outbox,
                       Map<DrillSpec.Environment, DrillEnvironment.Provisioner> environments, DrillActor actor,
                       Clock clock, Actor who, Path workRoot) {
        this(config, store, outbox, environments, actor, clock, who, workRoot, Optional.empty());
    }

    /** @param realClusters how the game day ({@code environment: cluster}) reaches the configured cluster */
    public DrillRunner(DrctlConfig config, StateStore store, Optional<Outbox> outbox,
                       Map<DrillSpec.Environment, DrillEnvironment.Provisioner> environments, DrillActor actor,
                       Clock clock, Actor who, Path workRoot, Optional<RealCluster.Opener> realClusters) {
        this.realClusters = realClusters;
        this.config = config;
        this.store = store;
        this.outbox = outbox;
        this.environments = Map.copyOf(environments);
        this.actor = actor;
        this.clock = clock;
        this.who = who;
        this.workRoot = workRoot;
    }

    /** The named drill of the config. */
    public static DrillSpec drill(DrctlConfig config, String name) {
        return config.drills().stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new DrctlException(DrillErrorCode.UNKNOWN_DRILL, "no drill named '" + name + "' in "
                        + config.source() + (config.drills().isEmpty() ? " (it has no drills: section)"
                        : "; its drills: " + String.join(", ", config.drills().stream().map(DrillSpec::name).toList()))));
    }

    /** Why this build cannot run {@code drill}, if it cannot (checked before anything is started or journaled). */
    public Optional<String> unsupported(DrillSpec drill) {
        if (drill.environment() == DrillSpec.Environment.CLUSTER) {
            if (!drill.failure().planned()) {
                return Optional.of("environment 'cluster' is the game day on the real cluster: a planned switchover "
                        + "there and back, never an injected failure; failure '" + drill.failure().configName()
                        + "' is refused there (use failure: switchover, or environment: local or testcontainers)");
            }
            return realClusters.isPresent() ? Optional.empty() : Optional.of("environment 'cluster' (a switchover "
                    + "round trip on the real cluster) is not available in this build");
        }
        if (drill.failure().planned()) {
            return Optional.of("failure '" + drill.failure().configName() + "' is the game day's planned switchover "
                    + "of the real cluster: it needs environment: cluster");
        }
        if (!environments.containsKey(drill.environment())) {
            return Optional.of("environment '" + drill.environment().configName() + "' is not available in this build");
        }
        return Optional.empty();
    }

    public DrillResult run(DrillSpec drill, DrillProgress progress) {
        unsupported(drill).ifPresent(why -> {
            throw new DrctlException(DrillErrorCode.NOT_BUILT, "drill " + drill.name() + ": " + why);
        });
        ClusterSpec cluster = config.cluster(drill.cluster()).orElseThrow(() -> new DrctlException(
                DrillErrorCode.UNKNOWN_DRILL, "drill " + drill.name() + " names cluster " + drill.cluster()
                + ", which is not configured"));
        var targets = drill.targets(config.compliance());
        var expectation = Expectation.of(drill.failure());
        var startedAt = clock.instant();
        var runId = "drill-" + RUN_TIME.format(startedAt) + "-" + HexFormat.of().formatHex(
                new SecureRandom().generateSeed(3));
        var record = RunRecord.started(runId, RunKind.DRILL, drill.cluster(), who, startedAt).withDrill(drill.name());
        DrillRecords.started(store, record);
        if (drill.environment() == DrillSpec.Environment.CLUSTER) {
            return gameDay(drill, cluster, record, targets, progress);
        }

        var run = new Run(drill, cluster, progress);
        var interruptedRecord = record.withStatus(RunStatus.FAILED, "drill interrupted (the process was stopped); its "
                + "environment was torn down");
        var hook = new Thread(() -> {
            // Ctrl-C or SIGTERM: said first, so that the run's own failure from the teardown below (a server gone in
            // the middle of a step) is journaled as the interruption it is, then the environment goes
            run.stopped = true;
            if (!run.claimJournal()) {
                run.tearDown();
                return;
            }
            try {
                run.tearDown();
            } finally {
                DrillRecords.finished(store, outbox, config.compliance(), interruptedRecord.withTimeline(null, null,
                        null, null, null, clock.instant()), Optional.empty());
            }
        }, "drctl-drill-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        DrillResult result;
        try {
            result = run.execute(record, expectation, targets);
        } catch (RuntimeException e) {
            var failed = (run.stopped ? interruptedRecord
                    : record.withStatus(RunStatus.FAILED, "drill could not run: " + e.getMessage()))
                    .withTimeline(null, null, null, null, null, clock.instant());
            boolean mine = run.claimJournal();
            try {
                run.tearDown();
            } finally {
                if (mine) {
                    DrillRecords.finished(store, outbox, config.compliance(), failed, Optional.empty());
                }
            }
            throw e;
        } finally {
            run.tearDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) the teardown
            }
        }
        if (run.claimJournal()) {
            DrillRecords.finished(store, outbox, config.compliance(), result.record(),
                    Optional.of(DrillReport.json(result, targets)));
        }
        return result;
    }

    /** The game day: no environment to tear down, only the drill's table and the connections. */
    private DrillResult gameDay(DrillSpec drill, ClusterSpec cluster, RunRecord record,
                                dev.drctl.topology.ComplianceSpec.Targets targets, DrillProgress progress) {
        DrillResult result;
        try (var real = realClusters.orElseThrow().open(config, cluster)) {
            result = new GameDay(drill, cluster, real, clock, progress).run(config, record, targets);
        } catch (RuntimeException e) {
            DrillRecords.finished(store, outbox, config.compliance(), record.withTimeline(null, null, null, null, null,
                    clock.instant()).withStatus(RunStatus.FAILED, "drill could not run: " + e.getMessage()),
                    Optional.empty());
            throw e;
        }
        DrillRecords.finished(store, outbox, config.compliance(), result.record(),
                Optional.of(DrillReport.json(result, targets)));
        return result;
    }

    /** One drill's moving parts, so the shutdown hook can tear down whatever was started. */
    private final class Run {
        private final DrillSpec drill;
        private final ClusterSpec cluster;
        private final DrillProgress progress;
        private final Map<String, Instant> events = new LinkedHashMap<>();
        private volatile Path dir;
        private volatile PageSink pages;
        private volatile SmtpSink smtp;
        private volatile Route53Errors route53;
        private volatile DrillEnvironment env;
        private volatile DrillActor.Watching watching;
        private volatile WriterWorkload writer;
        private volatile StateStore envStore;
        private volatile Thread ticker;
        private volatile String phase = "provision";
        private volatile Instant writesFromAt;

        private Instant writesStartedAt() {
            return writesFromAt == null ? clock.instant() : writesFromAt;
        }

        /** Who journals the drill's end: the run itself or the shutdown hook, exactly one of them. */
        private final java.util.concurrent.atomic.AtomicBoolean journaled = new java.util.concurrent.atomic.AtomicBoolean();
        /** Ctrl-C or SIGTERM came: whatever the run fails with from here on is the interruption. */
        volatile boolean stopped;

        /** True for the one caller that journals the drill's end. */
        boolean claimJournal() {
            return journaled.compareAndSet(false, true);
        }
        private boolean tornDown;

        Run(DrillSpec drill, ClusterSpec cluster, DrillProgress progress) {
            this.drill = drill;
            this.cluster = cluster;
            this.progress = progress;
        }

        private void phase(String name, String detail) {
            phase = name;
            progress.phase(name, detail);
        }

        private void event(String what) {
            events.put(what, clock.instant());
        }

        DrillResult execute(RunRecord record, Expectation expectation, dev.drctl.topology.ComplianceSpec.Targets targets) {
            event("drill started");
            phase("provision", drill.environment().configName() + " environment mirroring " + cluster.name() + " ("
                    + cluster.engine().configName() + ", " + cluster.nodes().size() + " nodes)");
            try {
                Files.createDirectories(workRoot);
                dir = Files.createTempDirectory(workRoot, "drill-" + drill.name() + "-");
                // the servers may run as another account (postgres): it must reach its data under this directory,
                // so that everything of the environment lives, and is removed, here (secrets stay closed: 0700)
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot create a directory under " + workRoot
                        + ": " + e.getMessage());
            }
            pages = new PageSink();
            env = environments.get(drill.environment()).provision(new EnvironmentRequest(drill, cluster, dir,
                    Optional.of(pages.url())));
            event("environment up");
            var topology = env.topology();
            var primary = topology.primary();
            var envCluster = env.config().clusters().getFirst();
            envStore = StateStore.open(env.config().compliance(), clock, Set.of());

            phase("watch", "the daemon's supervision starts on the environment");
            var actorConfig = env.config();
            if (drill.failure() == DrillSpec.Failure.SMTP_DOWN) {
                // the environment's notifier mails a server that is down from the start; the webhook pages still flow
                smtp = new SmtpSink(clock);
                actorConfig = SideChannels.mailingTo(actorConfig, smtp.port());
                event("SMTP down");
            }
            if (drill.failure() == DrillSpec.Failure.ROUTE53_ERRORS) {
                route53 = Route53Errors.start(envCluster);
                actorConfig = route53.config(actorConfig);
            }
            watching = actor.start(actorConfig);
            await("the actor's first probe round of " + envCluster.name(), WATCH_TIMEOUT,
                    () -> envStore.primaryPositions().latest(envCluster.name()).isPresent());
            event("supervision watching");

            phase("write", drill.workload().insertsPerSecond() + " inserts/s to the writer DNS record's node");
            // with the record in the Route53 server, the applications follow it there: every node is 127.0.0.1, so
            // the promotion the changed record was written for tells which node it names
            writer = new WriterWorkload(route53 == null ? env : new FollowingRoute53(env, () -> route53
                    .changedSinceErrors() ? failovers(envCluster, writesStartedAt()).stream()
                    .flatMap(r -> r.newPrimary().stream()).reduce((a, b) -> b) : Optional.empty()),
                    drill.workload().insertsPerSecond(), clock);
            var writesFrom = clock.instant();
            writesFromAt = writesFrom;
            writer.start(primary);
            ticker = Thread.ofPlatform().daemon().name("drill-progress").start(() -> tick(writesFrom));
            var warmUp = min(Duration.ofSeconds(5), drill.workload().duration().dividedBy(4));
            await("the first acknowledged writes", Duration.ofSeconds(30), () -> writer.acks().size() >= 3);
            pause(warmUp);
            event("writes started");

            phase("inject", drill.failure().configName() + " on " + primary);
            var injectedAt = clock.instant();
            event("failure injected");
            var policy = envCluster.failover();
            // long enough for the detector to have confirmed and acted on a real failure, had there been one
            var quiet = policy.failureWindow().plus(policy.probeInterval().plus(policy.probeTimeout())
                    .multipliedBy(policy.failureThreshold() + 2)).plusSeconds(10);
            var settle = max(Duration.ofMinutes(2), targets.rto().multipliedBy(3));
            Optional<Boolean> oldWritableAtEnd = Optional.empty();
            switch (drill.failure()) {
                case KILL_PRIMARY -> topology.kill(primary);
                case STOP_PRIMARY -> topology.stop(primary);
                case HANG_PRIMARY -> env.freeze(primary);
                case ISOLATE_PRIMARY -> isolate(primary, true);
                case PARTITION_DRCTL -> {
                    topology.drctlLink(primary).blackhole();
                    topology.drctlLink(primary).cutExisting();
                }
                case BLIP -> {
                    isolate(primary, true);
                    pause(Duration.ofSeconds(2));
                    isolate(primary, false);
                    event("blip over");
                }
                case LAG_REPLICA -> {
                    // The replicas keep streaming, 3 s late, so they fall behind while the writes go on: a replica
                    // whose stream is cut before the primary fails is no witness of its death (safety rule 1), a
                    // late one is, and the RPO guard then weighs what it lacks.
                    topology.replicas().forEach(r -> topology.replicationLink(r).latency(Duration.ofSeconds(3)));
                    pause(Duration.ofSeconds(4));
                    event("replicas 3 s behind");
                    topology.kill(primary);
                    event("primary killed");
                }
                case FLAP_PRIMARY -> {
                    for (int i = 0; i < 3; i++) {
                        topology.kill(primary);
                        pause(Duration.ofSeconds(3));
                        topology.start(primary);
                        pause(Duration.ofSeconds(3));
                    }
                    event("flapping over");
                }
                case OLD_PRIMARY_RETURNS -> topology.kill(primary);
                case SMTP_DOWN -> topology.kill(primary);
                case SWITCHOVER, NONE -> throw new IllegalStateException("a game day runs in gameDay()");
                case ROUTE53_ERRORS -> {
                    route53.failNext();
                    event("Route53 answers errors");
                    topology.kill(primary);
                }
            }

            phase("observe", expectation.sentence());
            // a recovery is awaited from the injection; a non-event is watched for a quiet window after the
            // injection's last step (a flapping primary's last restart)
            var deadline = switch (expectation) {
                case PROMOTED, PROMOTED_AND_FENCED, REFUSED, SWITCHED_OVER_AND_BACK -> injectedAt.plus(settle);
                case NO_FAILOVER, AT_MOST_ONE_FAILOVER -> clock.instant().plus(quiet);
            };
            switch (expectation) {
                case PROMOTED, PROMOTED_AND_FENCED, SWITCHED_OVER_AND_BACK -> until(deadline, () -> {
                    var runs = failovers(envCluster, injectedAt);
                    var promoted = runs.stream().filter(r -> r.promotedAt().isPresent() && r.finishedAt().isPresent())
                            .findFirst();
                    if (promoted.isPresent()) {
                        return promoted.get().status() != RunStatus.SUCCEEDED || promoted.get().newPrimary()
                                .flatMap(n -> writer.firstOn(n, injectedAt)).isPresent();
                    }
                    return runs.stream().anyMatch(r -> r.finishedAt().isPresent()); // refused or failed
                });
                case REFUSED -> {
                    until(deadline, () -> pages.count("FAILOVER_BLOCKED") > 0 || failovers(envCluster, injectedAt)
                            .stream().anyMatch(r -> r.finishedAt().isPresent()));
                    // the page goes out after the refusal is journaled: give its delivery a moment
                    until(min(deadline, clock.instant().plusSeconds(15)), () -> pages.count("FAILOVER_BLOCKED") > 0);
                }
                case NO_FAILOVER, AT_MOST_ONE_FAILOVER -> until(deadline, () -> failovers(envCluster, injectedAt)
                        .stream().filter(r -> r.promotedAt().isPresent()).count() > (expectation
                        == Expectation.NO_FAILOVER ? 0 : 1));
            }
            event("outcome settled");
            Optional<DrillObservation.MailAfterOutage> mail = Optional.empty();
            if (smtp != null) {
                phase("smtp back", "the mail server comes back: the outbox delivers what waited");
                var backAt = clock.instant();
                smtp.up();
                event("SMTP back");
                until(backAt.plusSeconds(120), () -> !smtp.mails().isEmpty());
                smtp.mails().stream().findFirst().ifPresent(m -> events.put("first mail delivered", m.at()));
                mail = Optional.of(new DrillObservation.MailAfterOutage(backAt, smtp.mails().stream()
                        .map(m -> new DrillObservation.MailAfterOutage.Delivered(m.at(), m.subject())).toList()));
            }
            if (expectation == Expectation.PROMOTED_AND_FENCED
                    && failovers(envCluster, injectedAt).stream().anyMatch(r -> r.promotedAt().isPresent())) {
                phase("return", "the old primary " + primary + " restarts");
                topology.start(primary);
                event("old primary returned");
                var window = clock.instant().plus(quiet);
                boolean writable = writer.acceptsWrite(primary);
                while (clock.instant().isBefore(window)) {
                    pause(Duration.ofMillis(500));
                    writable = writer.acceptsWrite(primary);
                }
                oldWritableAtEnd = Optional.of(writable);
            }
            // the workload writes at least its duration
            var writeUntil = writesFrom.plus(drill.workload().duration());
            if (clock.instant().isBefore(writeUntil)) {
                pause(Duration.between(clock.instant(), writeUntil));
            }
            writer.close();
            event("writes stopped");

            phase("measure", "acknowledged writes against the surviving primary");
            var runs = failovers(envCluster, injectedAt);
            var promotion = runs.stream().filter(r -> r.promotedAt().isPresent()).findFirst();
            var survivor = promotion.flatMap(RunRecord::newPrimary).orElse(primary);
            var acks = writer.acks();
            List<Long> lost = List.of();
            Optional<Instant> earliestLost = Optional.empty();
            if (expectation != Expectation.REFUSED) {
                var held = heldOn(survivor);
                var missing = acks.stream().filter(a -> !held.contains(a.id())).toList();
                lost = missing.stream().map(WriterWorkload.Ack::id).toList();
                earliestLost = missing.stream().map(WriterWorkload.Ack::at).findFirst();
            }
            var firstWrite = promotion.flatMap(RunRecord::newPrimary).flatMap(n -> writer.firstOn(n, injectedAt));
            var dns = Optional.ofNullable(route53).map(r -> r.outcome(promotion.flatMap(RunRecord::newPrimary)
                    .orElse(primary)));
            var observation = new DrillObservation(primary, injectedAt, runs, pages.count("FAILOVER_BLOCKED"),
                    firstWrite, acks.size(), lost, earliestLost, oldWritableAtEnd, mail, dns, Optional.empty());
            var verdict = DrillJudge.judge(expectation, observation, targets);
            promotion.ifPresent(p -> {
                p.detectedAt().ifPresent(t -> events.put("failure detected", t));
                p.confirmedAt().ifPresent(t -> events.put("decision: failover", t));
                p.promotedAt().ifPresent(t -> events.put("promoted " + p.newPrimary().map(Object::toString).orElse(""), t));
                p.dnsAt().ifPresent(t -> events.put("DNS moved (in sync)", t));
            });
            observation.refusals().stream().findFirst().flatMap(RunRecord::finishedAt)
                    .ifPresent(t -> events.put("failover refused", t));
            firstWrite.ifPresent(w -> events.put("first write on " + w.node(), w.at()));

            var envDescription = env.describe();
            var attempts = writer.attempts();
            var failedAttempts = writer.failures();
            var seen = pages.received();
            phase("tear down", "servers, proxies and the environment's directory");
            tearDown();
            event("environment torn down");

            var finished = clock.instant();
            var done = record.withNodes(primary, promotion.flatMap(RunRecord::newPrimary).orElse(null),
                            promotion.flatMap(RunRecord::epoch).orElse(0L))
                    .withTimeline(injectedAt, promotion.flatMap(RunRecord::confirmedAt).orElse(null),
                            promotion.flatMap(RunRecord::promotedAt).orElse(null),
                            promotion.flatMap(RunRecord::dnsAt).orElse(null),
                            firstWrite.map(WriterWorkload.Ack::at).orElse(null), finished)
                    .withMeasures(verdict.rto().orElse(null), verdict.rpo().orElse(null), null, false)
                    .withStatus(verdict.passed() ? RunStatus.SUCCEEDED : RunStatus.FAILED, verdict.summary());
            var timeline = new ArrayList<DrillResult.Event>();
            events.forEach((what, at) -> timeline.add(new DrillResult.Event(what, at)));
            timeline.sort(java.util.Comparator.comparing(DrillResult.Event::at));
            return new DrillResult(drill, done, envDescription, verdict, observation, timeline, attempts,
                    failedAttempts, seen);
        }

        /**
         * The write ids {@code node} holds; none when it cannot be read (a killed primary nothing replaced): then no
         * acknowledged write counts as kept, rather than the drill ending without a verdict.
         */
        private Set<Long> heldOn(NodeName node) {
            try {
                return writer.idsOn(node);
            } catch (DrctlException e) {
                event("writes unreadable on " + node);
                return Set.of();
            }
        }

        private void isolate(NodeName primary, boolean cut) {
            var topology = env.topology();
            var links = new ArrayList<dev.drctl.testenv.FaultProxy>();
            links.add(topology.drctlLink(primary));
            topology.replicas().forEach(r -> links.add(topology.replicationLink(r)));
            for (var link : links) {
                if (cut) {
                    link.blackhole();
                    link.cutExisting();
                } else {
                    link.pass();
                }
            }
            env.cutClients(primary, cut);
        }

        private List<RunRecord> failovers(ClusterSpec envCluster, Instant since) {
            var latest = new LinkedHashMap<String, RunRecord>();
            var query = JournalQuery.between(since.minusSeconds(1), clock.instant().plusSeconds(60))
                    .cluster(envCluster.name()).kinds(Set.of(JournalKind.RUN_STARTED, JournalKind.RUN_FINISHED));
            for (var e : envStore.journal().entries(query)) {
                var r = RunRecord.fromJson(e.payloadTree());
                if (r.kind() == RunKind.FAILOVER && !r.startedAt().isBefore(since.minusSeconds(1))) {
                    latest.put(r.runId(), r);
                }
            }
            return List.copyOf(latest.values());
        }

        private void tick(Instant from) {
            while (!Thread.currentThread().isInterrupted()) {
                var w = writer;
                if (w == null) {
                    return;
                }
                progress.tick(phase, Duration.between(from, clock.instant()), w.rate(Duration.ofSeconds(2)),
                        w.acks().size(), w.failures());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops the writer, the actor and the environment, whatever state they are in. Idempotent. */
        synchronized void tearDown() {
            if (tornDown) {
                return;
            }
            tornDown = true;
            // an interrupted drill (Ctrl-C, the daemon stopping) still waits for its servers to stop
            boolean interrupted = Thread.interrupted();
            try {
                tearDownEach();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void tearDownEach() {
            var failures = new ArrayList<String>();
            if (ticker != null) {
                ticker.interrupt();
            }
            quietly(failures, () -> {
                if (writer != null) {
                    writer.close();
                }
            });
            quietly(failures, () -> {
                if (watching != null) {
                    watching.close();
                }
            });
            quietly(failures, () -> {
                if (envStore != null) {
                    envStore.close();
                }
            });
            quietly(failures, () -> {
                if (env != null) {
                    env.close();
                }
            });
            quietly(failures, () -> {
                if (pages != null) {
                    pages.close();
                }
            });
            quietly(failures, () -> {
                if (smtp != null) {
                    smtp.close();
                }
            });
            quietly(failures, () -> {
                if (route53 != null) {
                    route53.close();
                }
            });
            quietly(failures, () -> {
                if (dir != null) {
                    delete(dir);
                }
            });
            if (!failures.isEmpty()) {
                throw new DrctlException(DrillErrorCode.ENVIRONMENT, "tearing the drill's environment down: "
                        + String.join("; ", failures));
            }
        }
    }

    private static void quietly(List<String> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(String.valueOf(e.getMessage()));
        }
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) {
        await(clock, what, timeout, condition);
    }

    /** Waits until {@code condition} holds, polling; fails the drill after {@code timeout}. */
    static void await(Clock clock, String what, Duration timeout, BooleanSupplier condition) {
        var deadline = clock.instant().plus(timeout);
        if (!until(clock, deadline, condition)) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "gave up waiting for " + what + " after "
                    + timeout.toSeconds() + " s");
        }
    }

    private boolean until(Instant deadline, BooleanSupplier condition) {
        return until(clock, deadline, condition);
    }

    /** Polls {@code condition} every 200 ms until it holds (true) or {@code deadline} passes (false). */
    static boolean until(Clock clock, Instant deadline, BooleanSupplier condition) {
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!clock.instant().isBefore(deadline)) {
                return false;
            }
            pause(Duration.ofMillis(200));
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "interrupted");
        }
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Removes {@code dir}; a server still shutting down may write a file meanwhile, so a failure is retried for 30 s. */
    static void delete(Path dir) {
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                deleteOnce(dir);
                return;
            } catch (DrctlException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                pause(Duration.ofMillis(500));
            }
        }
    }

    private static void deleteOnce(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
