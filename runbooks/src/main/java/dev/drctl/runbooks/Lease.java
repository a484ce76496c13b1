package dev.drctl.runbooks;

import dev.drctl.compliance.LeadershipToken;
import dev.drctl.topology.ClusterName;
import java.util.Objects;

/**
 * Leadership of a cluster when several daemons are coordinated through ZooKeeper (issue 13; safety rule 5). The engine
 * looks at it before every step, the way it checks its {@link ActorLock}: once {@link Look.Lost} the run stops before
 * the next step; while {@link Look.Held}, the term's token is checked against the newest the store recorded and
 * written in the same transaction as the step's intent, so a daemon whose term is over cannot start a step after its
 * successor has. Without coordination the engine has no lease and behaves as before.
 */
public interface Lease {

    /** Where leadership is held, for messages, e.g. {@code ZooKeeper zk1:2181,… (namespace drctl)}. */
    String description();

    /**
     * This process's leadership of {@code cluster}, looked at now from what the coordination client already knows
     * (its connection state and latch): cheap, never blocks on the network, never throws.
     */
    Look look(ClusterName cluster);

    /** What {@link #look} found. */
    sealed interface Look {
        /** @param token the current term's fencing token */
        record Held(LeadershipToken token) implements Look {
            public Held {
                Objects.requireNonNull(token, "token");
            }
        }

        /** @param reason e.g. "the ZooKeeper connection is suspended" or "daemon:hyd-1 leads payments" */
        record Lost(String reason) implements Look {
            public Lost {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
