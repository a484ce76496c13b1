package dev.drctl.coordination;

import dev.drctl.topology.ClusterName;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who leads each cluster and which daemons are live, as ZooKeeper tells it now: for {@code drctl status} and the
 * daemon's metrics.
 *
 * @param ensemble    the connect string, for messages
 * @param reachable   whether ZooKeeper answered; when false the rest is empty and {@code problem} says why
 * @param liveDaemons daemons whose session is alive, sorted
 * @param leaders     per cluster, the leading daemon and its term's token; absent: no daemon contends for it
 * @param observations per cluster, each daemon's latest published view of it (sorted by daemon): a daemon cut off
 *                     from the primary alone shows here as the one that sees it differently
 */
public record CoordinationView(String ensemble, boolean reachable, Optional<String> problem, List<String> liveDaemons,
                               Map<ClusterName, Leader> leaders, Map<ClusterName, List<Observation>> observations) {
    public CoordinationView {
        Objects.requireNonNull(ensemble, "ensemble");
        Objects.requireNonNull(problem, "problem");
        liveDaemons = List.copyOf(liveDaemons);
        leaders = Map.copyOf(leaders);
        observations = Map.copyOf(observations);
    }

    /** @param token the creation zxid of the leader's latch node: the term's fencing token */
    public record Leader(String daemon, long token) {
        public Leader {
            Objects.requireNonNull(daemon, "daemon");
        }
    }

    static CoordinationView unreachable(String ensemble, String problem) {
        return new CoordinationView(ensemble, false, Optional.of(problem), List.of(), Map.of(), Map.of());
    }

    /** Each daemon's latest published view of {@code cluster}; empty when none published or unreachable. */
    public List<Observation> observations(ClusterName cluster) {
        return observations.getOrDefault(cluster, List.of());
    }

    public Optional<Leader> leader(ClusterName cluster) {
        return Optional.ofNullable(leaders.get(cluster));
    }
}
