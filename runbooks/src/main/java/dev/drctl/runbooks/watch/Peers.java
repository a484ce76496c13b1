package dev.drctl.runbooks.watch;

import dev.drctl.topology.ClusterName;
import java.time.Instant;
import java.util.Objects;

/**
 * The other daemons watching the same clusters, as a {@link ClusterWatch} sees them (issue 13). Every round the watch
 * publishes its verdict; it acts on its cluster (fails over, fences, pages, resumes a run) only while it
 * {@linkplain Standing.Leads leads} it, and it starts a failover only when a {@linkplain Quorum.Reached majority} of
 * the live daemons see the primary dead. {@link #alone()} is the single daemon of old: it always leads, and its own
 * verdict is the quorum.
 */
public interface Peers {

    /** Tells the other daemons this daemon's verdict of {@code cluster}; never blocks for long, never throws. */
    void publish(ClusterName cluster, String verdict, String summary, Instant at);

    /** Whether this daemon alone may act on {@code cluster} now; cheap, never throws. */
    Standing standing(ClusterName cluster);

    /** Whether a majority of the live daemons see {@code cluster}'s primary dead now; never throws. */
    Quorum quorum(ClusterName cluster, Instant now);

    sealed interface Standing {
        record Leads() implements Standing {
        }

        /** @param reason e.g. "daemon hyd-1:812 leads payments" or "the ZooKeeper connection is suspended" */
        record Follows(String reason) implements Standing {
            public Follows {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    sealed interface Quorum {
        String sentence();

        record Reached(String sentence) implements Quorum {
            public Reached {
                Objects.requireNonNull(sentence, "sentence");
            }
        }

        record NotReached(String sentence) implements Quorum {
            public NotReached {
                Objects.requireNonNull(sentence, "sentence");
            }
        }
    }

    /** One daemon, no coordination: it leads every cluster and its verdict is the quorum. */
    static Peers alone() {
        return new Peers() {
            @Override
            public void publish(ClusterName cluster, String verdict, String summary, Instant at) {
            }

            @Override
            public Standing standing(ClusterName cluster) {
                return new Standing.Leads();
            }

            @Override
            public Quorum quorum(ClusterName cluster, Instant now) {
                return new Quorum.Reached("a single daemon");
            }
        };
    }
}
