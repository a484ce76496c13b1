package dev.drctl.notifiers;

/**
 * A channel that delivers rendered messages: email or a webhook.
 *
 * <p>Contract: {@link #deliver} makes one attempt, bounded by the channel's connect/read/write timeouts, and
 * reports the outcome as a value; it does not retry (the {@link OutboxSender} does, with backoff) and throws
 * only for a bug. Delivery is at-least-once: a message may be delivered again after a crash between the
 * channel's acceptance and the outbox update, so each channel marks every message with an id derived from
 * the outbox id (email Message-ID, webhook {@code X-Drctl-Delivery}) that a receiver can deduplicate on.
 * Safe to call from several threads.
 */
public interface Notifier {

    /** Delivers one message now. */
    Delivery deliver(OutboundMessage message);

    /** What this channel is, for people: e.g. {@code email via smtp.example.com:587}; never a secret. */
    String describe();
}
