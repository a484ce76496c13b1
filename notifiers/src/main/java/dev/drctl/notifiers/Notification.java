package dev.drctl.notifiers;

import dev.drctl.topology.ClusterName;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing people must be told, before rendering: built by {@link Notifications}, written to the outbox
 * by {@link Outbox#enqueue}. The values feed the kind's templates.
 *
 * @param incidentId the failover/switchover/drill run id, or an incident id; every message shows it
 * @param occurredAt when the event happened: delivery latency (checked against {@code notify-within}) counts from here
 * @param subject    the email subject / chat headline, plain text
 * @param values     the template model: strings, numbers, booleans, lists and maps of them; never a secret
 * @param dedupKey   when present, enqueuing the same key again does nothing (a resumed runbook re-announcing
 *                   an event does not notify twice)
 */
public record Notification(NotificationKind kind, Optional<ClusterName> cluster, String incidentId, Instant occurredAt,
                           String subject, Map<String, Object> values, Optional<String> dedupKey) {
    public Notification {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(subject, "subject");
        values = Map.copyOf(values);
        Objects.requireNonNull(dedupKey, "dedupKey");
    }
}
