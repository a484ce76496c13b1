package dev.drctl.runbooks.drill;

import dev.drctl.compliance.RunRecord;
import dev.drctl.topology.NodeName;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened in the environment after the injection, as measured: the failover runs the actor journaled in the
 * environment's store, who was paged, and what the writer workload saw.
 *
 * @param failovers      the failover runs started at or after the injection, in their latest recorded state
 * @param pages          notifications of a blocked failover (humans paged) the environment sent
 * @param firstWrite     the first write acknowledged by the new primary after the injection
 * @param acknowledged   acknowledged writes in all
 * @param lost           acknowledged writes the surviving primary does not hold, by id
 * @param earliestLostAt when the earliest lost write was acknowledged
 * @param oldPrimaryWritableAtEnd for a returning old primary: whether it still accepted a write at the end
 */
public record DrillObservation(NodeName oldPrimary, Instant injectedAt, List<RunRecord> failovers, int pages,
                               Optional<WriterWorkload.Ack> firstWrite, long acknowledged, List<Long> lost,
                               Optional<Instant> earliestLostAt, Optional<Boolean> oldPrimaryWritableAtEnd) {
    public DrillObservation {
        Objects.requireNonNull(oldPrimary, "oldPrimary");
        Objects.requireNonNull(injectedAt, "injectedAt");
        failovers = List.copyOf(failovers);
        Objects.requireNonNull(firstWrite, "firstWrite");
        lost = List.copyOf(lost);
        Objects.requireNonNull(earliestLostAt, "earliestLostAt");
        Objects.requireNonNull(oldPrimaryWritableAtEnd, "oldPrimaryWritableAtEnd");
    }

    /** The runs that promoted a node. */
    public List<RunRecord> promotions() {
        return failovers.stream().filter(r -> r.promotedAt().isPresent()).toList();
    }

    /** The run that promoted first, if any. */
    public Optional<RunRecord> promotion() {
        return promotions().stream().findFirst();
    }

    /** Failover runs that ended without promoting (refused by a safety rule, or failed before the promotion). */
    public List<RunRecord> refusals() {
        return failovers.stream().filter(r -> r.promotedAt().isEmpty() && r.finishedAt().isPresent()).toList();
    }
}
