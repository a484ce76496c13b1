package dev.drctl.promotion;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.drctl.topology.DataPosition;

/**
 * What promoting the chosen candidate would lose (safety rule 3), as the decision states it and the journal keeps it.
 *
 * @param shortfall what the candidate lacks of the failed primary's last known position, when it can be measured
 * @param estimate  the estimate in words (bytes, transactions, or why it is unknown)
 * @param breaches  each reason the loss is over max-lag or cannot be bounded; empty when within the guard
 * @param bounded   whether the loss can be bounded at all (false: the primary's last position or the candidate's
 *                  lag is unknown)
 */
public record DataLoss(Optional<DataPosition.Shortfall> shortfall, String estimate, List<String> breaches,
                       boolean bounded) {
    public DataLoss {
        Objects.requireNonNull(shortfall, "shortfall");
        Objects.requireNonNull(estimate, "estimate");
        breaches = List.copyOf(breaches);
    }

    /** No data can be lost: nothing was promoted, or a planned switchover waits for zero lag. */
    public static DataLoss none(String estimate) {
        return new DataLoss(Optional.empty(), estimate, List.of(), true);
    }

    public boolean withinGuard() {
        return bounded && breaches.isEmpty();
    }

    /** Bytes lacking, when the loss is measured in bytes. */
    public Optional<Long> bytes() {
        return shortfall.filter(s -> s.unit() == DataPosition.Shortfall.Unit.BYTES).map(DataPosition.Shortfall::amount);
    }
}
