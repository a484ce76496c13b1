package dev.drctl.notifiers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.drctl.topology.DrctlException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message as a channel delivers it: read back from an outbox row. Rendered once, when it was queued,
 * so every retry sends the same bytes and the same id.
 *
 * @param id         the outbox id: the Message-ID and the webhook delivery id derive from it, so a resent
 *                   message is recognisable as the same one
 * @param recipients email addresses (empty for webhooks)
 * @param journal    the journal entry written in the same commit
 */
public record OutboundMessage(String id, NotificationKind kind, String channel, String audience,
                              Optional<String> cluster, String incident, Instant occurredAt, List<String> recipients,
                              RenderedMessage content, JournalStamp journal, Optional<String> headline) {
    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int FORMAT = 1;

    public OutboundMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(incident, "incident");
        Objects.requireNonNull(occurredAt, "occurredAt");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(headline, "headline");
    }

    /** The outbox payload: JSON, never a secret. */
    String toPayload() {
        var o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("kind", kind.name());
        cluster.ifPresent(c -> o.put("cluster", c));
        o.put("incident", incident);
        o.put("occurredAt", occurredAt.toString());
        headline.ifPresent(h -> o.put("headline", h));
        var to = o.putArray("recipients");
        recipients.forEach(to::add);
        o.put("subject", content.subject());
        o.put("text", content.text());
        o.put("html", content.html());
        o.put("journalSeq", journal.seq());
        o.put("journalHash", journal.hash());
        return o.toString();
    }

    /** Reads a payload written by {@link #toPayload()}. */
    static OutboundMessage fromPayload(String id, String channel, String audience, String payload) {
        JsonNode o;
        try {
            o = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new DrctlException(NotifierErrorCode.BAD_OUTBOX_ROW, "outbox message " + id
                    + " has a payload that is not JSON; it was written outside drctl");
        }
        var recipients = new ArrayList<String>();
        o.path("recipients").forEach(r -> recipients.add(r.asText()));
        NotificationKind kind;
        try {
            kind = NotificationKind.valueOf(o.path("kind").asText());
        } catch (IllegalArgumentException e) {
            throw new DrctlException(NotifierErrorCode.BAD_OUTBOX_ROW, "outbox message " + id + " has kind '"
                    + o.path("kind").asText() + "', which this drctl does not know");
        }
        return new OutboundMessage(id, kind, channel, audience,
                o.hasNonNull("cluster") ? Optional.of(o.get("cluster").asText()) : Optional.empty(),
                o.path("incident").asText(), Instant.parse(o.path("occurredAt").asText()), recipients,
                new RenderedMessage(o.path("subject").asText(), o.path("text").asText(), o.path("html").asText()),
                new JournalStamp(o.path("journalSeq").asLong(), o.path("journalHash").asText()),
                o.hasNonNull("headline") ? Optional.of(o.get("headline").asText()) : Optional.empty());
    }
}
