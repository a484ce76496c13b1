package dev.drctl.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drctl.topology.ClusterName;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A notification's delivery as the journal records it ({@link JournalKind#NOTIFICATION_SENT} /
 * {@link JournalKind#NOTIFICATION_FAILED}); the report measures {@code deliveredAt − createdAt} against
 * {@code compliance.targets.notify-within}. Never holds message bodies or recipients' credentials.
 *
 * @param createdAt when the event that is being told happened and the message entered the outbox
 */
public record NotificationRecord(String id, String kind, String audience, String channel, Optional<ClusterName> cluster,
                                 Optional<String> runId, Instant createdAt, Optional<Instant> deliveredAt, int attempts,
                                 Optional<String> messageId, Optional<String> error) {
    public NotificationRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(error, "error");
    }

    public Optional<Duration> deliveryTime() {
        return deliveredAt.map(d -> Duration.between(createdAt, d));
    }

    public ObjectNode toJson() {
        var o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("kind", kind);
        o.put("audience", audience);
        o.put("channel", channel);
        cluster.ifPresent(v -> o.put("cluster", v.value()));
        runId.ifPresent(v -> o.put("runId", v));
        o.put("createdAt", createdAt.toString());
        deliveredAt.ifPresent(v -> o.put("deliveredAt", v.toString()));
        o.put("attempts", attempts);
        messageId.ifPresent(v -> o.put("messageId", v));
        error.ifPresent(v -> o.put("error", v));
        return o;
    }

    public static NotificationRecord fromJson(JsonNode o) {
        return new NotificationRecord(o.path("id").asText(), o.path("kind").asText(), o.path("audience").asText(),
                o.path("channel").asText(),
                o.hasNonNull("cluster") ? Optional.of(new ClusterName(o.get("cluster").asText())) : Optional.empty(),
                o.hasNonNull("runId") ? Optional.of(o.get("runId").asText()) : Optional.empty(),
                Instant.parse(o.path("createdAt").asText()),
                o.hasNonNull("deliveredAt") ? Optional.of(Instant.parse(o.get("deliveredAt").asText())) : Optional.empty(),
                o.path("attempts").asInt(0),
                o.hasNonNull("messageId") ? Optional.of(o.get("messageId").asText()) : Optional.empty(),
                o.hasNonNull("error") ? Optional.of(o.get("error").asText()) : Optional.empty());
    }
}
