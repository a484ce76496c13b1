package dev.drctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drctl.probes.ProbeRound;
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
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.StateStore;
import dev.drctl.runbooks.watch.AutomationBrakes;
import dev.drctl.runbooks.watch.AutomationHold;
import dev.drctl.runbooks.watch.BreakerPolicy;
import dev.drctl.topology.NodeName;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drctl status}: probes every node of every cluster once, all at the same time, says first what state each
 * cluster is in (a {@link StatusVerdict}), then prints one row per node. Exit 0 when every cluster is healthy, 1 when
 * any is not (degraded, split brain, no primary: the verdict line names the nodes).
 */
@Command(name = "status", description = "Show each cluster's verdict, then the topology: role, region, reachability, "
        + "position, lag, stream state.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every cluster HEALTHY",
                "1:a cluster is DEGRADED, in SPLIT BRAIN or has NO PRIMARY (the first lines say which and why)",
                "2:bad usage or bad config"})
final class StatusCommand implements Callable<Integer> {
    private static final int POSITION_WIDTH = 48;

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOption config;
    @Mixin
    OutputOption output;

    @Option(names = "--watch", arity = "0..1", paramLabel = "SECONDS", fallbackValue = "2",
            description = "Probe again every SECONDS (default ${FALLBACK-VALUE}) until Ctrl-C; on a terminal the "
                    + "screen is redrawn in place.")
    Integer watch;

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

    /** A cluster's verdict in {@code status -o json}: {@code verdict} is healthy, degraded, split_brain or no_primary. */
    record Verdict(String cluster, String verdict, String detail) {
        static Verdict of(StatusVerdict v) {
            return new Verdict(v.cluster(), v.code(), v.detail());
        }
    }

    /**
     * What {@code drctl run} last stored of a cluster: its verdict, mode and running runbook. {@code fresh} is false
     * when the daemon has not written it for {@link #DAEMON_FRESH} (it stopped, or cannot reach the store).
     */
    record Daemon(String cluster, String daemon, String mode, String verdict, String summary, String running,
                  String updatedAt, boolean fresh) {
    }

    /** How recent the daemon's stored view must be to be shown as what the daemon knows now. */
    static final Duration DAEMON_FRESH = Duration.ofSeconds(15);

    /**
     * Several daemons through ZooKeeper (issue 13): who leads each cluster, with its term's fencing token, and which
     * daemons are live. Absent (null) without {@code coordination:} in the config.
     */
    record Coordination(String ensemble, boolean reachable, String problem, List<String> liveDaemons,
                        List<Leader> leaders) {
        static Coordination of(dev.drctl.coordination.CoordinationView v, DrctlConfig cfg) {
            var leaders = cfg.clusters().stream().map(c -> new Leader(c.name().value(),
                    v.leader(c.name()).map(dev.drctl.coordination.CoordinationView.Leader::daemon).orElse(null),
                    v.leader(c.name()).map(dev.drctl.coordination.CoordinationView.Leader::token).orElse(null),
                    v.observations(c.name()).stream().map(o -> new DaemonSees(o.daemon(), o.verdict(), o.summary(),
                            o.at().toString())).toList())).toList();
            return new Coordination(v.ensemble(), v.reachable(), v.problem().orElse(null), v.liveDaemons(), leaders);
        }
    }

    /**
     * @param daemon null when no daemon contends for the cluster
     * @param token  the leader's fencing token
     * @param views  what each daemon published of the cluster last: a daemon that sees it differently from the
     *               others (cut off from the primary alone) shows here
     */
    record Leader(String cluster, String daemon, Long token, List<DaemonSees> views) {
    }

    /** One daemon's latest published verdict of a cluster. */
    record DaemonSees(String daemon, String verdict, String summary, String at) {
    }

    /** How long {@code status} waits for ZooKeeper before saying it is unreachable. */
    static final Duration COORDINATION_WAIT = Duration.ofSeconds(2);

