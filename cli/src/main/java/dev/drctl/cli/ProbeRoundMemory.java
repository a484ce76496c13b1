package dev.drctl.cli;

import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the looking commands ({@code status}, {@code candidates}) leave in the state store: each probe round they take
 * ({@link StateStore#recordRound}), so a later decision knows the primary's last position and when its outage began,
 * and what they read back ({@link StateStore#memory}). Only a store that exists is touched: looking never creates one.
 */
final class ProbeRoundMemory {
    private ProbeRoundMemory() {
    }

    /** The store exists (a PostgreSQL store always counts: it is created by its administrator, not by drctl). */
    static boolean storeExists(DrctlConfig cfg) {
        var url = cfg.compliance().store();
        return !url.startsWith("jdbc:sqlite:") || Files.exists(Path.of(url.substring("jdbc:sqlite:".length())));
    }

    /**
     * Records {@code rounds} and returns the store's memory of {@code recall}; {@link ClusterMemory#none()} without a
     * store. A store that cannot be written or read is said on {@code problem} and remembered as nothing (every loss
     * then reads unknown: the safe side).
     */
    static ClusterMemory recordAndRecall(DrctlConfig cfg, Host host, List<ClusterHistory> rounds,
                                         Optional<ClusterName> recall, java.util.function.Consumer<String> problem) {
        if (!storeExists(cfg)) {
            return ClusterMemory.none();
        }
        try (var store = AuditCommand.open(cfg, host)) {
            rounds.forEach(store::recordRound);
            return recall.map(store::memory).orElse(ClusterMemory.none());
        } catch (DrctlException e) {
            problem.accept("state store not updated: " + e.getMessage());
            return ClusterMemory.none();
        }
    }
}
