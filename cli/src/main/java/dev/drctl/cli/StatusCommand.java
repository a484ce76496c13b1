package dev.drctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.ErrorCode;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.ReplicationStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code drctl status}: probes every node of every cluster once, all at the same time, and prints one
 * row per node. Exit 0 when every node answered, 1 when any did not (the rows say which and why).
 */
@Command(name = "status", description = "Show the topology: role, region, reachability, position, lag, stream state.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every node answered",
                "1:at least one node did not answer",
                "2:bad usage or bad config"})
final class StatusCommand implements Callable<Integer> {
    private static final int POSITION_WIDTH = 48;

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOption config;
    @Mixin
    OutputOption output;

    private final Host host;

    StatusCommand(Host host) {
        this.host = host;
    }

    /** One node as {@code status} shows it; the JSON field names are a contract. */
    record Row(String cluster, String node, String region, String role, boolean reachable, String failure,
               String detail, Boolean writable, String position, String appliedPosition, Long lagBytes,
               Double lagSeconds, String stream, String upstream, String lastError, long latencyMs,
               String serverVersion, String observedAt) {
    }

    /**
     * The notification outbox at a glance (safety rule 9): what still waits and what was given up, so
     * people who should have been told and were not are visible. Absent when the store does not exist yet.
     */
    record Outbox(long pending, long givenUp, String oldestPending, String problem) {
    }

    /** The whole answer of {@code status -o json}. */
    record Status(boolean allAnswered, List<Row> nodes, Outbox notifications) {
    }

