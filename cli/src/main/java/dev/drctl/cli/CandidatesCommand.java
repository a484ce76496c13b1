package dev.drctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.promotion.Assessment;
import dev.drctl.promotion.ClusterAnalyzer;
import dev.drctl.promotion.ClusterVerdict;
import dev.drctl.promotion.DataLoss;
import dev.drctl.promotion.DecisionPipeline;
import dev.drctl.promotion.Exclusion;
import dev.drctl.promotion.FailoverDecision;
import dev.drctl.promotion.ReplicaRanker;
import dev.drctl.promotion.ReplicaRanking;
import dev.drctl.promotion.Request;
import dev.drctl.runbooks.PromotionSteps;
import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.ErrorCode;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;
import dev.drctl.topology.TopologyErrorCode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drctl candidates CLUSTER [--snapshot]}: shows what {@code drctl failover CLUSTER} would decide now, by the
 * same {@link DecisionPipeline} over the same kind of probe burst: the verdict with its evidence, the replica ranking
 * (every node with its score components and the reason it is placed or excluded), and the decision. When the primary
 * is failing it confirms over failure-threshold rounds at probe-interval exactly as {@code failover} does; a writable
 * primary in the first round settles it at once. {@code --snapshot} takes a single round (a failing primary is then
 * suspect at most; the output says so). Exit 0 whatever the decision: this command looks, it never acts.
 */
