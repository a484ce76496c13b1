package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NodeName;
import java.util.Objects;
import java.util.Optional;

/**
 * An entry to append: everything but the sequence number, time and hashes, which the journal assigns.
 *
 * @param payload any record, map or Jackson tree; written as canonical JSON. {@code SecretRef}s in it are
 *                written as {@code ***}, and a payload containing a resolved secret value is refused.
 * @param runId   the failover/switchover/drill run this entry belongs to
 * @param epoch   the fencing token / epoch in force, when one applies
 */
public record JournalDraft(Optional<ClusterName> cluster, Optional<NodeName> node, Actor actor, JournalKind kind,
                           Optional<String> runId, Optional<Long> epoch, Object payload) {
    public JournalDraft {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(payload, "payload");
    }

    public static JournalDraft of(Actor actor, JournalKind kind, Object payload) {
        return new JournalDraft(Optional.empty(), Optional.empty(), actor, kind, Optional.empty(), Optional.empty(), payload);
    }

    public JournalDraft cluster(ClusterName value) {
        return new JournalDraft(Optional.of(value), node, actor, kind, runId, epoch, payload);
    }

    public JournalDraft node(NodeName value) {
        return new JournalDraft(cluster, Optional.of(value), actor, kind, runId, epoch, payload);
    }

    public JournalDraft run(String value) {
        return new JournalDraft(cluster, node, actor, kind, Optional.of(value), epoch, payload);
    }

    public JournalDraft epoch(long value) {
        return new JournalDraft(cluster, node, actor, kind, runId, Optional.of(value), payload);
    }
}
