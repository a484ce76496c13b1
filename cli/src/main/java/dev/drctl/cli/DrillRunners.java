package dev.drctl.cli;

import dev.drctl.cli.daemon.Daemon;
import dev.drctl.cli.daemon.RunCommand;
import dev.drctl.compliance.Actor;
import dev.drctl.compliance.StateStore;
import dev.drctl.notifiers.Outbox;
import dev.drctl.runbooks.drill.DrillActor;
import dev.drctl.runbooks.drill.DrillEnvironment;
import dev.drctl.runbooks.drill.DrillErrorCode;
import dev.drctl.runbooks.drill.DrillRunner;
import dev.drctl.runbooks.drill.LocalDrillEnvironment;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.DrillSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How drills are composed, for {@code drctl drill run} and for the daemon's scheduled drills alike: the environments
 * this build provisions and the actor (the daemon's own supervision, in this process, on the environment's config).
 */
public final class DrillRunners {
    private DrillRunners() {
    }

    /**
     * A runner journaling into {@code store} as {@code who}; results are told through {@code outbox} when present.
     * Environments are built under {@code java.io.tmpdir}/drctl-drills and removed afterwards.
     */
    public static DrillRunner runner(DrctlConfig config, StateStore store, Optional<Outbox> outbox, Host host, Actor who) {
        return new DrillRunner(config, store, outbox, environments(), daemon(host), host.clock(), who,
                Path.of(System.getProperty("java.io.tmpdir")).resolve("drctl-drills"),
                Optional.of(GameDayCluster.opener(host)));
    }

    /** The environments this build provisions; {@code testcontainers} plugs in here when it is built. */
    public static Map<DrillSpec.Environment, DrillEnvironment.Provisioner> environments() {
        return Map.of(DrillSpec.Environment.LOCAL, LocalDrillEnvironment::provision);
    }

    /** The real daemon, in this process, on the drill environment's config (its own store, DNS file and lock). */
    public static DrillActor daemon(Host host) {
        return config -> switch (Daemon.start(config, host)) {
            case Daemon.Start.Running running -> () -> running.daemon().stop(RunCommand.STOP_BOUND);
            case Daemon.Start.Refused refused -> throw new DrctlException(DrillErrorCode.ENVIRONMENT,
                    "the daemon would not watch the drill's environment: " + refused.summary());
        };
    }
}
