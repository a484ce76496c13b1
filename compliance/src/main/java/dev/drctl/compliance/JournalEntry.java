package dev.drctl.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NodeName;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One written journal entry. {@code hash} is SHA-256 over the canonical encoding of every other field
 * (see {@link ChainHash}); {@code prevHash} is the previous entry's hash, 64 zeros for the first entry.
 *
 * @param payload the canonical JSON text exactly as stored and hashed
 */
public record JournalEntry(long seq, Instant at, Optional<ClusterName> cluster, Optional<NodeName> node, Actor actor,
                           JournalKind kind, Optional<String> runId, Optional<Long> epoch, String payload,
                           String prevHash, String hash) {
    public JournalEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }

    public JsonNode payloadTree() {
        return PayloadCodec.parse(payload);
    }
}
