package dev.drctl.cli;

import dev.drctl.runbooks.FailoverRunbook;
import dev.drctl.runbooks.PromotionSteps;
import dev.drctl.runbooks.Trigger;
import dev.drctl.topology.NodeName;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drctl failover CLUSTER [--to NODE] [--dry-run] [--accept-data-loss] [--former-primary NODE]}: the unplanned failover, run by a person.
 * The outage is confirmed with the command's own probe burst; the refusals of the safety rules exit 3 with the reason
 * and what to do instead.
 */
@Command(name = "failover", description = "Unplanned failover: promote the best (or the named) replica.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:failed over (or, with --dry-run, the plan was printed)",
                "1:the failover failed (the output says at which step; the journal has every step)",
                "2:bad usage or bad config",
                "3:refused by a safety rule (primary alive, drctl partitioned, death not confirmed by a majority of the "
                        + "replicas, RPO guard or unknown data loss, --to not eligible, another drctl acting)"})
final class FailoverCommand implements Callable<Integer> {
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

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster whose primary is gone.")
    String clusterName;

    @Option(names = "--to", paramLabel = "NODE", description = "Promote this replica instead of the best one.")
    String to;

    @Option(names = "--dry-run", description = "Print the plan with the chosen candidate and its reasons; change nothing.")
    boolean dryRun;

    @Option(names = "--accept-data-loss", description = "Promote even if the candidate is behind by more than max-lag "
            + "(or an unknown amount); journaled as accepted data loss.")
    boolean acceptDataLoss;

    @Option(names = "--former-primary", paramLabel = "NODE", description = "Assert that NODE was the primary and is "
            + "gone, when the replicas cannot confirm it by a majority (a lost data centre); journaled as your assertion. "
            + "Never overrides a replica still streaming from it.")
    String formerPrimary;

    private final Host host;

    FailoverCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        var cfg = config.load();
        var cluster = RunbookSession.cluster(cfg, clusterName);
        Optional<NodeName> target = to == null ? Optional.empty() : Optional.of(RunbookSession.node(cluster, to));
        Optional<NodeName> former = formerPrimary == null ? Optional.empty()
                : Optional.of(RunbookSession.node(cluster, formerPrimary));
        return RunbookInvocation.execute(spec, output, cfg, cluster, operator.apply(host),
                session -> session.failover(PromotionSteps.Probe.roundsFor(cluster)),
                FailoverRunbook.request(target, acceptDataLoss, former, Trigger.MANUAL), dryRun);
    }
}
