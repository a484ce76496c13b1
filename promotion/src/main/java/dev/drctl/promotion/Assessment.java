package dev.drctl.promotion;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link DecisionPipeline} concluded about one cluster for one request: the verdict with its evidence, the
 * ranking with its data-loss estimate, the decision, and (for a failed primary) when the outage began.
 *
 * @param outage when the primary was first known gone and on what basis; empty when no primary failed
 */
public record Assessment(Request request, ClusterVerdict verdict, ReplicaRanking ranking, FailoverDecision decision,
                         Optional<OutageStart> outage, Instant at) {
    public Assessment {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(ranking, "ranking");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(outage, "outage");
        Objects.requireNonNull(at, "at");
    }
}
