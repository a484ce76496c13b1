package dev.drctl.probes;

import dev.drctl.topology.ClusterHistory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One kept probe round of a cluster, and the rounds discarded before it because drctl itself was
 * stalled while they ran (safety rule 1): what a one-shot command measured, so it can say so.
 *
 * @param history   one observation per node, from the kept round
 * @param discarded the stall of each discarded round, oldest first; when not conclusive, the last entry
 *                  is the stall of the round given back
 * @param conclusive false when every attempt was stalled: the round given back is the last one, not
 *                   recorded in the scheduler's history, and its timeouts may be drctl's own rather
 *                   than the nodes'
 */
public record ProbeRound(ClusterHistory history, List<Stall> discarded, boolean conclusive) {
    public ProbeRound {
        Objects.requireNonNull(history, "history");
        discarded = List.copyOf(discarded);
    }

    /**
     * {@code drctl was stalled 1.4 s; round repeated}, or empty when no round was discarded: one line for
     * {@code status}, {@code candidates} and the other one-shot commands to print.
     */
    public Optional<String> note() {
        if (discarded.isEmpty()) {
            return Optional.empty();
        }
        var stalls = discarded.stream().map(Stall::display).collect(Collectors.joining(", then "));
        if (!conclusive) {
            return Optional.of("drctl was stalled " + stalls + " in " + discarded.size()
                    + " round(s) in a row; the timeouts shown may be drctl's own, not the nodes' (busy host?)");
        }
        return Optional.of("drctl was stalled " + stalls + "; round repeated"
                + (discarded.size() == 1 ? "" : " " + discarded.size() + " times"));
    }
}
