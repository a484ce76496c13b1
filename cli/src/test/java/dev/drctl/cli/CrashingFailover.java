package dev.drctl.cli;

import dev.drctl.runbooks.FailoverRunbook;
import dev.drctl.runbooks.HookStep;
import dev.drctl.runbooks.PromotionSteps;
import dev.drctl.runbooks.Trigger;
import dev.drctl.topology.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A child JVM's {@code drctl failover} whose runbook has one extra hook step right after {@code promote}: it touches
 * a marker file and then blocks until the parent kills this JVM with SIGKILL (the production runbook has no such
 * step; the test builds it here).
 */
public final class CrashingFailover {
    private CrashingFailover() {
    }

    public static void main(String[] args) {
        var config = ConfigLoader.load(Path.of(args[0]));
        var marker = Path.of(args[1]);
        var host = new Host(java.time.Clock.systemUTC(), java.util.Map.of(), "crashing-child");
        var cluster = config.clusters().getFirst();
        var out = new PrintWriter(System.out, true);
        try (var session = RunbookSession.open(config, cluster, host)) {
            var runbook = FailoverRunbook.create(session.probes, PromotionSteps.Probe.roundsFor(cluster),
                    session.promoter, session.store).withStepAfter(FailoverRunbook.PROMOTE,
                    new HookStep("crash-point", "touch '" + marker + "' && exec sleep 600", Duration.ofMinutes(10), true,
                            null));
            var result = session.engine.run(runbook, cluster, FailoverRunbook.request(Optional.empty(), false,
                    Trigger.MANUAL), new RunProgress(out));
            RunProgress.printResult(out, out, result);
            System.exit(result.exitCode());
        }
    }
}
