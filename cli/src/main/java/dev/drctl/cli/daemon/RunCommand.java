package dev.drctl.cli.daemon;

import dev.drctl.cli.ConfigOption;
import dev.drctl.cli.Host;
import dev.drctl.cli.StderrLogging;
import dev.drctl.topology.ErrorCode;
import java.time.Duration;
import dev.drctl.topology.DrctlConfig;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code drctl run -c FILE}: the daemon. Watches every configured cluster until it is stopped (SIGTERM, SIGINT), and
 * acts by each cluster's {@code failover.mode}. On a stop, running runbooks get {@link #STOP_BOUND} to end; a step
 * still running then is left to the exit and the next {@code drctl run} resumes its run from the journal; the process
 * exits within {@link DaemonSignals#EXIT_BOUND} of SIGTERM. Serves {@code /health} and {@code /metrics} at
 * {@code daemon.listen}; SIGHUP and {@code drctl reload} re-read the config ({@link ConfigReload}).
 */
@Command(name = "run", description = "Run the daemon: probe every cluster, fail over by policy, fence, notify.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:stopped (SIGTERM, SIGINT)",
                "1:the daemon failed",
                "2:bad usage or bad config",
                "3:refused: another drctl daemon watches the same state store, or (coordinated) another live daemon "
                        + "has the same daemon id"})
public final class RunCommand implements Callable<Integer> {
    /** How long a stop waits for running runbooks before the process exits anyway (see {@link DaemonSignals}). */
    public static final Duration STOP_BOUND = DaemonSignals.STOP_BOUND;
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOption config;
    @Mixin
    LogFormatOption logFormat;
    @CommandLine.Option(names = "--daemon-id", paramLabel = "ID",
            description = "This daemon's id among daemons coordinated through ZooKeeper (overrides "
                    + "coordination.daemon-id; default: the host name and a hash of compliance.store).")
    String daemonId;

    private final Host host;

    RunCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() throws InterruptedException {
        logFormat.apply();
        StderrLogging.daemonDefault(host.environment());
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        var cfg = withDaemonId(config.load());
        // read before anything starts: a token that cannot be read is bad config (exit 2), not a daemon without one
        var token = cfg.daemon().token().map(t -> t.resolve(host.environment()));
        var started = Daemon.start(cfg, host);
        return switch (started) {
            case Daemon.Start.Refused refused -> {
                err.println("drctl run: " + refused.summary());
                err.flush();
                yield ErrorCode.REFUSED;
            }
            case Daemon.Start.Running running -> {
                var daemon = running.daemon();
                // the stop hook first: from here on a SIGTERM stops the daemon within the bound
                var endpointRef = new java.util.concurrent.atomic.AtomicReference<DaemonEndpoint>();
                // said by whoever stops the daemon, once: after a signal the JVM exits when the hook returns, before
                // this thread would get to say it
                var saidStopped = new java.util.concurrent.atomic.AtomicBoolean();
                Runnable sayStopped = () -> {
                    if (saidStopped.compareAndSet(false, true)) {
                        out.println("drctl run: stopped");
                        out.flush();
                    }
                };
                var hook = DaemonSignals.onTerminate(bound -> {
                    Optional.ofNullable(endpointRef.get()).ifPresent(DaemonEndpoint::close);
                    daemon.stop(bound);
                    sayStopped.run();
                });
                var reload = new ConfigReload(cfg.source(), host.clock().instant(), next -> apply(daemon, next),
                        Optional.of(daemon.store().journal()), daemon.actor(), host.clock());
                daemon.configState(reload::state);
                DaemonEndpoint endpoint;
                try {
                    endpoint = DaemonEndpoint.start(cfg.daemon(), token, daemon.metrics(), daemon::view,
                            Optional.of(reload::reload));
                } catch (RuntimeException e) {
                    removeHook(hook);
                    daemon.stop(STOP_BOUND);
                    throw e;
                }
                endpointRef.set(endpoint);
                DaemonSignals.onHangup(() -> reload.reload("SIGHUP"));
                out.println("drctl run: " + daemon.actor() + " watching " + cfg.clusters().stream()
                        .map(c -> c.name() + " (" + c.failover().mode().name().toLowerCase(Locale.ROOT)
                                .replace('_', '-') + ")").collect(Collectors.joining(", ")) + " with " + cfg.source()
                        + "; /health and /metrics on " + endpoint.uri());
                out.flush();
                try {
                    daemon.awaitStopped();
                } finally {
                    removeHook(hook);
                    endpoint.close();
                    daemon.stop(STOP_BOUND);
                }
                sayStopped.run();
                yield ErrorCode.OK;
            }
        };
    }

    /** The config with {@code --daemon-id} applied; the option without {@code coordination:} is bad usage. */
    private DrctlConfig withDaemonId(DrctlConfig cfg) {
        if (daemonId == null) {
            return cfg;
        }
        if (cfg.coordination().isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--daemon-id " + daemonId + ": the config "
                    + cfg.source() + " has no coordination: section; a daemon id names one of several daemons "
                    + "coordinated through ZooKeeper (see docs/ha.md)");
        }
        if (!dev.drctl.topology.CoordinationSpec.DAEMON_ID.matcher(daemonId).matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--daemon-id \"" + daemonId + "\": "
                    + dev.drctl.topology.CoordinationSpec.DAEMON_ID_EXPECTED);
        }
        return new DrctlConfig(cfg.source(), cfg.clusters(), cfg.notifications(), cfg.compliance(), cfg.drills(),
                cfg.coordination().map(c -> c.withDaemonId(daemonId)), cfg.automation(), cfg.daemon());
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook stops the daemon
        }
    }

    /**
     * A reloaded config, as far as a running daemon can take it: the state store cannot change under it (refused);
     * what {@link Daemon#apply} cannot apply before a restart, and a changed {@code daemon:} endpoint, are applied at
     * the next start and said now.
     */
    static Optional<String> apply(Daemon daemon, DrctlConfig next) {
        var current = daemon.config();
        if (!next.compliance().store().equals(current.compliance().store())) {
            return Optional.of("compliance.store changed; a running daemon cannot move to another state store: restart "
                    + "drctl run to use it");
        }
        var later = new java.util.ArrayList<>(daemon.apply(next));
        if (!next.daemon().equals(current.daemon())) {
            later.add("daemon.listen/daemon.token changed: the endpoint keeps " + current.daemon().listen()
                    + " until a restart");
        }
        // the ensemble and the session are the daemon's from its start (its id too: --daemon-id is not in the file)
        java.util.function.Function<DrctlConfig, Optional<java.util.List<Object>>> ensemble = c -> c.coordination()
                .map(z -> java.util.List.of(z.servers(), z.namespace(), z.sessionTimeout()));
        if (!ensemble.apply(next).equals(ensemble.apply(current))) {
            later.add("coordination: changed: this daemon stays with " + current.coordination()
                    .map(z -> "ZooKeeper " + z.connectString() + " (namespace " + z.namespace() + ")")
                    .orElse("no coordination") + " until a restart");
        }
        later.forEach(l -> LOG.warn("reload: {}", l));
        return Optional.empty();
    }
}
