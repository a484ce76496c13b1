package dev.drctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.promotion.ClusterAnalyzer;
import dev.drctl.promotion.ClusterVerdict;
import dev.drctl.promotion.ReplicaRanker;
import dev.drctl.promotion.ReplicaRanking;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.ErrorCode;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.TopologyErrorCode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drctl candidates CLUSTER}: probes the cluster once and prints the verdict with its evidence and
 * the replica ranking, every node with its score components and the reason it is placed or excluded.
 * One round cannot meet a failure-threshold above one, so from here a failing primary is at most
 * suspect; the output says so. Exit 0 whatever the verdict: this command looks, it never acts.
 */
@Command(name = "candidates", description = "Show the verdict with its evidence and the replica ranking with reasons.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the verdict and ranking were printed (whatever they say)",
                "2:bad usage, bad config, or an unknown cluster"})
final class CandidatesCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOption config;
    @Mixin
    OutputOption output;
    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster, by its name in the config.")
    String cluster;

    private final Host host;

    CandidatesCommand(Host host) {
        this.host = host;
    }

    /** What {@code candidates -o json} prints; the field names are a contract. */
    record Candidates(String cluster, String engine, String observedAt, int probeRounds, String note, Verdict verdict,
                      Ranking ranking) {
    }

    record Verdict(String kind, String summary, String primary, List<Said> evidence) {
    }

    record Said(String node, String said) {
    }

    record Ranking(String against, List<Ranked> ranked, List<Excluded> excluded, String rpoBlock) {
    }

    record Ranked(int place, String node, String position, int behindCandidates, String versusPrimary,
                  List<String> incomparableWith, String shortfall, String region, Integer preferredRegion,
                  int priority, Long lagBytes, Double lagSeconds, String reason, String dataLoss, String rpoBlock) {
    }

    record Excluded(String node, String exclusion, String detail) {
    }

    @Override
    public Integer call() throws JsonProcessingException {
        var cfg = config.load();
        var name = new ClusterName(cluster);
        var clusterSpec = cfg.cluster(name).orElseThrow(() -> new DrctlException(TopologyErrorCode.UNKNOWN_NAME,
                "no cluster named '" + cluster + "' in " + config.file() + "; known clusters: "
                        + cfg.clusters().stream().map(c -> c.name().value()).collect(Collectors.joining(", "))));
        var result = assess(cfg, clusterSpec);
        var out = spec.commandLine().getOut();
        switch (output.format()) {
            case TABLE -> table(out, result);
            case JSON -> out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(result));
        }
        out.flush();
        return ErrorCode.OK;
    }

    private Candidates assess(DrctlConfig cfg, ClusterSpec clusterSpec) {
        try (var scheduler = new ProbeScheduler(List.of(clusterSpec), host.environment(), host.clock())) {
            var history = scheduler.probeOnce(clusterSpec);
            var now = host.clock().instant();
            var memory = ProbeRoundMemory.recordAndRecall(cfg, host, List.of(history),
                    Optional.of(clusterSpec.name()), spec.commandLine().getErr()::println);
            var verdict = ClusterAnalyzer.analyze(history, now);
            // A primary that died before this round is known from the store: the loss is measured against it.
            var against = verdict.primaryNode().or(() -> ClusterAnalyzer.lastWritablePrimary(history))
                    .or(memory::lastPrimary);
            var ranking = against.map(p -> ReplicaRanker.rank(history, p, memory, now))
                    .orElseGet(() -> ReplicaRanker.rankWithoutPrimary(history, now));
            return render(clusterSpec, now, verdict, against.map(NodeName::value).orElse(null), ranking);
        }
    }

    static Candidates render(ClusterSpec c, Instant now, ClusterVerdict verdict, String against, ReplicaRanking ranking) {
        var policy = c.failover();
        var note = policy.failureThreshold() > 1
                ? "one probe round: failure-threshold (" + policy.failureThreshold() + " probes over "
                        + seconds(policy.failureWindow()) + ") cannot be met from one snapshot, so a failing"
                        + " primary shows as suspect at most; the daemon (drctl run) decides over its history"
                : "one probe round: the verdict is what this single snapshot shows";
        var v = new Verdict(verdict.getClass().getSimpleName(), verdict.summary(),
                verdict.primaryNode().map(NodeName::value).orElse(null),
                verdict.evidence().stream().map(e -> new Said(e.node().value(), e.said())).toList());
        var ranked = ranking.ranked().stream().map(r -> new Ranked(r.place(), r.node().value(), r.position().display(),
                r.behindCandidates(), r.versusPrimary().map(x -> x.name().toLowerCase(Locale.ROOT)).orElse(null),
                r.incomparableWith().stream().map(NodeName::value).toList(),
                r.shortfall().map(Object::toString).orElse(null), r.region(), r.preferredRegion().orElse(null),
                r.priority(), r.lag().bytes().orElse(null), seconds(r.lag()), r.reason(), r.loss().words(),
                r.rpoBlock().orElse(null))).toList();
        var excluded = ranking.excluded().stream()
                .map(x -> new Excluded(x.node().value(), x.why().name().toLowerCase(Locale.ROOT), x.detail())).toList();
        return new Candidates(c.name().value(), c.engine().configName(),
                now.truncatedTo(ChronoUnit.MILLIS).toString(), 1, note, v,
                new Ranking(against, ranked, excluded, ranking.rpoBlock().orElse(null)));
    }

    /** {@code 3s}, {@code 1.5s}. */
    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + "s";
    }

    private static Double seconds(Lag lag) {
        return lag.time().map(t -> t.toMillis() / 1000.0).orElse(null);
    }

    private static void table(PrintWriter out, Candidates c) {
        out.println("cluster " + c.cluster() + " (" + c.engine() + "), probed at " + c.observedAt());
        out.println("note: " + c.note());
        out.println();
        out.println("verdict: " + c.verdict().kind());
        out.println("  " + c.verdict().summary());
        int w = c.verdict().evidence().stream().mapToInt(s -> s.node().length()).max().orElse(4);
        for (var s : c.verdict().evidence()) {
            out.printf("  %-" + w + "s  %s%n", s.node(), s.said());
        }
        out.println();
        var r = c.ranking();
        out.println(r.against() == null
                ? "ranking (no primary seen in this snapshot: data loss cannot be measured):"
                : "ranking (replacements for " + r.against() + "):");
        if (r.ranked().isEmpty()) {
            out.println("  no candidate");
        } else {
            var fmt = "  %-5s %-" + Math.max(4, r.ranked().stream().mapToInt(x -> x.node().length()).max().orElse(4))
                    + "s  %-28s %-8s %-16s %-8s %-18s %s%n";
            out.printf(fmt, "PLACE", "NODE", "POSITION", "BEHIND", "REGION", "PRIORITY", "LAG", "LACKS");
            for (var x : r.ranked()) {
                out.printf(fmt, x.place(), x.node(), x.position(), x.behindCandidates(),
                        x.region() + (x.preferredRegion() == null ? "" : " #" + (x.preferredRegion() + 1)),
                        x.priority(), lag(x), x.shortfall() == null ? "unknown" : x.shortfall());
                out.println("        why: " + x.reason());
                out.println("        data loss: " + x.dataLoss());
            }
        }
        if (!r.excluded().isEmpty()) {
            out.println("excluded:");
            for (var x : r.excluded()) {
                out.println("  " + x.node() + "  " + x.exclusion() + ": " + x.detail());
            }
        }
        out.println(r.rpoBlock() == null ? "RPO guard: clear" : r.rpoBlock());
    }

    private static String lag(Ranked x) {
        if (x.lagSeconds() == null && x.lagBytes() == null) {
            return "unknown";
        }
        return (x.lagSeconds() == null ? "?" : seconds(Duration.ofMillis(Math.round(x.lagSeconds() * 1000)))) + " / " + (x.lagBytes() == null ? "?" : x.lagBytes() + "B");
    }
}
