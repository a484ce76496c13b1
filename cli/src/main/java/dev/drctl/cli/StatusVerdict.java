package dev.drctl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code drctl status} says first about a cluster, decided from one probe round's rows and the runs the store
 * still marks unfinished: a pure function of those values, so every case is a row in a table test.
 */
sealed interface StatusVerdict {
    String cluster();

    /** The words that open the line: {@code HEALTHY}, {@code DEGRADED}, {@code SPLIT BRAIN}, {@code NO PRIMARY}. */
    String title();

    /** What follows the title: which nodes, what to do. */
    String detail();

    /** The verdict in JSON: lower case with underscores, like every other value {@code status -o json} prints. */
    default String code() {
        return title().toLowerCase(Locale.ROOT).replace(' ', '_');
    }

    default boolean healthy() {
        return this instanceof Healthy;
    }

    /** The line printed before the table. */
    default String line() {
        return title() + ": " + cluster() + " — " + detail();
    }

    /** One writable primary, every node answered, every replica streams, no run left unfinished. */
    record Healthy(String cluster, String detail) implements StatusVerdict {
        @Override
        public String title() {
            return "HEALTHY";
        }
    }

    /** One writable primary, but something needs a look: the reasons, one per node or run. */
    record Degraded(String cluster, List<String> reasons) implements StatusVerdict {
        @Override
        public String title() {
            return "DEGRADED";
        }

        @Override
        public String detail() {
            return String.join("; ", reasons);
        }
    }

    /** More than one node accepts writes: the worst state a cluster can be in (safety rule 4). */
    record SplitBrain(String cluster, List<String> writable) implements StatusVerdict {
        @Override
        public String title() {
            return "SPLIT BRAIN";
        }

        @Override
        public String detail() {
            return String.join(", ", writable) + " writable; fence all but one now (drctl candidates " + cluster + ")";
        }
    }

    /** No node accepts writes: said with the unfinished run to finish, or what to look at. */
    record NoPrimary(String cluster, String detail) implements StatusVerdict {
        @Override
        public String title() {
            return "NO PRIMARY";
        }
    }

    /** A run the store still marks as running: a crash or Ctrl-C left it, and rerunning its command finishes it. */
    record UnfinishedRun(String runId, String kind, String resume) {
    }

    /**
     * The verdict for one cluster.
     *
     * @param rows       this cluster's rows of one probe round
     * @param unfinished the cluster's runs still marked running, oldest first
     */
    static StatusVerdict of(String cluster, List<StatusCommand.Row> rows, List<UnfinishedRun> unfinished) {
        var writable = rows.stream().filter(r -> r.reachable() && Boolean.TRUE.equals(r.writable()))
                .map(StatusCommand.Row::node).toList();
        if (writable.size() > 1) {
            return new SplitBrain(cluster, writable);
        }
        if (writable.isEmpty()) {
            if (!unfinished.isEmpty()) {
                var run = unfinished.getLast();
                return new NoPrimary(cluster, "run " + run.runId() + " (" + run.kind() + ") unfinished — rerun "
                        + run.resume() + " to finish it");
            }
            if (rows.stream().noneMatch(StatusCommand.Row::reachable)) {
                return new NoPrimary(cluster, "no node answered; if the servers are up, check drctl's network and "
                        + "credentials (the reasons are below)");
            }
            return new NoPrimary(cluster, "no node accepts writes; see drctl candidates " + cluster
                    + ", then drctl failover " + cluster + " --dry-run");
        }
        var primary = writable.getFirst();
        var reasons = new ArrayList<String>();
        for (var r : rows) {
            if (!r.reachable()) {
                reasons.add(r.node() + " did not answer (" + r.failure() + ")");
            } else if (r.node().equals(primary)) {
                continue;
            } else if ("primary".equals(r.role())) {
                reasons.add(r.node() + " is a read-only primary (fenced, or not yet rejoined: drctl rejoin " + cluster
                        + " " + r.node() + ")");
            } else if (r.stream() == null) {
                reasons.add(r.node() + " has no replication stream");
            } else if (!"streaming".equals(r.stream())) {
                reasons.add(r.node() + " replication " + r.stream()
                        + (r.lastError() == null ? "" : " (" + r.lastError() + ")"));
            }
        }
        for (var run : unfinished) {
            reasons.add("run " + run.runId() + " (" + run.kind() + ") unfinished — rerun " + run.resume());
        }
        if (!reasons.isEmpty()) {
            return new Degraded(cluster, reasons);
        }
        var replicas = rows.size() - 1;
        return new Healthy(cluster, "primary " + primary + ", " + replicas + (replicas == 1 ? " replica" : " replicas")
                + " streaming");
    }

    /** The command that finishes an unfinished run: the same command again, which resumes it from the journal. */
    static String resumeCommand(String kind, String cluster, Optional<String> node, String config) {
        var base = "drctl " + kind + " " + cluster + node.map(n -> " " + n).orElse("");
        return base + " -c " + config;
    }
}
