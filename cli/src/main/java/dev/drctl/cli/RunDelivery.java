package dev.drctl.cli;

import dev.drctl.compliance.OutboxMessage;
import dev.drctl.compliance.StateStore;
import dev.drctl.notifiers.Channels;
import dev.drctl.notifiers.DeliveryPolicy;
import dev.drctl.notifiers.Notifications;
import dev.drctl.notifiers.Outbox;
import dev.drctl.notifiers.OutboxSender;
import dev.drctl.notifiers.Templates;
import dev.drctl.runbooks.RunAnnouncements;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifications of a failover or switchover run by a command: the runbook's announcements go to the durable
 * outbox, and an {@link OutboxSender} delivers them on its own thread while the command runs. Before the command
 * exits it waits a short, bounded time ({@link #FINAL_WAIT}) until every message of its runs has had one attempt;
 * whatever is still undelivered then stays in the outbox for the daemon or {@code drctl notify flush}.
 */
final class RunDelivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunDelivery.class);
    /** How long a command waits at exit for its notifications' first attempt. */
    static final Duration FINAL_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 50;

    private final RunAnnouncements announcements;
    private final Outbox outbox;
    /** Runs told of directly through {@link #outbox()} (a drill's result), waited on like the announced ones. */
    private final java.util.Set<String> told = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Optional<OutboxSender> sender;
    private final StateStore store;
    private final Clock clock;

    private RunDelivery(RunAnnouncements announcements, Outbox outbox, Optional<OutboxSender> sender, StateStore store,
                        Clock clock) {
        this.announcements = announcements;
        this.outbox = outbox;
        this.sender = sender;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Empty when no notification channel is configured. A channel whose secret cannot be resolved here does not stop
     * the run: its notifications are queued all the same and left for the daemon (which has the environment).
     */
    static Optional<RunDelivery> start(DrctlConfig config, StateStore store, Host host) {
        var spec = config.notifications();
        if (spec.email().isEmpty() && spec.webhooks().isEmpty()) {
            return Optional.empty();
        }
        var actor = AuditCommand.user(host);
        Optional<OutboxSender> sender;
        try {
            var channels = Channels.configured(spec, host.environment());
            sender = Optional.of(new OutboxSender(store, channels, DeliveryPolicy.defaults(), host.clock(),
                    "command:" + actor.value() + ":" + UUID.randomUUID(), actor));
        } catch (DrctlException e) {
            log.warn("notifications will be queued but not sent by this command: {}; the daemon or drctl notify flush "
                    + "delivers them", e.getMessage());
            sender = Optional.empty();
        }
        var wake = sender.<Runnable>map(s -> s::wake).orElse(() -> { });
        var outbox = new Outbox(store, spec, new Templates(), actor, host.clock(), wake);
        sender.ifPresent(OutboxSender::start);
        return Optional.of(new RunDelivery(new RunAnnouncements(outbox, new Notifications(config.compliance())),
                outbox, sender, store, host.clock()));
    }

    RunAnnouncements announcements() {
        return announcements;
    }

    /** The outbox, for a command that tells of a run itself; {@link #follow} makes {@link #close} wait for it. */
    Outbox outbox() {
        return outbox;
    }

    void follow(String runId) {
        told.add(runId);
    }

    /** Waits (at most {@link #FINAL_WAIT}) until each message of this command's runs had an attempt; never throws. */
    @Override
    public void close() {
        if (sender.isEmpty()) {
            return;
        }
        var s = sender.get();
        try {
            long deadline = System.nanoTime() + FINAL_WAIT.toNanos();
            s.wake();
            while (!settled() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("could not follow the delivery of this run's notifications: {}", e.getMessage());
        } finally {
            s.close();
        }
    }

    private boolean settled() {
        var now = clock.instant();
        var runs = new java.util.HashSet<String>(told);
        runs.addAll(announcements.announcedRuns());
        for (var run : runs) {
            for (var m : store.outbox().ofRun(run)) {
                if (!tried(m, now)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean tried(OutboxMessage m, java.time.Instant now) {
        return m.deliveredAt().isPresent() || m.failedAt().isPresent()
                || (m.attempts() > 0 && m.nextAttemptAt().isAfter(now));
    }
}
