package dev.drctl.cli;

import dev.drctl.compliance.StateStore;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.runbooks.FailoverRunbook;
import dev.drctl.runbooks.FenceRunbook;
import dev.drctl.runbooks.RunListener;
import dev.drctl.runbooks.RunResult;
import dev.drctl.runbooks.Runbook;
import dev.drctl.runbooks.RunbookEngine;
import dev.drctl.runbooks.StepReport;
import dev.drctl.runbooks.Trigger;
import dev.drctl.runbooks.watch.RunbookLauncher;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.NodeName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's runbooks, composed exactly as the commands compose them ({@link RunbookSession}: the same failover
 * with its DNS steps, the same fence ladder), with the daemon's store, its started probe scheduler (whose history
 * already confirms an outage: the failover's probe step takes one round) and its engine, acting as the daemon.
 */
public final class DaemonRunbooks implements RunbookLauncher {
    private static final Logger log = LoggerFactory.getLogger(DaemonRunbooks.class);

    private final DrctlConfig config;
    private final Host host;
    private final StateStore store;
    private final ProbeScheduler probes;
    private final RunbookEngine engine;
    private final UnaryOperator<Runbook> shape;

    private DaemonRunbooks(DrctlConfig config, Host host, StateStore store, ProbeScheduler probes, RunbookEngine engine,
                           UnaryOperator<Runbook> shape) {
        this.config = Objects.requireNonNull(config, "config");
        this.host = Objects.requireNonNull(host, "host");
        this.store = Objects.requireNonNull(store, "store");
        this.probes = Objects.requireNonNull(probes, "probes");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.shape = shape;
    }

    public static DaemonRunbooks of(DrctlConfig config, Host host, StateStore store, ProbeScheduler probes,
                                    RunbookEngine engine) {
        return new DaemonRunbooks(config, host, store, probes, engine, UnaryOperator.identity());
    }

    /** These runbooks with every failover changed by {@code change}: tests add a crash point. */
    DaemonRunbooks shapingFailover(UnaryOperator<Runbook> change) {
        return new DaemonRunbooks(config, host, store, probes, engine, change);
    }

    @Override
    public RunResult failover(ClusterSpec cluster) {
        try (var session = RunbookSession.attach(config, cluster, host, store, probes, engine)) {
            return engine.run(shape.apply(session.failover(1)), cluster,
                    FailoverRunbook.request(Optional.empty(), false, Trigger.AUTOMATIC), logged(cluster, "failover"));
        }
    }

    @Override
    public RunResult fence(ClusterSpec cluster, NodeName node) {
        try (var session = RunbookSession.attach(config, cluster, host, store, probes, engine)) {
            return engine.run(session.fence(), cluster, FenceRunbook.request(node, false, Trigger.AUTOMATIC),
                    logged(cluster, "fence"));
        }
    }

    /** The run's progress in the daemon's log, a line per step. */
    private static RunListener logged(ClusterSpec cluster, String what) {
        return new RunListener() {
            @Override
            public void runStarted(String runId, boolean resumed, List<String> doneBefore) {
                log.info("{}: {} run {} {}", cluster.name(), what, runId, resumed ? "resumed; done before: "
                        + doneBefore : "started");
            }

            @Override
            public void stepFinished(StepReport report) {
                // as the one-shot commands print a step: name, status, time, what it found (never the record's fields)
                log.info("{}: {} step {}: {} in {} ms{}", cluster.name(), what, report.step(), report.status(),
                        report.took().toMillis(), report.outcome().map(o -> " (" + o.detail() + ")").orElse(""));
            }
        };
    }
}
