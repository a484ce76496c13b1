package dev.drctl.notifiers;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.OutboxMessage;
import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NotificationsSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where notifications are handed over (safety rule 9). {@link #enqueue} journals the event and writes one
 * outbox row per (audience, email) and per webhook in the same commit, and returns as soon as that commit is
 * durable: it never talks to an SMTP server or a webhook, so a failover is not delayed by a dead mail
 * server. The {@link OutboxSender} delivers the rows.
 */
public final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final StateStore store;
    private final NotificationsSpec spec;
    private final Templates templates;
    private final Actor actor;
    private final Clock clock;
    private final Runnable afterCommit;

    /**
     * @param afterCommit run after each successful enqueue, e.g. {@link OutboxSender#wake} so delivery starts
     *                    at once instead of at the sender's next poll
     */
    public Outbox(StateStore store, NotificationsSpec spec, Templates templates, Actor actor, Clock clock,
                  Runnable afterCommit) {
        this.store = Objects.requireNonNull(store, "store");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.templates = Objects.requireNonNull(templates, "templates");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.afterCommit = Objects.requireNonNull(afterCommit, "afterCommit");
    }

    public Outbox(StateStore store, NotificationsSpec spec, Templates templates, Actor actor, Clock clock) {
        this(store, spec, templates, actor, clock, () -> { });
    }

    /**
     * What {@link #enqueue} did.
     *
     * @param journaled the NOTIFICATION_QUEUED entry (empty for a duplicate); every message carries its hash
     * @param messages  the outbox rows written (for a duplicate: the rows already there)
     * @param duplicate the notification's dedup key was already queued; nothing was written
     */
    public record Enqueued(Optional<JournalEntry> journaled, List<OutboxMessage> messages, boolean duplicate) {
    }

    /** Journals that the notification was queued and queues it, in one commit. */
    public Enqueued enqueue(Notification n) {
        return enqueue(Optional.empty(), n);
    }

    /**
     * Journals {@code event} (e.g. the RUN_FINISHED entry of the failover being told), then the
     * NOTIFICATION_QUEUED entry, and writes the outbox rows, all in one commit: either the event is recorded
     * and its notification will be delivered, or neither happened.
     */
    public Enqueued enqueue(JournalDraft event, Notification n) {
        return enqueue(Optional.of(event), n);
    }

    private Enqueued enqueue(Optional<JournalDraft> event, Notification n) {
        var planned = plan(n);
        var firstKey = planned.isEmpty() ? Optional.<String>empty() : planned.getFirst().dedupKey;
        var result = store.atomically("journal and enqueue " + n.kind(), tx -> {
            if (firstKey.isPresent()) {
                var existing = tx.outboxMessageByDedupKey(firstKey.get());
                if (existing.isPresent()) {
                    return new Enqueued(Optional.empty(), List.of(existing.get()), true);
                }
            }
            event.ifPresent(tx::append);
            var queued = tx.append(queuedDraft(n, planned));
            var stamp = new JournalStamp(queued.seq(), queued.hash());
            var content = templates.render(n, stamp);
            var now = clock.instant();
            var rows = new ArrayList<OutboxMessage>();
            for (var p : planned) {
                var message = new OutboundMessage(p.id, n.kind(), p.channel, p.audience, n.cluster().map(ClusterName::value),
                        n.incidentId(), n.occurredAt(), p.recipients, content, stamp,
                        Optional.ofNullable((String) n.values().get("headline")));
                var row = new OutboxMessage(p.id, p.dedupKey, n.kind().name(), p.audience, p.channel, n.cluster(),
                        Optional.of(n.incidentId()), message.toPayload(), n.occurredAt(), 0, now, Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty());
                tx.enqueue(row);
                rows.add(row);
            }
            return new Enqueued(Optional.of(queued), List.copyOf(rows), false);
        });
        if (result.duplicate()) {
            log.info("{} for {} was already queued (dedup key {}); not queued again", n.kind(), n.incidentId(),
                    n.dedupKey().orElse(""));
        } else if (planned.isEmpty()) {
            log.warn("{} for {}: no audience or webhook is configured for it, nobody was told (journal entry #{})",
                    n.kind(), n.incidentId(), result.journaled().map(JournalEntry::seq).orElse(0L));
        } else {
            log.info("{} for {} queued: {} message(s), journal entry #{}", n.kind(), n.incidentId(), planned.size(),
                    result.journaled().map(JournalEntry::seq).orElse(0L));
            afterCommit.run();
        }
        return result;
    }

    private record Planned(String id, String audience, String channel, List<String> recipients,
                           Optional<String> dedupKey) {
    }

    /** Ids are drawn here, outside the transaction, so a retried transaction writes the same rows. */
    private List<Planned> plan(Notification n) {
        var out = new ArrayList<Planned>();
        if (spec.email().isPresent()) {
            for (var e : new Routing(spec).recipients(n.kind()).entrySet()) {
                out.add(planned(n, e.getKey(), Channels.EMAIL, e.getValue()));
            }
        }
        for (var webhook : spec.webhooks()) {
            out.add(planned(n, Channels.WEBHOOK_AUDIENCE, Channels.webhookChannel(webhook.url()), List.of()));
        }
        return out;
    }

    private static Planned planned(Notification n, String audience, String channel, List<String> recipients) {
        return new Planned(UUID.randomUUID().toString(), audience, channel, recipients,
                n.dedupKey().map(k -> k + "/" + audience + "/" + channel));
    }

    private JournalDraft queuedDraft(Notification n, List<Planned> planned) {
        var messages = new ArrayList<Map<String, Object>>();
        for (var p : planned) {
            var m = new LinkedHashMap<String, Object>();
            m.put("id", p.id);
            m.put("audience", p.audience);
            m.put("channel", p.channel);
            m.put("recipients", p.recipients);
            messages.add(m);
        }
        var payload = new LinkedHashMap<String, Object>();
        payload.put("kind", n.kind().name());
        payload.put("subject", n.subject());
        payload.put("occurredAt", n.occurredAt().toString());
        payload.put("messages", messages);
        payload.put("summary", planned.isEmpty()
                ? n.kind() + " queued for nobody: no audience or webhook is configured for it"
                : n.kind() + " queued: " + String.join(", ", planned.stream().map(p -> p.audience + " by " + p.channel)
                .toList()));
        var draft = JournalDraft.of(actor, JournalKind.NOTIFICATION_QUEUED, payload).run(n.incidentId());
        return n.cluster().map(draft::cluster).orElse(draft);
    }
}
