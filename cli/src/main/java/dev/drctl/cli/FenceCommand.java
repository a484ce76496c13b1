package dev.drctl.cli;

import dev.drctl.runbooks.FenceRunbook;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drctl fence CLUSTER NODE}: fence a node by hand (a returning old primary, a node an operator wants out of
 * writing) through the fence ladder of safety rule 4; journaled and under the one-actor lock like every action.
 */
@Command(name = "fence", description = "Fence a node: read-only, application sessions and logins ended, "
        + "fence-command when that does not hold.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the node is fenced (or the plan was printed)",
                "1:the node could not be fenced (it does not answer and no fence-command fenced it, or it refused)",
                "2:bad usage or bad config",
                "3:refused (the only writable primary without --force; another drctl acting)"})
final class FenceCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOption config;
    @Mixin
    OutputOption output;

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster.")
    String clusterName;

    @Parameters(index = "1", paramLabel = "NODE", description = "The node to fence.")
    String nodeName;

    @Option(names = "--dry-run", description = "Print the plan; change nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "Fence the node even when it is the cluster's only writable primary "
            + "(every write to the cluster stops).")
    boolean force;

    private final Host host;

    FenceCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        var cfg = config.load();
        var cluster = RunbookSession.cluster(cfg, clusterName);
        var node = RunbookSession.node(cluster, nodeName);
        return RunbookInvocation.execute(spec, output, cfg, cluster, host,
                RunbookSession::fence,
                FenceRunbook.request(node, force), dryRun);
    }
}
