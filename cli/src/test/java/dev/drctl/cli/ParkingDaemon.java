package dev.drctl.cli;

import dev.drctl.cli.daemon.Daemon;
import dev.drctl.cli.daemon.DaemonSignals;
import dev.drctl.runbooks.FailoverRunbook;
import dev.drctl.runbooks.HookStep;
import dev.drctl.topology.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM's {@code drctl run} with drctl run's own SIGTERM handling ({@link DaemonSignals#onTerminate}) whose
 * failover runbook has one extra hook step right after {@code promote}: it touches a marker file and then runs for
 * ten minutes, far past the stop bound, so a SIGTERM finds a step that cannot finish in time and must be parked.
 */
public final class ParkingDaemon {
    private ParkingDaemon() {
    }

    public static void main(String[] args) throws InterruptedException {
        var config = ConfigLoader.load(Path.of(args[0]));
        var marker = Path.of(args[1]);
        var host = new Host(java.time.Clock.systemUTC(), System.getenv(), "parking-daemon");
        var started = Daemon.start(config, host, (c, parts) -> DaemonRunbooks.of(c, host, parts.store(),
                parts.probes(), parts.engine()).shapingFailover(r -> r.withStepAfter(FailoverRunbook.PROMOTE,
                new HookStep("long-step", "touch '" + marker + "' && exec sleep 600", Duration.ofMinutes(10), true,
                        null))));
        if (started instanceof Daemon.Start.Running running) {
            DaemonSignals.onTerminate(running.daemon()::stop);
            System.out.println("parking daemon watching " + config.clusters().getFirst().name());
            System.out.flush();
            running.daemon().awaitStopped();
        } else {
            System.out.println("refused: " + started);
            System.exit(3);
        }
    }
}