    /**
     * What holds the daemon's automation back on a cluster, from the store (issue 12's brakes): maintenance mode (with
     * reason, who, since), the cooldown after its last failover (until when), and those holds as sentences (the global
     * circuit breaker is {@link Breaker}, once). Empty when the store does not exist yet.
     */
    record Automation(String cluster, Maintenance maintenance, String lastFailover, String cooldownUntil,
                      List<String> holds) {
    }

    /** A cluster's maintenance mode in {@code status -o json}. */
    record Maintenance(String reason, String by, String since) {
    }

    /** The global circuit breaker: automatic failovers counted in the window, and until when it is open. */
    record Breaker(boolean open, int failovers, int maxFailovers, String window, String openUntil, String sentence) {
    }

    /** The whole answer of {@code status -o json}. */
    record Status(boolean healthy, List<Verdict> verdicts, boolean allAnswered, List<Row> nodes, Outbox notifications,
                  List<Daemon> daemon, List<Automation> automation, Breaker breaker, Coordination coordination) {
    }

    /** What the store says besides the probes: the outbox, the runs left unfinished, the daemon's view and the brakes. */
    private record Stored(Optional<Outbox> outbox, Map<String, List<StatusVerdict.UnfinishedRun>> unfinished,
                          List<Daemon> daemon, List<Automation> automation, Optional<Breaker> breaker) {
    }

    @Override
    public Integer call() throws JsonProcessingException {
        var cfg = config.load();
        var configFile = config.file();
        try (var scheduler = new ProbeScheduler(cfg.clusters(), host.environment(), host.clock())) {
            if (watch == null) {
                return show(cfg, configFile, scheduler);
            }
            return watch(cfg, configFile, scheduler, Duration.ofSeconds(Math.max(1, watch)));
        }
    }

    /**
     * Redraws until interrupted. On a terminal the screen is cleared and the cursor sent home before each frame, so
     * the picture refreshes in place; into a pipe or a file, frames follow one another.
     */
    private int watch(DrctlConfig cfg, Path configFile, ProbeScheduler scheduler, Duration every)
            throws JsonProcessingException {
        var out = spec.commandLine().getOut();
        int code = ErrorCode.OK;
        while (!Thread.currentThread().isInterrupted()) {
            if (host.terminal().isPresent()) {
                out.print("\033[H\033[2J");
            }
            if (output.format() == OutputOption.Format.TABLE) {
                out.println("every " + every.toSeconds() + "s, Ctrl-C to stop; " + host.clock().instant()
                        .truncatedTo(ChronoUnit.SECONDS));
            }
            try {
                code = show(cfg, configFile, scheduler);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    break; // Ctrl-C (or the caller) stopped a round half-way: end quietly, as between rounds
                }
                throw e;
            }
            if (host.terminal().isEmpty() && output.format() == OutputOption.Format.TABLE) {
                out.println();
            }
            out.flush();
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return code;
    }

