package dev.drctl.cli.daemon;

import dev.drctl.cli.ConfigOption;
import dev.drctl.cli.Host;
import dev.drctl.topology.ErrorCode;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code drctl run -c FILE}: the daemon. Watches every configured cluster until it is stopped (SIGTERM, SIGINT), and
 * acts by each cluster's {@code failover.mode}. On a stop, running runbooks get {@link #STOP_BOUND} to end; a step
 * still running then is left to the exit and the next {@code drctl run} resumes its run from the journal.
 */
@Command(name = "run", description = "Run the daemon: probe every cluster, fail over by policy, fence, notify.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:stopped (SIGTERM, SIGINT)",
                "1:the daemon failed",
                "2:bad usage or bad config",
                "3:refused: another drctl daemon watches the same state store"})
public final class RunCommand implements Callable<Integer> {
    /** How long a stop waits for running runbooks before the process exits anyway. */
    public static final Duration STOP_BOUND = Duration.ofSeconds(20);

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOption config;

    private final Host host;

    RunCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() throws InterruptedException {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        var cfg = config.load();
        var started = Daemon.start(cfg, host);
        return switch (started) {
            case Daemon.Start.Refused refused -> {
                err.println("drctl run: " + refused.summary());
                err.flush();
                yield ErrorCode.REFUSED;
            }
            case Daemon.Start.Running running -> {
                var daemon = running.daemon();
                out.println("drctl run: " + daemon.actor() + " watching " + cfg.clusters().stream()
                        .map(c -> c.name() + " (" + c.failover().mode().name().toLowerCase(Locale.ROOT)
                                .replace('_', '-') + ")").collect(Collectors.joining(", ")) + " with " + cfg.source());
                out.flush();
                var hook = new Thread(() -> daemon.stop(STOP_BOUND), "drctl-run-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    daemon.awaitStopped();
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException exiting) {
                        // the JVM is exiting: the hook stops the daemon
                    }
                    daemon.stop(STOP_BOUND);
                }
                out.println("drctl run: stopped");
                out.flush();
                yield ErrorCode.OK;
            }
        };
    }
}
