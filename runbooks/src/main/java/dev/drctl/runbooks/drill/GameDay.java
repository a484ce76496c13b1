package dev.drctl.runbooks.drill;

import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.DrillSpec;
import dev.drctl.topology.NodeName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The game day ({@code environment: cluster}): on the real configured cluster, with the writer workload running, a
 * planned switchover to the best replica and, once writes flow there, one back to the original primary. Measured:
 * how long writes stood still across each switchover (judged against the RTO target) and which acknowledged writes
 * the cluster does not hold at the end (the RPO: a planned switchover loses none). The drill's table is dropped
 * afterwards; the two switchovers stay in the journal as the runs they are.
 */
final class GameDay {
    private final DrillSpec drill;
    private final ClusterSpec cluster;
    private final RealCluster real;
    private final Clock clock;
    private final DrillProgress progress;
    private final Map<String, Instant> events = new LinkedHashMap<>();
    private volatile WriterWorkload writer;

    GameDay(DrillSpec drill, ClusterSpec cluster, RealCluster real, Clock clock,
            DrillProgress progress) {
        this.drill = drill;
        this.cluster = cluster;
        this.real = real;
        this.clock = clock;
        this.progress = progress;
    }

    DrillResult run(DrctlConfig config, RunRecord record, ComplianceSpec.Targets targets) {
        events.put("drill started", clock.instant());
        var original = real.primary();
        var env = new ClusterDrillEnvironment(config, cluster, real, original);
        progress.phase("write", drill.workload().insertsPerSecond() + " inserts/s to " + original + " on the real "
                + "cluster " + cluster.name());
        writer = new WriterWorkload(env, drill.workload().insertsPerSecond(), clock);
        var writesFrom = clock.instant();
        try {
            writer.start(original);
            await("the first acknowledged writes", Duration.ofSeconds(30), () -> writer.acks().size() >= 3);
            DrillRunner.pause(min(Duration.ofSeconds(5), drill.workload().duration().dividedBy(4)));
            events.put("writes started", writesFrom);
            var legs = new ArrayList<RunRecord>();
            var settle = max(Duration.ofSeconds(30), targets.rto().multipliedBy(3));

            progress.phase("switchover", "a planned switchover of " + cluster.name() + " to its best replica");
            var firstStart = clock.instant();
            events.put("switchover started", firstStart);
            env.switchoverStarts();
            var there = real.switchover(Optional.empty());
            legs.add(there);
            Optional<WriterWorkload.Ack> firstWrite = Optional.empty();
            env.writerMovedTo(there.status() == RunStatus.SUCCEEDED ? there.newPrimary().orElse(original)
                    : real.primary());
            if (there.status() == RunStatus.SUCCEEDED && there.newPrimary().isPresent()) {
                var to = there.newPrimary().get();
                events.put("switched over to " + to, there.finishedAt().orElse(clock.instant()));
                until(clock.instant().plus(settle), () -> writer.firstOn(to, firstStart).isPresent());
                firstWrite = writer.firstOn(to, firstStart);
                firstWrite.ifPresent(w -> events.put("first write on " + to, w.at()));
                DrillRunner.pause(min(Duration.ofSeconds(5), drill.workload().duration().dividedBy(4)));

                progress.phase("switch back", "a planned switchover of " + cluster.name() + " back to " + original);
                var backStart = clock.instant();
                events.put("switchover back started", backStart);
                env.switchoverStarts();
                var back = real.switchover(Optional.of(original));
                legs.add(back);
                env.writerMovedTo(back.status() == RunStatus.SUCCEEDED ? original : real.primary());
                if (back.status() == RunStatus.SUCCEEDED) {
                    events.put("switched back to " + original, back.finishedAt().orElse(clock.instant()));
                    until(clock.instant().plus(settle), () -> writer.firstOn(original, backStart).isPresent());
                    writer.firstOn(original, backStart).ifPresent(w -> events.put("first write back on " + original,
                            w.at()));
                }
            }
            var writeUntil = writesFrom.plus(drill.workload().duration());
            if (clock.instant().isBefore(writeUntil)) {
                DrillRunner.pause(Duration.between(clock.instant(), writeUntil));
            }
            writer.close();
            events.put("writes stopped", clock.instant());

            progress.phase("measure", "acknowledged writes against the primary at the end");
            var end = real.primary();
            var acks = writer.acks();
            var held = writer.idsOn(end);
            var missing = acks.stream().filter(a -> !held.contains(a.id())).toList();
            var observation = new DrillObservation(original, firstStart, legs, 0, firstWrite, acks.size(),
                    missing.stream().map(WriterWorkload.Ack::id).toList(),
                    missing.stream().map(WriterWorkload.Ack::at).findFirst(), Optional.empty(), Optional.empty(),
                    Optional.empty(), longestPause(acks, firstStart));
            var verdict = DrillJudge.judge(Expectation.SWITCHED_OVER_AND_BACK, observation, targets);
            cleanUp(end);
            var finished = clock.instant();
            var done = record.withNodes(original, there.newPrimary().orElse(null), there.epoch().orElse(0L))
                    .withTimeline(firstStart, there.confirmedAt().orElse(null), there.promotedAt().orElse(null),
                            there.dnsAt().orElse(null), firstWrite.map(WriterWorkload.Ack::at).orElse(null), finished)
                    .withMeasures(verdict.rto().orElse(null), verdict.rpo().orElse(null), null, false)
                    .withStatus(verdict.passed() ? RunStatus.SUCCEEDED : RunStatus.FAILED, verdict.summary());
            var timeline = new ArrayList<DrillResult.Event>();
            events.forEach((what, at) -> timeline.add(new DrillResult.Event(what, at)));
            timeline.sort(Comparator.comparing(DrillResult.Event::at));
            return new DrillResult(drill, done, env.describe(), verdict, observation, timeline, writer.attempts(),
                    writer.failures(), List.of());
        } finally {
            writer.close();
        }
    }

    /** Drops the drill's table; a failure to is reported, not fatal (the verdict stands). */
    private void cleanUp(NodeName primary) {
        try {
            writer.drop(primary);
            events.put("drill table dropped", clock.instant());
        } catch (DrctlException e) {
            events.put("drill table NOT dropped: " + e.getMessage(), clock.instant());
        }
    }

    /**
     * The longest time without an acknowledged write from {@code from} on: between consecutive acknowledgements (the
     * first measured from the last before {@code from}). Empty when nothing was acknowledged after it.
     */
    static Optional<Duration> longestPause(List<WriterWorkload.Ack> acks, Instant from) {
        Duration longest = null;
        Instant previous = null;
        for (var a : acks) {
            if (a.at().isBefore(from)) {
                previous = a.at();
                continue;
            }
            var gap = Duration.between(previous == null ? from : previous, a.at());
            longest = longest == null || gap.compareTo(longest) > 0 ? gap : longest;
            previous = a.at();
        }
        return Optional.ofNullable(longest);
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) {
        DrillRunner.await(clock, what, timeout, condition);
    }

    private boolean until(Instant deadline, BooleanSupplier condition) {
        return DrillRunner.until(clock, deadline, condition);
    }

    private static Duration min(Duration a, Duration b) {
        return DrillRunner.min(a, b);
    }

    private static Duration max(Duration a, Duration b) {
        return DrillRunner.max(a, b);
    }
}
