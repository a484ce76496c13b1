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
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

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

    /**
     * The environments this process can provision: {@code local}, and those whose jar is on the class path, found
     * through {@link ServiceLoader} ({@code testcontainers}: drctl-containers.jar, which the launcher appends when it
     * is built).
     */
    public static Map<DrillSpec.Environment, DrillEnvironment.Provisioner> environments() {
        var environments = new EnumMap<DrillSpec.Environment, DrillEnvironment.Provisioner>(DrillSpec.Environment.class);
        environments.put(DrillSpec.Environment.LOCAL, LocalDrillEnvironment::provision);
        try {
            for (var addOn : ServiceLoader.load(DrillEnvironment.AddOn.class)) {
                environments.putIfAbsent(addOn.environment(), addOn);
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            // a damaged or mismatched add-on jar: its environment is missing, and requireAvailable says so
        }
        return environments;
    }

    /**
     * Refuses (exit 2) a drill whose environment ships in a jar that is not on the class path, saying which jar and
     * how to get it.
     */
    public static void requireAvailable(DrillSpec drill) {
        if (drill.environment() == DrillSpec.Environment.TESTCONTAINERS
                && !environments().containsKey(drill.environment())) {
            throw new DrctlException(DrillErrorCode.UNKNOWN_DRILL, "drill " + drill.name() + ": environment "
                    + "'testcontainers' needs drctl-containers.jar (Testcontainers), which is not on drctl's class path."
                    + " Build it with ./mvnw -B -pl containers -am package -DskipTests: the ./drctl launcher adds"
                    + " containers/target/drctl-containers.jar by itself (else java -cp drctl.jar:drctl-containers.jar"
                    + " dev.drctl.cli.Drctl ...); or use environment: local");
        }
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
