package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the durable notification outbox (safety rule 9).
 *
 * @param dedupKey      when present, a second enqueue with the same key is ignored (a restarted runbook
 *                      re-announcing the same event does not notify twice)
 * @param payload       JSON the notifier renders (subject, body fields); never a secret value
 * @param attempts      delivery attempts made so far
 * @param nextAttemptAt not retried before this
 * @param failedAt      set when delivery was given up; the failure is then journaled and shown in reports
 * @param messageId     the channel's id for the delivered message (SMTP Message-ID, webhook response id)
 */
public record OutboxMessage(String id, Optional<String> dedupKey, String kind, String audience, String channel,
                            Optional<ClusterName> cluster, Optional<String> runId, String payload, Instant createdAt,
                            int attempts, Instant nextAttemptAt, Optional<String> lastError, Optional<Instant> deliveredAt,
                            Optional<Instant> failedAt, Optional<String> messageId) {
    public OutboxMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dedupKey, "dedupKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
        Objects.requireNonNull(failedAt, "failedAt");
        Objects.requireNonNull(messageId, "messageId");
    }

    /** A message ready for its first attempt now. */
    public static OutboxMessage fresh(String id, Optional<String> dedupKey, String kind, String audience, String channel,
                                      Optional<ClusterName> cluster, Optional<String> runId, String payload,
                                      Instant createdAt) {
        return new OutboxMessage(id, dedupKey, kind, audience, channel, cluster, runId, payload, createdAt, 0, createdAt,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
