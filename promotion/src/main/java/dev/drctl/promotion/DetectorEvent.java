package dev.drctl.promotion;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import dev.drctl.topology.ClusterName;

/** A change the {@link Detector} saw: emitted once per change, not once per probe round. */
public sealed interface DetectorEvent {
    ClusterName cluster();

    Instant at();

    /** The cluster's situation changed (kind, or the nodes it is about). */
    record VerdictChanged(ClusterName cluster, Optional<ClusterVerdict> from, ClusterVerdict to, Instant at)
            implements DetectorEvent {
        public VerdictChanged {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * The decision changed (Wait, Promote of a given candidate, or Refuse for a given reason). A
     * {@link FailoverDecision.Promote} is emitted once; the cooldown it starts keeps it from repeating.
     */
    record DecisionMade(ClusterName cluster, FailoverDecision decision, ClusterVerdict verdict, ReplicaRanking ranking,
                        Instant at) implements DetectorEvent {
        public DecisionMade {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(ranking, "ranking");
            Objects.requireNonNull(at, "at");
        }
    }
}
