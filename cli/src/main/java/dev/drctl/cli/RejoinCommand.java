package dev.drctl.cli;

import dev.drctl.runbooks.RejoinRunbook;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drctl rejoin CLUSTER NODE}: a former primary becomes a replica of the current primary (fenced first;
 * PostgreSQL via pg_rewind on a local testenv server, or the commands for a remote host; MySQL/MariaDB by GTID,
 * refused when it has errant transactions).
 */
@Command(name = "rejoin", description = "Turn a former primary into a replica of the current primary.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the node is a replica of the primary (or the commands to make it one were printed)",
                "1:the rejoin failed",
                "2:bad usage or bad config",
                "3:refused (no primary to follow, errant transactions, another drctl acting)"})
final class RejoinCommand implements Callable<Integer> {
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

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster.")
    String clusterName;

    @Parameters(index = "1", paramLabel = "NODE", description = "The node to turn into a replica.")
    String nodeName;

    private final Host host;

    RejoinCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        var cfg = config.load();
        var cluster = RunbookSession.cluster(cfg, clusterName);
        var node = RunbookSession.node(cluster, nodeName);
        return RunbookInvocation.execute(spec, output, cfg, cluster, operator.apply(host),
                session -> RejoinRunbook.create(session.probes, session.promoter, session.store,
                        session::rejoinContext),
                RejoinRunbook.request(node), false);
    }
}
