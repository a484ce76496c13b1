package dev.drctl.coordination;

import dev.drctl.topology.ClusterName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Which daemon should lead a cluster, so leadership spreads over the daemons: rendezvous (highest-random-weight)
 * hashing of the cluster's and each live daemon's name. Every daemon computes the same answer from the same set of
 * live daemons, with no coordination; when a daemon leaves, only its clusters move, and they spread over the others.
 * A preference, not a rule: the ZooKeeper latch decides who leads; a leader that is not preferred hands leadership
 * on when it is idle (see {@link ClusterLeadership#rebalance}).
 */
public final class Preference {
    private Preference() {
    }

    /** The preferred daemon of {@code cluster} among {@code daemons}; empty when there is none. */
    public static Optional<String> preferred(ClusterName cluster, Collection<String> daemons) {
        return daemons.stream().max(Comparator.comparingLong((String d) -> weight(cluster, d))
                .thenComparing(Comparator.naturalOrder()));
    }

    static long weight(ClusterName cluster, String daemon) {
        try {
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest((cluster.value() + "\u0000" + daemon).getBytes(StandardCharsets.UTF_8));
            long w = 0;
            for (int i = 0; i < 8; i++) {
                w = (w << 8) | (digest[i] & 0xff);
            }
            return w;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