    @Override
    public Integer call() throws JsonProcessingException {
        var cfg = config.load();
        var rows = new ArrayList<Row>();
        try (var scheduler = new ProbeScheduler(cfg.clusters(), host.environment(), host.clock());
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var rounds = new ArrayList<Future<ClusterHistory>>();
            for (var cluster : cfg.clusters()) {
                rounds.add(pool.submit(() -> scheduler.probeOnce(cluster)));
            }
            var histories = new ArrayList<ClusterHistory>();
            for (int i = 0; i < rounds.size(); i++) {
                histories.add(join(rounds.get(i)));
                rows.addAll(rows(cfg.clusters().get(i), histories.getLast()));
            }
            ProbeRoundMemory.recordAndRecall(cfg, host, histories, Optional.empty(), spec.commandLine().getErr()::println);
        }
        var status = new Status(rows.stream().allMatch(Row::reachable), rows, outbox(cfg).orElse(null));
        var out = spec.commandLine().getOut();
        switch (output.format()) {
            case TABLE -> table(out, status);
            case JSON -> out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(status));
        }
        out.flush();
        return status.allAnswered() ? ErrorCode.OK : ErrorCode.OPERATION_FAILED;
    }

    /** Reads the outbox only from a store that exists: {@code status} must not create one as a side effect. */
    private Optional<Outbox> outbox(DrctlConfig cfg) {
        var url = cfg.compliance().store();
        if (url.startsWith("jdbc:sqlite:") && !Files.exists(Path.of(url.substring("jdbc:sqlite:".length())))) {
            return Optional.empty();
        }
        try (var store = AuditCommand.open(cfg, host)) {
            var stats = store.outbox().stats(host.clock().instant());
            return Optional.of(new Outbox(stats.pending(), stats.givenUp(),
                    stats.oldestPending().map(Object::toString).orElse(null), null));
        } catch (DrctlException e) {
            return Optional.of(new Outbox(0, 0, null, "state store unreadable: " + e.getMessage()));
        }
    }

    private static ClusterHistory join(Future<ClusterHistory> round) {
        try {
            return round.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    static List<Row> rows(ClusterSpec cluster, ClusterHistory round) {
        var rows = new ArrayList<Row>();
        for (var node : cluster.nodes()) {
            round.latest(node.name()).ifPresent(o -> rows.add(row(cluster, node, o)));
        }
        return rows;
    }

    private static Row row(ClusterSpec cluster, NodeSpec node, NodeObservation o) {
        var latency = o.latency().toMillis();
        var at = o.at().toString();
        return switch (o.outcome()) {
            case ProbeOutcome.Failed f -> new Row(cluster.name().value(), node.name().value(), node.region(), null, false,
                    f.kind().name().toLowerCase(Locale.ROOT), f.detail(), null, null, null, null, null, null, null, null,
                    latency, null, at);
            case ProbeOutcome.Reached r -> new Row(cluster.name().value(), node.name().value(), node.region(),
                    r.role().name().toLowerCase(Locale.ROOT), true, null, null, r.writable(),
                    r.received().map(StatusCommand::oneLine).orElse(null),
                    r.applied().map(StatusCommand::oneLine).orElse(null),
                    r.lag().bytes().orElse(null),
                    r.lag().time().map(d -> d.toMillis() / 1000.0).orElse(null),
                    r.stream().map(StatusCommand::streamState).orElse(null),
                    r.stream().flatMap(StatusCommand::upstream).orElse(null),
                    r.stream().flatMap(ReplicationStream::lastError).orElse(null),
                    latency, r.serverVersion(), at);
        };
    }

    private static String oneLine(DataPosition p) {
        return p.display().replaceAll("\\s*\\n\\s*", " ");
    }

    /** streaming, stopped, or which half runs: the words an operator reads in the STREAM column. */
    static String streamState(ReplicationStream s) {
        if (s.receiving() && s.applying()) {
            return "streaming";
        }
        if (s.receiving()) {
            return "receiving, apply stopped";
        }
        return s.applying() ? "not receiving" : "stopped";
    }

    private static Optional<String> upstream(ReplicationStream s) {
        return s.upstreamHost().map(h -> (h.contains(":") ? "[" + h + "]" : h) + s.upstreamPort().map(p -> ":" + p).orElse(""));
    }

    private static void table(PrintWriter out, Status status) {
        var header = List.of("CLUSTER", "NODE", "REGION", "ROLE", "REACHABLE", "WRITABLE", "POSITION", "LAG", "STREAM",
                "UPSTREAM", "LATENCY");
        var lines = new ArrayList<List<String>>();
        lines.add(header);
        for (var r : status.nodes()) {
            lines.add(List.of(r.cluster(), r.node(), r.region(), orDash(r.role()), r.reachable() ? "yes" : r.failure(),
                    r.writable() == null ? "-" : r.writable() ? "yes" : "no",
                    shorten(position(r)), lag(r), orDash(r.stream()), orDash(r.upstream()),
                    r.latencyMs() + " ms"));
        }
        TextTable.print(out, lines);
        for (var r : status.nodes()) {
            if (!r.reachable()) {
                out.println(r.cluster() + "/" + r.node() + ": " + r.failure() + ": " + r.detail());
            } else if (r.lastError() != null) {
                out.println(r.cluster() + "/" + r.node() + ": replication error: " + r.lastError());
            }
        }
        var unanswered = status.nodes().stream().filter(r -> !r.reachable()).count();
        out.println(status.nodes().size() + " node(s), " + (unanswered == 0 ? "all answered"
                : unanswered + " did not answer"));
        var n = status.notifications();
        if (n != null) {
            out.println(n.problem() != null ? "notifications: " + n.problem()
                    : "notifications: " + n.pending() + " waiting"
                            + (n.oldestPending() == null ? "" : " (oldest queued " + n.oldestPending() + ")")
                            + ", " + n.givenUp() + " given up"
                            + (n.givenUp() == 0 ? "" : ": people who had to be told were not; see drctl audit export"
                                    + " and drctl notify flush"));
        }
    }

    /** {@code bytes / seconds}, {@code ?} for an unknown half, {@code -} for a primary. */
    private static String lag(Row r) {
        if (!r.reachable() || "primary".equals(r.role())) {
            return "-";
        }
        var bytes = r.lagBytes() == null ? "?" : bytes(r.lagBytes());
        var secs = r.lagSeconds() == null ? "?" : String.format(Locale.ROOT, "%.0fs", r.lagSeconds());
        return bytes + " / " + secs;
    }

    private static String bytes(long b) {
        if (b < 1024) return b + " B";
        if (b < 1024 * 1024) return String.format(Locale.ROOT, "%.1f kB", b / 1024.0);
        if (b < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MB", b / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.1f GB", b / (1024.0 * 1024 * 1024));
    }

    /** A GTID position with no transactions yet prints as nothing; say so rather than leave a hole. */
    private static String position(Row r) {
        if (r.position() == null) {
            return "-";
        }
        return r.position().isBlank() ? "(empty)" : r.position();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String shorten(String s) {
        return s.length() <= POSITION_WIDTH ? s : s.substring(0, POSITION_WIDTH - 1) + "…";
    }
}
