package dev.drctl.cli;

import dev.drctl.cli.daemon.Daemon;
import dev.drctl.runbooks.FailoverRunbook;
import dev.drctl.runbooks.HookStep;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.DrctlConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM's coordinated {@code drctl run} (args: config, marker, daemon id) whose failover runbook has one extra
 * hook step right after {@code promote}. The first daemon to reach it (whichever leads) takes the marker directory,
 * touches the marker file and blocks until the test kills it with SIGKILL; a daemon that reaches it later, resuming
 * the same run, passes straight through. The production runbook has no such step: the test builds it here, through the
 * daemon's own composition.
 */
public final class CoordinatedCrashingDaemon {
    private CoordinatedCrashingDaemon() {
    }

    public static void main(String[] args) throws InterruptedException {
        var loaded = ConfigLoader.load(Path.of(args[0]));
        var marker = Path.of(args[1]);
        var config = new DrctlConfig(loaded.source(), loaded.clusters(), loaded.notifications(), loaded.compliance(),
                loaded.drills(), loaded.coordination().map(c -> c.withDaemonId(args[2])), loaded.automation(),
                loaded.daemon());
        var host = new Host(java.time.Clock.systemUTC(), System.getenv(), "coordinated-crashing-daemon");
        var first = "mkdir '" + marker + ".d' 2>/dev/null && touch '" + marker + "' && exec sleep 600 || true";
        var started = Daemon.start(config, host, (c, parts) -> DaemonRunbooks.of(c, host, parts.store(),
                parts.probes(), parts.engine()).shapingFailover(r -> r.withStepAfter(FailoverRunbook.PROMOTE,
                new HookStep("crash-point", first, Duration.ofMinutes(10), true, null))));
        if (started instanceof Daemon.Start.Running running) {
            System.out.println("coordinated crashing daemon " + args[2] + " watching "
                    + config.clusters().getFirst().name());
            System.out.flush();
            running.daemon().awaitStopped();
        } else {
            System.out.println("refused: " + started);
            System.exit(3);
        }
    }
}
