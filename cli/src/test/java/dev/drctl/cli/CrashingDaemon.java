package dev.drctl.cli;

import dev.drctl.cli.daemon.Daemon;
import dev.drctl.runbooks.FailoverRunbook;
import dev.drctl.runbooks.HookStep;
import dev.drctl.topology.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM's {@code drctl run} whose failover runbook has one extra hook step right after {@code promote}: it
 * touches a marker file and blocks until the parent kills this JVM with SIGKILL (the production runbook has no such
 * step; the test builds it here, through the daemon's own composition).
 */
public final class CrashingDaemon {
    private CrashingDaemon() {
    }

    public static void main(String[] args) throws InterruptedException {
        var config = ConfigLoader.load(Path.of(args[0]));
        var marker = Path.of(args[1]);
        var host = new Host(java.time.Clock.systemUTC(), System.getenv(), "crashing-daemon");
        var started = Daemon.start(config, host, (c, parts) -> DaemonRunbooks.of(c, host, parts.store(),
                parts.probes(), parts.engine()).shapingFailover(r -> r.withStepAfter(FailoverRunbook.PROMOTE,
                new HookStep("crash-point", "touch '" + marker + "' && exec sleep 600", Duration.ofMinutes(10), true,
                        null))));
        if (started instanceof Daemon.Start.Running running) {
            System.out.println("crashing daemon watching " + config.clusters().getFirst().name());
            System.out.flush();
            running.daemon().awaitStopped();
        } else {
            System.out.println("refused: " + started);
            System.exit(3);
        }
    }
}
