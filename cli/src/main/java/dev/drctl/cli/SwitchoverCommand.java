package dev.drctl.cli;

import dev.drctl.runbooks.SwitchoverRunbook;
import dev.drctl.topology.NodeName;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drctl switchover CLUSTER [--to NODE] [--dry-run]}: the planned change of primary; the primary is demoted
 * first and the candidate promoted only once it holds everything, so no acknowledged write is lost.
 */
@Command(name = "switchover", description = "Planned switchover: demote the primary, wait for zero lag, promote.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:switched over (or, with --dry-run, the plan was printed)",
                "1:the switchover failed (a candidate that did not catch up has its primary's demotion undone)",
                "2:bad usage or bad config",
                "3:refused by a safety rule (no writable primary, unhealthy or lagging candidate, another drctl acting)"})
final class SwitchoverCommand implements Callable<Integer> {
    /** How long the candidate may take to reach the demoted primary's position before the demotion is undone. */
    static final Duration CATCH_UP = Duration.ofSeconds(30);

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    OperatorOption operator;
    @Mixin
    ConfigOption config;
    @Mixin
    OutputOption output;
    @Mixin
    ConfirmOption confirm;

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster to switch over.")
    String clusterName;

    @Option(names = "--to", paramLabel = "NODE", description = "Make this replica the primary instead of the best one.")
    String to;

    @Option(names = "--dry-run", description = "Print the plan; change nothing.")
    boolean dryRun;

    private final Host host;

    SwitchoverCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        var cfg = config.load();
        var cluster = RunbookSession.cluster(cfg, clusterName);
        Optional<NodeName> target = to == null ? Optional.empty() : Optional.of(RunbookSession.node(cluster, to));
        return RunbookInvocation.execute(spec, output, cfg, cluster, operator.apply(host),
                session -> session.withSwitchoverDnsSteps(SwitchoverRunbook.create(session.probes, session.promoter,
                        session.store, session::rejoinContext, CATCH_UP)),
                SwitchoverRunbook.request(target), dryRun);
    }
}
