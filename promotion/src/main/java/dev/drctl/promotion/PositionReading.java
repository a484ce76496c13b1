package dev.drctl.promotion;

import dev.drctl.topology.DataPosition;
import dev.drctl.topology.NodeName;
import java.util.Objects;
import java.util.Optional;

/** What {@link Promoter#position} read from a node: its data position and whether it takes writes, or why not. */
public sealed interface PositionReading {

    NodeName node();

    /**
     * @param applied  what the node has applied (PostgreSQL: the write LSN on a primary, the replay LSN on a
     *                 replica; MySQL: {@code gtid_executed}; MariaDB: {@code gtid_current_pos})
     * @param received what a replica has received but maybe not applied yet (empty on a primary)
     * @param writable whether the node accepts writes now (not in recovery / not read-only)
     * @param replica  whether the node replicates from an upstream (in recovery / replication configured)
     */
    record Read(NodeName node, DataPosition applied, Optional<DataPosition> received, boolean writable,
                boolean replica) implements PositionReading {
        public Read {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(applied, "applied");
            Objects.requireNonNull(received, "received");
        }
    }

    /** @param why an {@link ActionOutcome.Unreachable} or {@link ActionOutcome.Failed} */
    record NotRead(NodeName node, ActionOutcome why) implements PositionReading {
        public NotRead {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(why, "why");
        }
    }
}
