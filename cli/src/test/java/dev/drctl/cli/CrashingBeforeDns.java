package dev.drctl.cli;

import dev.drctl.runbooks.FailoverRunbook;
import dev.drctl.runbooks.HookStep;
import dev.drctl.runbooks.PromotionSteps;
import dev.drctl.runbooks.Trigger;
import dev.drctl.runbooks.SwitchWriterDns;
import dev.drctl.topology.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A child JVM's {@code drctl failover} with one extra hook step right before {@code switch-writer-dns}: the database
 * is promoted and the epoch advanced, the writer record not yet moved. The hook touches a marker file and blocks until
 * the parent kills this JVM with SIGKILL.
 */
public final class CrashingBeforeDns {
    private CrashingBeforeDns() {
    }

    public static void main(String[] args) {
        var config = ConfigLoader.load(Path.of(args[0]));
        var marker = Path.of(args[1]);
        var host = new Host(java.time.Clock.systemUTC(), java.util.Map.of(), "crashing-child");
        var cluster = config.clusters().getFirst();
        var out = new PrintWriter(System.out, true);
        try (var session = RunbookSession.open(config, cluster, host)) {
            var runbook = session.withDnsSteps(FailoverRunbook.create(session.probes,
                    PromotionSteps.Probe.roundsFor(cluster), session.promoter, session.store))
                    .withStepBefore(SwitchWriterDns.NAME, new HookStep("crash-point", "touch '" + marker
                            + "' && exec sleep 600", Duration.ofMinutes(10), true, null));
            var result = session.engine.run(runbook, cluster, FailoverRunbook.request(Optional.empty(), false,
                    Trigger.MANUAL), new RunProgress(out));
            RunProgress.printResult(out, out, result);
            System.exit(result.exitCode());
        }
    }
}