    private int show(DrctlConfig cfg, Path configFile, ProbeScheduler scheduler) throws JsonProcessingException {
        var rows = new ArrayList<Row>();
        var kept = new ArrayList<ClusterHistory>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var rounds = new ArrayList<Future<ProbeRound>>();
            for (var cluster : cfg.clusters()) {
                rounds.add(pool.submit(() -> scheduler.probeRound(cluster)));
            }
            for (int i = 0; i < rounds.size(); i++) {
                var round = join(rounds.get(i));
                rows.addAll(rows(cfg.clusters().get(i), round.history()));
                // A round voided by drctl's own stall says nothing of the nodes: never remembered in the store.
                if (round.conclusive()) {
                    kept.add(round.history());
                }
                // What drctl measured of itself (a stalled round repeated): on stderr, outside the table and the JSON.
                round.note().ifPresent(note -> spec.commandLine().getErr().println(round.history().cluster().name() + ": " + note));
            }
        }
        var stored = stored(cfg, configFile, kept);
        var verdicts = cfg.clusters().stream().map(c -> c.name().value())
                .map(c -> StatusVerdict.of(c, rows.stream().filter(r -> r.cluster().equals(c)).toList(),
                        stored.unfinished().getOrDefault(c, List.of())))
                .toList();
        var coordination = cfg.coordination().map(c -> Coordination.of(dev.drctl.coordination.ClusterLeadership.read(c,
                cfg.clusters().stream().map(ClusterSpec::name).toList(), COORDINATION_WAIT), cfg)).orElse(null);
        var status = new Status(verdicts.stream().allMatch(StatusVerdict::healthy),
                verdicts.stream().map(Verdict::of).toList(), rows.stream().allMatch(Row::reachable), rows,
                stored.outbox().orElse(null), stored.daemon(), stored.automation(), stored.breaker().orElse(null),
                coordination);
        var out = spec.commandLine().getOut();
        switch (output.format()) {
            case TABLE -> {
                var ansi = spec.commandLine().getColorScheme().ansi();
                verdicts.forEach(v -> out.println(ansi.string("@|bold," + colour(v) + " " + v.title() + "|@")
                        + ": " + v.cluster() + " — " + v.detail()));
                status.daemon().forEach(d -> out.println(daemonLine(d, host.clock().instant())));
                // what holds automation back, only when something does: a quiet line costs attention for nothing
                status.automation().forEach(a -> a.holds().forEach(h -> out.println(a.cluster() + ": " + h)));
                if (status.breaker() != null && status.breaker().open()) {
                    out.println("automation: " + status.breaker().sentence());
                }
                table(out, status);
            }
            case JSON -> out.println(Json.pretty(status));
        }
        out.flush();
        return status.healthy() ? ErrorCode.OK : ErrorCode.OPERATION_FAILED;
    }

    private static String colour(StatusVerdict v) {
        return switch (v) {
            case StatusVerdict.Healthy h -> "green";
            case StatusVerdict.Degraded d -> "yellow";
            case StatusVerdict.SplitBrain b -> "red";
            case StatusVerdict.NoPrimary n -> "red";
        };
    }

    /**
     * Reads the outbox and the unfinished runs only from a store that exists: {@code status} must not create one as a
     * side effect.
     */
    private Stored stored(DrctlConfig cfg, Path configFile, List<ClusterHistory> rounds) {
        if (!ProbeRoundMemory.storeExists(cfg)) {
            return new Stored(Optional.empty(), Map.of(), List.of(), List.of(), Optional.empty());
        }
        try (var store = AuditCommand.open(cfg, host)) {
            // Each round looked at is remembered (the primary's position, the start of an outage) for later decisions.
            rounds.forEach(store::recordRound);
            var stats = store.outbox().stats(host.clock().instant());
            var unfinished = new HashMap<String, List<StatusVerdict.UnfinishedRun>>();
            for (var c : cfg.clusters()) {
                unfinished.put(c.name().value(), store.runs().unfinished(c.name()).stream()
                        .map(r -> unfinishedRun(r, configFile)).toList());
            }
            var now = host.clock().instant();
            var daemon = new ArrayList<Daemon>();
            for (var c : cfg.clusters()) {
                store.daemonViews().of(c.name()).ifPresent(v -> daemon.add(new Daemon(c.name().value(), v.daemon(),
                        v.mode(), v.verdict(), v.summary(), v.running().orElse(null), v.updatedAt().toString(),
                        v.updatedAt().plus(DAEMON_FRESH).isAfter(now))));
            }
            var brakes = new AutomationBrakes(store, BreakerPolicy.of(cfg));
            var automation = cfg.clusters().stream().map(c -> automation(store, brakes, c, now)).toList();
            var b = brakes.breaker(now);
            var breaker = new Breaker(b.open(), b.failovers(), b.policy().maxFailovers(),
                    b.policy().window().toString(), b.openUntil().map(Object::toString).orElse(null),
                    b.openUntil().map(u -> new AutomationHold.BreakerOpen(b.failovers(), b.policy().window(), u)
                            .sentence()).orElse(null));
            return new Stored(Optional.of(new Outbox(stats.pending(), stats.givenUp(),
                    stats.oldestPending().map(Object::toString).orElse(null), null)), unfinished, daemon, automation,
                    Optional.of(breaker));
        } catch (DrctlException e) {
            return new Stored(Optional.of(new Outbox(0, 0, null, "state store unreadable: " + e.getMessage())),
                    Map.of(), List.of(), List.of(), Optional.empty());
        }
    }

    private static Automation automation(StateStore store, AutomationBrakes brakes, ClusterSpec cluster,
                                         java.time.Instant now) {
        var holds = brakes.holds(cluster, now);
        var maintenance = holds.stream().filter(h -> h instanceof AutomationHold.Maintenance)
                .map(h -> (AutomationHold.Maintenance) h).findFirst()
                .map(m -> new Maintenance(m.reason(), m.by(), m.since().toString())).orElse(null);
        var cooldownUntil = holds.stream().filter(h -> h instanceof AutomationHold.CoolingDown)
                .map(h -> ((AutomationHold.CoolingDown) h).until().toString()).findFirst().orElse(null);
        var lastFailover = store.clusterStates().load(cluster.name()).lastFailoverAt().map(Object::toString).orElse(null);
        return new Automation(cluster.name().value(), maintenance, lastFailover, cooldownUntil,
                holds.stream().filter(h -> !(h instanceof AutomationHold.BreakerOpen)).map(AutomationHold::sentence)
                        .toList());
    }

    /**
     * {@code daemon daemon:db-1:4242 (auto) on payments: PrimaryDead, running failover (as of 1 s ago)}; a stale view
     * says only when the daemon was last heard from, since what it knew then may no longer hold.
     */
    static String daemonLine(Daemon d, Instant now) {
        var age = Duration.between(Instant.parse(d.updatedAt()), now);
        var ago = age.isNegative() ? "0 s" : age.toSeconds() < 120 ? age.toSeconds() + " s" : age.toMinutes() + " min";
        if (!d.fresh()) {
            return "daemon on " + d.cluster() + ": not heard from for " + ago + " (last " + d.daemon() + "); is drctl run"
                    + " running?";
        }
        return "daemon " + d.daemon() + " (" + d.mode() + ") on " + d.cluster() + ": " + verdictWords(d.verdict())
                + (d.running() == null ? "" : ", running " + d.running()) + " (as of " + ago + " ago)";
    }

    /**
     * A verdict kind as the daemon publishes it ({@code PrimaryDead}, JSON and /health keep that form) in the words of
     * the text output, lower case like every other value there: {@code primary dead}.
     */
    static String verdictWords(String kind) {
        return kind.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    private static StatusVerdict.UnfinishedRun unfinishedRun(RunRecord r, Path configFile) {
        var kind = r.kind().name().toLowerCase(Locale.ROOT);
        var cluster = r.cluster().value();
        var resume = switch (r.kind()) {
            case FAILOVER, SWITCHOVER -> StatusVerdict.resumeCommand(kind, cluster, Optional.empty(),
                    configFile.toString());
            case REJOIN -> StatusVerdict.resumeCommand(kind, cluster,
                    Optional.of(r.oldPrimary().map(NodeName::value).orElse("NODE")), configFile.toString());
            case DRILL -> "drctl drill run " + r.drill().orElse("NAME") + " -c " + configFile;
            case FENCE -> "drctl fence " + cluster + " NODE -c " + configFile;
        };
        return new StatusVerdict.UnfinishedRun(r.runId(), kind, resume);
    }

    private static ProbeRound join(Future<ProbeRound> round) {
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
        var c = status.coordination();
        if (c != null) {
            if (!c.reachable()) {
                out.println("coordination: " + c.problem() + "; no daemon acts automatically until it answers");
            } else {
                out.println("coordination: ZooKeeper " + c.ensemble() + ", " + c.liveDaemons().size() + " live daemon(s)"
                        + (c.liveDaemons().isEmpty() ? "" : ": " + String.join(", ", c.liveDaemons())));
                for (var l : c.leaders()) {
                    out.println("  " + l.cluster() + ": " + (l.daemon() == null ? "no leader (no daemon contends)"
                            : "led by " + l.daemon() + " (token " + l.token() + ")"));
                    for (var v : l.views()) {
                        out.println("    " + v.daemon() + " sees " + verdictWords(v.verdict()) + " (at " + v.at() + "): "
                                + v.summary());
                    }
                }
            }
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
