package dev.drctl.notifiers;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.NotificationRecord;
import dev.drctl.compliance.OutboxMessage;
import dev.drctl.compliance.StateStore;
import dev.drctl.topology.DrctlException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox (safety rule 9): claims due messages, hands each to its channel, and records the outcome.
 * Delivered: the row is marked with the time and NOTIFICATION_SENT is journaled (with the delivery latency
 * from the event) in one commit. Failed: retried with {@link DeliveryPolicy} backoff; after the last attempt,
 * or at once when retrying cannot help, the row is given up and NOTIFICATION_FAILED journaled, in one commit.
 *
 * <p><b>The at-least-once boundary.</b> The channel's acceptance (SMTP 250 after DATA, HTTP 2xx) and the outbox
 * update are two systems and cannot commit together. A crash after the channel accepted and before the update
 * committed leaves the row undelivered, and after the restart it is sent again: with the same Message-ID /
 * {@code X-Drctl-Delivery} id, so a receiver that deduplicates on it shows it once, while a plain mailbox shows
 * it twice. Nothing is lost: a row leaves the due set only by that commit. The journal records one
 * NOTIFICATION_SENT per message, because only the update that moves the row to delivered journals it.
 *
 * <p>Runs on one virtual thread ({@link #start}); commands and tests drive it with {@link #drainOnce}.
 */
public final class OutboxSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);

    private final StateStore store;
    private final Map<String, Notifier> channels;
    private final DeliveryPolicy policy;
    private final Clock clock;
    private final String owner;
    private final Actor actor;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private volatile Thread thread;

    /**
     * @param channels by the channel name rows carry (see {@link Channels#configured})
     * @param owner    this process's identity for claims, stable across restarts of the same daemon (e.g. its
     *                 instance id), so a restarted daemon takes over its own claims at once
     */
    public OutboxSender(StateStore store, Map<String, Notifier> channels, DeliveryPolicy policy, Clock clock,
                        String owner, Actor actor) {
        this.store = Objects.requireNonNull(store, "store");
        this.channels = Map.copyOf(channels);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    /** The outcome of one attempt on one message. */
    public record Attempt(OutboxMessage message, String channel, Delivery outcome, boolean gaveUp, Duration took) {
    }

    /** Claims the messages due at {@code now}, delivers each once, and returns what happened, in order. */
    public List<Attempt> drainOnce(Instant now) {
        var attempts = new ArrayList<Attempt>();
        var claimed = store.outbox().claim(now, policy.batch(), owner, policy.lease());
        for (var m : claimed) {
            attempts.add(attempt(m, false));
        }
        return attempts;
    }

    /**
     * Claims and delivers these messages now, once each, whatever their retry time ({@code drctl notify test}).
     * A message another sender holds, or that is already delivered, is skipped (not in the result). With
     * {@code lastAttempt}, a failure is given up at once instead of retried later.
     */
    public List<Attempt> deliverNow(List<OutboxMessage> messages, boolean lastAttempt) {
        var attempts = new ArrayList<Attempt>();
        for (var m : messages) {
            store.outbox().claim(m.id(), clock.instant(), owner, policy.lease())
                    .ifPresent(claimed -> attempts.add(attempt(claimed, lastAttempt)));
        }
        return attempts;
    }

    private Attempt attempt(OutboxMessage m, boolean lastAttempt) {
        var notifier = channels.get(m.channel());
        long t0 = System.nanoTime();
        Delivery outcome;
        if (notifier == null) {
            outcome = new Delivery.Failed("channel " + m.channel() + " is no longer configured", true);
        } else {
            try {
                outcome = notifier.deliver(OutboundMessage.fromPayload(m.id(), m.channel(), m.audience(), m.payload()));
            } catch (DrctlException e) {
                outcome = new Delivery.Failed(e.getMessage(), true);
            } catch (RuntimeException e) {
                // a bug in a channel must not stop the others; it is retried like any failure
                log.warn("outbox message {} ({}): {} failed unexpectedly", m.id(), m.kind(), m.channel(), e);
                outcome = new Delivery.Failed(e.getClass().getSimpleName() + ": " + e.getMessage(), false);
            }
        }
        var took = Duration.ofNanos(System.nanoTime() - t0);
        var at = clock.instant();
        int attempt = m.attempts() + 1;
        boolean gaveUp = false;
        switch (outcome) {
            case Delivery.Delivered d -> recordDelivered(m, at, attempt, d);
            case Delivery.Failed f -> {
                gaveUp = f.permanent() || lastAttempt || attempt >= policy.maxAttempts();
                if (gaveUp) {
                    recordGivenUp(m, at, attempt, f);
                } else {
                    var next = at.plus(policy.retryAfter(attempt, ThreadLocalRandom.current()));
                    store.outbox().markAttemptFailed(m.id(), f.error(), next);
                    log.warn("{} to {} by {}: attempt {} of {} failed ({}); next attempt at {}", m.kind(), m.audience(),
                            m.channel(), attempt, policy.maxAttempts(), f.error(), next);
                }
            }
        }
        return new Attempt(m, m.channel(), outcome, gaveUp, took);
    }

    private void recordDelivered(OutboxMessage m, Instant at, int attempt, Delivery.Delivered d) {
        var record = record(m, Optional.of(at), attempt, d.messageId(), Optional.empty());
        boolean first = store.atomically("record delivery of " + m.id(), tx -> {
            if (!tx.markDelivered(m.id(), at, d.messageId())) {
                return false;
            }
            tx.append(draft(m, JournalKind.NOTIFICATION_SENT, record));
            return true;
        });
        if (first) {
            log.info("{} to {} by {} delivered on attempt {}, {} after the event", m.kind(), m.audience(), m.channel(),
                    attempt, MessageTimes.duration(Duration.between(m.createdAt(), at)));
        } else {
            log.info("{} to {} by {} delivered again; it had already been recorded as delivered", m.kind(),
                    m.audience(), m.channel());
        }
    }

    private void recordGivenUp(OutboxMessage m, Instant at, int attempt, Delivery.Failed f) {
        var record = record(m, Optional.empty(), attempt, Optional.empty(), Optional.of(f.error()));
        boolean first = store.atomically("record failure of " + m.id(), tx -> {
            if (!tx.markGivenUp(m.id(), f.error(), at)) {
                return false;
            }
            tx.append(draft(m, JournalKind.NOTIFICATION_FAILED, record));
            return true;
        });
        if (first) {
            log.error("{} to {} by {} given up after {} attempt(s): {}; the people it was for have NOT been told",
                    m.kind(), m.audience(), m.channel(), attempt, f.error());
        }
    }

    private static NotificationRecord record(OutboxMessage m, Optional<Instant> deliveredAt, int attempts,
                                             Optional<String> messageId, Optional<String> error) {
        return new NotificationRecord(m.id(), m.kind(), m.audience(), m.channel(), m.cluster(), m.runId(),
                m.createdAt(), deliveredAt, attempts, messageId, error);
    }

    private JournalDraft draft(OutboxMessage m, JournalKind kind, NotificationRecord record) {
        var draft = JournalDraft.of(actor, kind, record.toJson());
        draft = m.runId().map(draft::run).orElse(draft);
        return m.cluster().map(draft::cluster).orElse(draft);
    }

    /** Messages given up so far (for {@code drctl status} and {@code /health}). */
    public long givenUp() {
        return store.outbox().stats(clock.instant()).givenUp();
    }

    /** Starts delivering on a virtual thread until {@link #close}. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name("drctl-outbox-sender").start(this::loop);
    }

    /** Delivery should start now rather than at the next poll (e.g. a message was just queued). */
    public void wake() {
        wakeUp.release();
    }

    private void loop() {
        while (running) {
            int handled = 0;
            try {
                handled = drainOnce(clock.instant()).size();
            } catch (DrctlException e) {
                // the store is unreachable: nothing can be claimed or recorded; try again at the next poll
                log.warn("outbox sender: {}", e.getMessage());
            }
            if (handled < policy.batch()) {
                try {
                    wakeUp.tryAcquire(policy.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops the loop after the attempt in progress; undelivered messages stay in the outbox for the next start. */
    @Override
    public void close() {
        running = false;
        var t = thread;
        if (t != null) {
            wakeUp.release();
            try {
                t.join(policy.lease().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
