package dev.drctl.cli.daemon;

import dev.drctl.cli.DaemonRunbooks;
import dev.drctl.cli.Host;
import dev.drctl.compliance.Actor;
import dev.drctl.compliance.ConfiguredSecrets;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.StateStore;
import dev.drctl.coordination.ClusterLeadership;
import dev.drctl.notifiers.Channels;
import dev.drctl.notifiers.ComplianceDigest;
import dev.drctl.notifiers.DeliveryPolicy;
import dev.drctl.notifiers.Notifications;
import dev.drctl.notifiers.Outbox;
import dev.drctl.notifiers.OutboxSender;
import dev.drctl.notifiers.Templates;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.runbooks.ActorLock;
import dev.drctl.runbooks.RunAnnouncements;
import dev.drctl.runbooks.RunbookEngine;
import dev.drctl.cli.DrillRunners;
import dev.drctl.runbooks.drill.DueDrills;
import dev.drctl.runbooks.drill.ScheduledDrills;
import dev.drctl.runbooks.watch.AutomationBrakes;
import dev.drctl.runbooks.watch.AutomationHold;
import dev.drctl.runbooks.watch.BreakerPolicy;
import dev.drctl.runbooks.watch.DrillCompliance;
import dev.drctl.runbooks.watch.Periodic;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.runbooks.watch.ClusterWatch;
import dev.drctl.runbooks.watch.DaemonLock;
import dev.drctl.runbooks.watch.RunbookLauncher;
import dev.drctl.runbooks.watch.WatchState;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running daemon: every cluster's watch, the probe scheduler feeding them, the outbox sender delivering
 * continuously, the engine acting as {@code daemon:<host>:<pid>}, and the daemon lock of the store. Built by
 * {@link #start}; ended by {@link #stop}.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    /** How {@link #start} ended. */
    public sealed interface Start {
        record Running(Daemon daemon) implements Start {
        }

        /** Another daemon holds the store's daemon lock; the refusal is journaled. */
        record Refused(String summary) implements Start {
        }
    }

    private final StateStore store;
    private volatile ActorLock lock;
    private final String storeUrl;
    private final java.time.Clock clock;
    private final ProbeScheduler probes;
    private final Optional<OutboxSender> sender;
    private final Map<ClusterName, ClusterWatch> watches;
    private final Actor actor;
    /** The coordination of several daemons through ZooKeeper (issue 13); empty in single-daemon mode. */
    private final Optional<ZooKeeperPeers> peers;
    private final Optional<Thread> rebalancer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final DaemonMetrics metrics;
    private final DaemonStatus status;
    private volatile boolean stopping;
    private volatile DrctlConfig config;
    private volatile AutoCloseable drillCompliance = () -> { };
    private volatile AutoCloseable digest = () -> { };
    private volatile Optional<ScheduledDrills> drills = Optional.empty();
    private volatile Supplier<DaemonView.ConfigState> configState;

    private Daemon(DrctlConfig config, StateStore store, ActorLock lock, ProbeScheduler probes,
                   Optional<OutboxSender> sender, Map<ClusterName, ClusterWatch> watches, Actor actor,
                   DaemonMetrics metrics, DaemonStatus status, java.time.Clock clock, Optional<ZooKeeperPeers> peers) {
        this.storeUrl = config.compliance().store();
        this.clock = clock;
        this.peers = peers;
        this.rebalancer = peers.map(p -> Thread.ofVirtual().name("drctl-zk-rebalance").unstarted(this::rebalance));
        this.config = config;
        this.metrics = metrics;
        this.status = status;
        this.store = store;
        this.lock = lock;
        this.probes = probes;
        this.sender = sender;
        this.watches = watches;
        this.actor = actor;
    }

    /** This process as the journal names it: {@code daemon:<host>:<pid>}. */
    public static Actor actorOf(Host host) {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "localhost";
        }
        return Actor.daemon(name + ":" + ProcessHandle.current().pid());
    }

    public static Start start(DrctlConfig config, Host host) {
        return start(config, host, (c, parts) -> DaemonRunbooks.of(c, host, parts.store(), parts.probes(),
                parts.engine()));
    }

    /** What a launcher is built from. */
    public record Parts(StateStore store, ProbeScheduler probes, RunbookEngine engine) {
    }

    /** A factory of the runbook launcher; tests shape the failover (a crash point). */
    @FunctionalInterface
    public interface Launchers {
        RunbookLauncher create(DrctlConfig config, Parts parts);
    }

    public static Start start(DrctlConfig config, Host host, Launchers launchers) {
        // Coordinated, the daemon is known by its stable id (the journal's actor, the token's holder, its ZooKeeper
        // node); alone, by host and pid as before.
        var actor = config.coordination().map(c -> Actor.daemon(DaemonId.of(c, config.compliance().store()).value()))
                .orElseGet(() -> actorOf(host));
        var clock = host.clock();
        var startedAt = clock.instant();
        var store = StateStore.open(config.compliance(), clock, ConfiguredSecrets.resolvable(config,
                host.environment()));
        ActorLock lock = null;
        ProbeScheduler probes = null;
        Optional<OutboxSender> sender = Optional.empty();
        Optional<ClusterLeadership> leadership = Optional.empty();
        try {
            // Several daemons share the store by design when coordinated (issue 13): ZooKeeper decides who acts on
            // each cluster, so the store's one-daemon lock is not taken; the per-cluster lock still is, per run.
            var attempt = config.coordination().isPresent() ? new ActorLock.Attempt.Held(new SharedByDesign())
                    : DaemonLock.tryAcquire(config.compliance().store(), actor.value(), clock.instant());
            switch (attempt) {
                case ActorLock.Attempt.Busy busy -> {
                    var summary = "another drctl daemon watches this state store: " + busy.holder().describe()
                            + " holds the daemon lock (" + busy.where() + "); this one does nothing and exits. "
                            + "Stop that daemon first to move it here";
                    var payload = new LinkedHashMap<String, Object>();
                    payload.put("decision", "refused");
                    payload.put("rule", "one actor (safety rule 5): one daemon per state store");
                    payload.put("holder", busy.holder().describe());
                    payload.put("lock", busy.where());
                    payload.put("summary", summary);
                    try {
                        store.journal().append(JournalDraft.of(actor, JournalKind.DECISION, payload));
                    } catch (DrctlException e) {
                        summary = summary + "; and this refusal could not be journaled: " + e.getMessage();
                    }
                    store.close();
                    return new Start.Refused(summary);
                }
                case ActorLock.Attempt.Held held -> lock = held.lock();
            }
            probes = new ProbeScheduler(config.clusters(), host.environment(), clock);
            sender = sender(config, store, host, actor);
            var wake = sender.<Runnable>map(s -> s::wake).orElse(() -> { });
            var notices = config.notifications().email().isEmpty() && config.notifications().webhooks().isEmpty()
                    ? Optional.<RunAnnouncements>empty()
                    : Optional.of(new RunAnnouncements(new Outbox(store, config.notifications(), new Templates(), actor,
                    clock, wake), new Notifications(config.compliance())));
            var engine = new RunbookEngine(store, config.compliance().store(), clock, actor)
                    .withConfigFile(config.source());
            if (notices.isPresent()) {
                engine = engine.announcing(notices.get());
            }
            Optional<ZooKeeperPeers> peers = Optional.empty();
            if (config.coordination().isPresent()) {
                var spec = config.coordination().get();
                leadership = Optional.of(ClusterLeadership.start(spec, daemonIdOf(actor),
                        config.clusters().stream().map(c -> c.name()).toList(), clock));
                if (awaitRegistration(leadership.get()) instanceof ClusterLeadership.Registration.Duplicate d) {
                    var summary = d.sentence(daemonIdOf(actor), spec.connectString()) + "; this one does nothing and "
                            + "exits";
                    var payload = new LinkedHashMap<String, Object>();
                    payload.put("decision", "refused");
                    payload.put("rule", "one actor (safety rule 5): one daemon per daemon id");
                    payload.put("coordination", leadership.get().description());
                    payload.put("summary", summary);
                    try {
                        store.journal().append(JournalDraft.of(actor, JournalKind.DECISION, payload));
                    } catch (DrctlException e) {
                        summary = summary + "; and this refusal could not be journaled: " + e.getMessage();
                    }
                    leadership.get().close();
                    sender.ifPresent(OutboxSender::close);
                    probes.close();
                    store.close();
                    return new Start.Refused(summary);
                }
                var zk = new ZooKeeperPeers(leadership.get(), quorumMaxAge(config), spec.sessionTimeout(), store,
                        notices, actor, clock);
                peers = Optional.of(zk);
                engine = engine.withLease(zk);
            }
            // the view of the daemon being built: /health and /metrics read it through this reference
            var self = new java.util.concurrent.atomic.AtomicReference<Daemon>();
            var brakes = new AutomationBrakes(store, BreakerPolicy.of(config));
            var watchStates = new java.util.concurrent.CopyOnWriteArrayList<ClusterWatch>();
            var status = new DaemonStatus(clock, startedAt, store, brakes,
                    () -> self.get() == null ? config : self.get().config(),
                    () -> watchStates.stream().map(ClusterWatch::state).toList(),
                    () -> self.get() != null && !self.get().stopping,
                    () -> self.get() == null ? new DaemonView.ConfigState(config.source(), startedAt, Optional.empty())
                            : self.get().configState.get());
            var metrics = new DaemonMetrics(status::view);
            peers.ifPresent(zk -> metrics.coordination(() -> zk.figures(config.clusters().stream()
                    .map(ClusterSpec::name).toList(), clock.instant())));
            var launcher = metrics.counting(launchers.create(config, new Parts(store, probes, engine)));
            var watches = new LinkedHashMap<ClusterName, ClusterWatch>();
            for (var cluster : config.clusters()) {
                var watch = new ClusterWatch(cluster, store, launcher, notices, brakes, actor, clock,
                        peers.<dev.drctl.runbooks.watch.Peers>map(p -> p).orElseGet(dev.drctl.runbooks.watch.Peers::alone));
                watch.onState(s -> metrics.verdict(s.cluster(), s.verdict()));
                watches.put(cluster.name(), watch);
            }
            watchStates.addAll(watches.values());
            var views = new StoredViews(store, actor);
            if (peers.isEmpty()) {
                watches.values().forEach(w -> w.onState(views::offer));
            } else {
                // One row per cluster: coordinated, only the cluster's leader stores its view, or the daemons
                // would overwrite each other's.
                var zk = peers.get();
                watches.values().forEach(w -> w.onState(s -> {
                    if (zk.standing(s.cluster()) instanceof dev.drctl.runbooks.watch.Peers.Standing.Leads) {
                        views.offer(s);
                    }
                }));
            }
            Function<ClusterName, ClusterWatch> watchOf = watches::get;
            probes.onRound(h -> {
                status.probed(h);
                metrics.probed(h);
                Optional.ofNullable(watchOf.apply(h.cluster().name())).ifPresent(w -> w.offer(h));
            });
            var daemon = new Daemon(config, store, lock, probes, sender, Map.copyOf(watches), actor, metrics, status,
                    clock, peers);
            daemon.configState = () -> new DaemonView.ConfigState(config.source(), startedAt, Optional.empty());
            self.set(daemon);
            journalStart(store, actor, config);
            // COMPLIANCE_OVERDUE: each minute, every configured cluster (told once a day while overdue)
            daemon.drillCompliance = new DrillCompliance(store, new Outbox(store, config.notifications(),
                    new Templates(), actor, clock, wake), config.compliance()).start(() -> daemon.config().clusters()
                    .stream().map(ClusterSpec::name).toList(), clock, Duration.ofMinutes(1));
            // the daily compliance digest: the journal head sent outside the store (an anchor for audit verify
            // --expect-head), queued through the outbox once a day at compliance.digest-at, checked each minute
            var digestOutbox = new Outbox(store, config.notifications(), new Templates(), actor, clock, wake);
            var digests = new ComplianceDigest(config.compliance(), config.clusters().stream().map(ClusterSpec::name)
                    .toList(), actor);
            daemon.digest = Periodic.start("compliance digest", Duration.ofMinutes(1), () -> digests
                    .sendIfDue(store, digestOutbox, clock.instant())
                    .ifPresent(sent -> log.info("compliance digest of {} queued: journal head {}:{}", sent.day(),
                            sent.anchor().seq(), sent.anchor().hash())));
            daemon.drills = Optional.of(scheduledDrills(daemon, host, brakes, notices.isPresent() ? Optional.of(
                    new Outbox(store, config.notifications(), new Templates(), actor, clock, wake)) : Optional.empty())
                    .start());
            sender.ifPresent(OutboxSender::start);
            watches.values().forEach(ClusterWatch::start);
            probes.start();
            if (peers.isEmpty()) {
                // Coordinated daemons share the store by design: there is no daemon lock to keep.
                Thread.ofVirtual().name("drctl-daemon-lock").start(daemon::keepLock);
            }
            daemon.rebalancer.ifPresent(Thread::start);
            log.info("drctl daemon {} watching {}{}", actor, watches.keySet(), peers.map(p -> " with "
                    + p.description()).orElse(""));
            return new Start.Running(daemon);
        } catch (RuntimeException e) {
            leadership.ifPresent(ClusterLeadership::close);
            sender.ifPresent(OutboxSender::close);
            if (probes != null) {
                probes.close();
            }
            if (lock != null) {
                lock.close();
            }
            store.close();
            throw e;
        }
    }

    /**
     * The drills the daemon runs on their schedules: {@code drctl drill run}'s own runner, journaling into the
     * daemon's store as the daemon; a cluster is held while it fails over (a run of this daemon, or one by hand the
     * store shows unfinished), is in maintenance or cools down; coordinated, only the cluster's leader drills it.
     */
    private static ScheduledDrills scheduledDrills(Daemon daemon, Host host, AutomationBrakes brakes,
                                                   Optional<Outbox> outbox) {
        var store = daemon.store;
        return new ScheduledDrills(store, daemon::config, c -> DrillRunners.runner(c, store, outbox, host,
                daemon.actor), (cluster, now) -> {
            var spec = daemon.config().cluster(cluster);
            var watch = daemon.watches.get(cluster);
            boolean failingOver = (watch != null && watch.acting()) || !store.runs().unfinished(cluster).isEmpty();
            var maintenance = brakes.maintenance(spec.orElseThrow()).map(m -> m.reason() + ", by " + m.by());
            var cooldown = spec.flatMap(s -> brakes.holds(s, now).stream()
                    .flatMap(h -> h instanceof AutomationHold.CoolingDown c ? java.util.stream.Stream.of(c.until())
                            : java.util.stream.Stream.empty()).findFirst());
            return new DueDrills.ClusterFacts(failingOver, maintenance, cooldown, Optional.empty());
        }, cluster -> daemon.peers.map(p -> p.standing(cluster) instanceof dev.drctl.runbooks.watch.Peers.Standing.Leads)
                .orElse(true), daemon.actor, daemon.clock);
    }

    /** In place of the one-daemon lock when ZooKeeper coordinates several daemons on one store: nothing to hold. */
    private static final class SharedByDesign implements ActorLock {
        @Override
        public String description() {
            return "none: several daemons share the store, coordinated through ZooKeeper";
        }

        @Override
        public Check check() {
            return new Check.Held();
        }

        @Override
        public void close() {
        }
    }

    /**
     * Waits for this daemon's id to be registered among the live daemons, long enough for a crashed predecessor's
     * node under the same id to expire; a ZooKeeper that does not answer delays the start only briefly (the daemon then
     * registers once it does, and refuses to contend should its id turn out to be taken).
     */
    private static ClusterLeadership.Registration awaitRegistration(ClusterLeadership leadership) {
        try {
            return leadership.awaitRegistration(leadership.registrationWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return leadership.registration();
        }
    }

    /** This daemon's name among the daemons: the journal's actor without its prefix. */
    static String daemonIdOf(Actor actor) {
        var v = actor.value();
        return v.startsWith("daemon:") ? v.substring("daemon:".length()) : v;
    }

    /**
     * How old another daemon's observation may be and still count towards the quorum: a few rounds of the slowest
     * cluster's probing, at least 5 s (a daemon that stalls longer than that is not watching).
     */
    static Duration quorumMaxAge(DrctlConfig config) {
        var slowest = config.clusters().stream().map(c -> c.failover().probeInterval().plus(c.failover().probeTimeout()))
                .max(Duration::compareTo).orElse(Duration.ofSeconds(1));
        var fromRounds = slowest.multipliedBy(3);
        return fromRounds.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : fromRounds;
    }

    /**
     * Every few seconds, hands on the clusters this daemon leads but is not preferred for (spreading leadership),
     * unless the cluster is busy: a runbook running, or its primary not plainly healthy.
     */
    private void rebalance() {
        while (stopped.getCount() > 0) {
            try {
                Thread.sleep(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                return;
            }
            var busy = new java.util.HashSet<ClusterName>();
            for (var w : watches.values()) {
                var verdict = w.state().verdict();
                if (w.acting() || !(verdict.equals("Healthy") || verdict.equals("ReplicaProblems"))) {
                    busy.add(w.name());
                }
            }
            peers.ifPresent(p -> p.leadership().rebalance(busy));
        }
    }

    /** Who leads each cluster and which daemons are live, when coordinated (issue 13). */
    public Optional<dev.drctl.coordination.CoordinationView> coordination() {
        return peers.map(p -> p.leadership().view());
    }

    private static void journalStart(StateStore store, Actor actor, DrctlConfig config) {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("decision", "daemon started");
        payload.put("clusters", config.clusters().stream().map(c -> c.name().value()).toList());
        payload.put("modes", config.clusters().stream().map(c -> c.name() + ": "
                + c.failover().mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).toList());
        payload.put("config", config.source().toString());
        payload.put("summary", "drctl daemon started, watching " + config.clusters().size() + " cluster(s)");
        try {
            store.journal().append(JournalDraft.of(actor, JournalKind.DECISION, payload));
        } catch (DrctlException e) {
            log.warn("the daemon's start could not be journaled: {}", e.getMessage());
        }
    }

    /** The outbox sender, delivering continuously; empty without a channel or when a channel cannot be built. */
    private static Optional<OutboxSender> sender(DrctlConfig config, StateStore store, Host host, Actor actor) {
        var spec = config.notifications();
        if (spec.email().isEmpty() && spec.webhooks().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OutboxSender(store, Channels.configured(spec, host.environment()),
                    DeliveryPolicy.defaults(), host.clock(), actor.value() + ":" + UUID.randomUUID(), actor));
        } catch (DrctlException e) {
            log.error("notifications will be queued but not sent: {}", e.getMessage());
            return Optional.empty();
        }
    }

    public Actor actor() {
        return actor;
    }

    /** The daemon's metrics, for the endpoint. */
    public DaemonMetrics metrics() {
        return metrics;
    }

    /** What the daemon knows now, for {@code /health} and the scrape-time metrics. */
    public DaemonView view() {
        return status.view();
    }

    /** The config state {@link #view()} shows: from the reload that manages this daemon's config. */
    public void configState(Supplier<DaemonView.ConfigState> state) {
        this.configState = Objects.requireNonNull(state, "state");
    }

    /** The state store, to journal what happens to the daemon from outside (a reload). */
    public StateStore store() {
        return store;
    }

    public DrctlConfig config() {
        return config;
    }

    /** Every cluster's latest state, in config order. */
    public List<WatchState> states() {
        return watches.values().stream().map(ClusterWatch::state).toList();
    }

    /** The watches, for the daemon's endpoints and metrics. */
    public List<ClusterWatch> watches() {
        return List.copyOf(watches.values());
    }

    /** The drills the daemon runs on their schedule now, by cluster. */
    public Map<ClusterName, String> drillsRunning() {
        return drills.map(ScheduledDrills::running).orElse(Map.of());
    }

    /** The outbox sender's given-up count, when a channel is configured. */
    public Optional<Long> givenUp() {
        return sender.map(OutboxSender::givenUp);
    }

    /**
     * A reloaded config: each watched cluster takes its new spec (policy, mode) from the next round. Clusters added
     * or removed, and changed nodes, need a restart (the probe scheduler is built once); those are returned, in words.
     */
    public List<String> apply(DrctlConfig next) {
        Objects.requireNonNull(next, "config");
        var notApplied = new ArrayList<String>();
        for (var spec : next.clusters()) {
            var watch = watches.get(spec.name());
            if (watch == null) {
                notApplied.add("cluster " + spec.name() + " is new: watched after a restart of drctl run");
            } else if (!config.cluster(spec.name()).map(c -> c.nodes().equals(spec.nodes())).orElse(false)) {
                notApplied.add("the nodes of " + spec.name() + " changed: probed as before until a restart");
            } else {
                watch.apply(spec);
            }
        }
        for (var name : watches.keySet()) {
            if (next.cluster(name).isEmpty()) {
                notApplied.add("cluster " + name + " was removed: still watched until a restart");
            }
        }
        config = next;
        return notApplied;
    }

    /**
     * Stops probing and waits at most {@code bound} for running runbooks to end; a step still running then is left
     * to the exit: the journal has its intent, and the next daemon resumes the run. Returns whether every runbook
     * ended. Closes everything; safe to call twice.
     */
    public boolean stop(Duration bound) {
        if (stopped.getCount() == 0) {
            return true;
        }
        stopping = true;
        long deadline = System.nanoTime() + bound.toNanos();
        boolean clean = true;
        try {
            probes.close();
            closeQuietly(drillCompliance);
            closeQuietly(digest);
            drills.ifPresent(ScheduledDrills::close);
            for (var w : watches.values()) {
                clean &= w.stop(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
        } finally {
            rebalancer.ifPresent(Thread::interrupt);
            peers.ifPresent(p -> p.leadership().close());
            try {
                sender.ifPresent(OutboxSender::close);
            } finally {
                if (clean) {
                    store.close();
                }
                lock.close();
                stopped.countDown();
            }
        }
        return clean;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("drill compliance check not stopped cleanly: {}", e.toString());
        }
    }

    /**
     * Checks the daemon lock every {@link #LOCK_CHECK}: a lock lost while this daemon lives (its PostgreSQL session
     * ended, its lock file deleted) is taken again; when another daemon took it meanwhile, this one stops, so two
     * daemons never automate the same store. (Each run also holds its cluster's lock and checks it before every step.)
     */
    private void keepLock() {
        try {
            while (!stopped.await(LOCK_CHECK.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (lock.check() instanceof ActorLock.Check.Lost lost) {
                    log.error("the daemon lock was lost: {}; taking it again", lost.reason());
                    switch (DaemonLock.tryAcquire(storeUrl, actor.value(), clock.instant())) {
                        case ActorLock.Attempt.Held held -> {
                            var old = lock;
                            lock = held.lock();
                            old.close();
                        }
                        case ActorLock.Attempt.Busy busy -> {
                            log.error("another daemon took the daemon lock: {}; this daemon stops",
                                    busy.holder().describe());
                            stop(Duration.ofSeconds(20));
                            return;
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("the daemon lock could not be checked: {}", e.toString());
        }
    }

    /** How often the daemon lock is checked. */
    static final Duration LOCK_CHECK = Duration.ofSeconds(5);

    /** Blocks until {@link #stop} ended. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