@Command(name = "candidates", description = "Show what `drctl failover` would decide now: the verdict with its "
        + "evidence, the replica ranking with reasons, and the decision.",
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

    @Option(names = "--snapshot", description = "Probe once instead of confirming over failure-threshold rounds as "
            + "failover does (quick, but a failing primary is at most suspect).")
    boolean snapshot;

    private final Host host;

    CandidatesCommand(Host host) {
        this.host = host;
    }

    /** What {@code candidates -o json} prints; the field names are a contract. */
    record Candidates(String cluster, String engine, String observedAt, int probeRounds, String note, Verdict verdict,
                      Ranking ranking, Decision decision) {
    }

    /**
     * What {@code drctl failover CLUSTER} would decide now.
     *
     * @param kind     {@code promote} or {@code refuse}
     * @param refusal  the rule that refuses, lower case (e.g. {@code drctl_partitioned}, {@code data_loss_unknown})
     * @param next     the command a person may run instead
     */
    record Decision(String kind, String headline, String refusal, String reason, String next, String promote, String fence,
                    String dataLoss, Long dataLossBytes, boolean dataLossBounded, boolean lossAccepted,
                    boolean deathAsserted) {
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
    public Integer call() throws JsonProcessingException, InterruptedException {
        var cfg = config.load();
        var clusterSpec = ConfigOption.cluster(cfg, cluster);
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

    private Candidates assess(DrctlConfig cfg, ClusterSpec clusterSpec) throws InterruptedException {
        try (var scheduler = new ProbeScheduler(List.of(clusterSpec), host.environment(), host.clock())) {
            int planned = snapshot ? 1 : PromotionSteps.Probe.roundsFor(clusterSpec);
            long interval = clusterSpec.failover().probeInterval().toNanos();
            long next = System.nanoTime();
            int rounds = 0;
            ClusterHistory history = null;
            var taken = new ArrayList<ClusterHistory>();
            while (rounds < planned) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += interval;
                var round = scheduler.probeRound(clusterSpec);
                round.note().ifPresent(note -> spec.commandLine().getErr().println(note));
                history = round.history();
                // A round voided by drctl's own stall says nothing of the nodes: never remembered in the store.
                if (round.conclusive()) {
                    taken.add(history);
                }
                rounds++;
                // As failover's probe step: a writable primary in a round settles the question.
                if (writableInLatest(history)) {
                    break;
                }
            }
            var now = host.clock().instant();
            // Each round is remembered, as status and failover do: the primary's last position and its first failure.
            var problems = new ArrayList<String>();
            var memory = ProbeRoundMemory.recordAndRecall(cfg, host, taken, Optional.of(clusterSpec.name()),
                    problems::add);
            var storeNote = problems.isEmpty() ? "" : "; " + String.join("; ", problems)
                    + ", so nothing it remembers was used";
            var assessment = DecisionPipeline.assess(scheduler.snapshot(clusterSpec.name()), memory, new Request.Look(),
                    now);
            return render(clusterSpec, now, assessment, rounds, storeNote);
        }
    }

    private static boolean writableInLatest(ClusterHistory history) {
        return history.cluster().nodes().stream().map(n -> history.latest(n.name())).anyMatch(o -> o.isPresent()
                && o.get().outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.PRIMARY && r.writable());
    }

    static Candidates render(ClusterSpec c, Instant now, Assessment a, int rounds, String storeNote) {
        var verdict = a.verdict();
        var ranking = a.ranking();
        var against = verdict.primaryNode().map(NodeName::value).orElse(null);
        var policy = c.failover();
        var note = (rounds == 1 && policy.failureThreshold() > 1
                ? "one probe round: failure-threshold (" + policy.failureThreshold() + " probes over "
                        + seconds(policy.failureWindow()) + ") cannot be met from one snapshot, so a failing"
                        + " primary shows as suspect at most; without --snapshot it confirms as drctl failover does"
                : rounds + (rounds == 1 ? " probe round" : " probe rounds at probe-interval")
                        + ": the decision is what drctl failover " + c.name() + " would take now") + storeNote;
        // one style with every other value printed: no_primary, not NoPrimary
        var v = new Verdict(verdict.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2")
                .toLowerCase(Locale.ROOT), verdict.summary(),
                verdict.primaryNode().map(NodeName::value).orElse(null),
                verdict.evidence().stream().map(e -> new Said(e.node().value(), e.said())).toList());
        var ranked = ranking.ranked().stream().map(r -> new Ranked(r.place(), r.node().value(), r.position().display(),
                r.behindCandidates(), r.versusPrimary().map(x -> x.name().toLowerCase(Locale.ROOT)).orElse(null),
                r.incomparableWith().stream().map(NodeName::value).toList(),
                r.shortfall().map(Object::toString).orElse(null), r.region(), r.preferredRegion().orElse(null),
                r.priority(), r.lag().bytes().orElse(null), seconds(r.lag()), r.reason(), r.loss().words(),
                r.rpoBlock().orElse(null))).toList();
        var excluded = ranking.excluded().stream()
                .map(x -> x.why() == Exclusion.FAILED_PRIMARY && (verdict instanceof ClusterVerdict.Healthy
                        || verdict instanceof ClusterVerdict.ReplicaProblems)
                        // a primary that answers writable is not "failed": it is the primary, not a candidate
                        ? new Excluded(x.node().value(), "primary", "the writable primary, not a candidate")
                        : new Excluded(x.node().value(), x.why().name().toLowerCase(Locale.ROOT), x.detail())).toList();
        var decision = switch (a.decision()) {
            case FailoverDecision.Promote p -> new Decision("promote", "promote " + p.candidate() + ", fencing "
                    + p.fenced() + (p.deathAsserted() ? " (death asserted by the operator)" : ""), null, p.reason(), null, p.candidate().value(),
                    p.fenced().value(), p.loss().words(), p.loss().bytes().orElse(null),
                    !(p.loss() instanceof DataLoss.Unknown),
                    p.lossAccepted(), p.deathAsserted());
            case FailoverDecision.Refuse r -> new Decision("refuse", "refuse (" + r.refusal().name()
                    .toLowerCase(Locale.ROOT) + ")", r.refusal().name().toLowerCase(Locale.ROOT),
                    r.reason(), r.next().orElse(null), null, null, null, null, false, false, false);
            case FailoverDecision.Wait w -> new Decision("wait", "wait", null, w.reason(), null, null, null, null, null, false,
                    false, false);
        };
        return new Candidates(c.name().value(), c.engine().configName(),
                now.truncatedTo(ChronoUnit.MILLIS).toString(), rounds, note, v,
                new Ranking(against, ranked, excluded, ranking.rpoBlock().orElse(null)), decision);
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
        out.println("verdict: " + c.verdict().kind().toUpperCase(Locale.ROOT).replace('_', ' '));
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
        out.println();
        var d = c.decision();
        out.println("decision (what drctl failover " + c.cluster() + " would do now): " + d.headline());
        out.println("  " + d.reason());
        if (d.next() != null) {
            out.println("  next: " + d.next());
        }
    }


    private static String lag(Ranked x) {
        if (x.lagSeconds() == null && x.lagBytes() == null) {
            return "unknown";
        }
        return (x.lagSeconds() == null ? "?" : seconds(Duration.ofMillis(Math.round(x.lagSeconds() * 1000)))) + " / " + (x.lagBytes() == null ? "?" : x.lagBytes() + "B");
    }
}
