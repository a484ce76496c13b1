package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which entries to read.
 *
 * @param from  inclusive
 * @param to    exclusive
 * @param kinds empty means every kind
 */
public record JournalQuery(Optional<Instant> from, Optional<Instant> to, Optional<ClusterName> cluster,
                           Optional<String> runId, Set<JournalKind> kinds) {
    public JournalQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(runId, "runId");
        kinds = Set.copyOf(kinds);
    }

    public static JournalQuery all() {
        return new JournalQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Set.of());
    }

    public static JournalQuery between(Instant from, Instant to) {
        return new JournalQuery(Optional.of(from), Optional.of(to), Optional.empty(), Optional.empty(), Set.of());
    }

    public JournalQuery cluster(ClusterName value) {
        return new JournalQuery(from, to, Optional.of(value), runId, kinds);
    }

    public JournalQuery run(String value) {
        return new JournalQuery(from, to, cluster, Optional.of(value), kinds);
    }

    public JournalQuery kinds(Set<JournalKind> value) {
        return new JournalQuery(from, to, cluster, runId, value);
    }
}
