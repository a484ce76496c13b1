package dev.drctl.cli;

import dev.drctl.compliance.AutomationTable;
import dev.drctl.compliance.Maintenance;
import dev.drctl.runbooks.RunbookErrorCode;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.ErrorCode;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drctl maintenance on|off CLUSTER}: pause automation for a cluster (planned work on its nodes) and resume it.
 * Kept in the state store, so every daemon sees it, and journaled with who and why. Only automation pauses: a person
 * may still run {@code failover}, {@code switchover}, {@code fence} or {@code rejoin} on the cluster.
 */
@Command(name = "maintenance", description = "Pause automation for a cluster during planned work, and resume it; "
        + "journaled. Manual commands (failover, switchover, fence, rejoin) are not blocked.",
        subcommands = {MaintenanceCommand.On.class, MaintenanceCommand.Off.class})
final class MaintenanceCommand extends CommandGroup {
    @Override
    String example() {
        return "drctl maintenance on CLUSTER --reason TEXT";
    }

    /** One cluster's maintenance mode in {@code -o json}; the field names are a contract. */
    record Result(String cluster, boolean maintenance, boolean changed, String reason, String by, String since,
                  Long journalSeq, String message) {
    }

    static Result result(String cluster, AutomationTable.Change<Maintenance> change, String message) {
        var now = change.after().or(change::before);
        return new Result(cluster, change.after().isPresent(), change.changed(),
                now.map(Maintenance::reason).orElse(null), now.map(m -> m.by().value()).orElse(null),
                now.map(m -> m.since().toString()).orElse(null),
                change.journaled().map(e -> e.seq()).orElse(null), message);
    }

    static int print(CommandLine.Model.CommandSpec spec, OutputOption output, Result result) throws Exception {
        var out = spec.commandLine().getOut();
        switch (output.format()) {
            case TABLE -> out.println(result.message());
            case JSON -> out.println(Json.pretty(result));
        }
        out.flush();
        return ErrorCode.OK;
    }

    @Command(name = "on", description = "Put a cluster in maintenance: the daemon automates nothing on it (no "
            + "automatic failover; it still probes and pages) until 'maintenance off'. A person may still act by hand. "
            + "Journaled with --reason and the operator.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                    "0:the cluster is in maintenance (now, or already was: then nothing is journaled)",
                    "1:the state store could not be written",
                    "2:bad usage or bad config, unknown cluster, no --reason"})
    static final class On implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        OperatorOption operator;
        @Mixin
        ConfigOption config;
        @Mixin
        OutputOption output;

        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster.")
        String clusterName;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (journaled), e.g. a "
                + "change ticket: \"kernel upgrade, CHG-4411\".")
        String reason;

        private final Host host;

        On(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() throws Exception {
            var cfg = config.load();
            var cluster = RunbookSession.cluster(cfg, clusterName);
            if (reason.isBlank()) {
                throw new DrctlException(RunbookErrorCode.BAD_ARGUMENT, "--reason is blank; say why the cluster goes "
                        + "into maintenance (it is journaled), e.g. --reason \"kernel upgrade, CHG-4411\"");
            }
            var actor = AuditCommand.user(operator.apply(host));
            AutomationTable.Change<Maintenance> change;
            try (var store = AuditCommand.open(cfg, host)) {
                change = store.automation().maintenanceOn(cluster.name(), reason.strip(), actor);
            }
            var m = change.after().orElseThrow();
            var name = cluster.name().value();
            var message = (change.changed() ? name + " is now in maintenance" : name + " was already in maintenance")
                    + " (since " + m.since() + " by " + m.by() + ": " + m.reason() + "). The daemon automates nothing on "
                    + "it; it still probes and pages. Manual commands are not blocked. End it with: drctl maintenance off "
                    + name;
            return print(spec, output, result(name, change, message));
        }
    }

    @Command(name = "off", description = "End a cluster's maintenance: automation resumes (failover mode, cooldown "
            + "and circuit breaker apply as usual). Journaled with the operator.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                    "0:automation resumed (or the cluster was not in maintenance: nothing journaled)",
                    "1:the state store could not be written",
                    "2:bad usage or bad config, unknown cluster"})
    static final class Off implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        OperatorOption operator;
        @Mixin
        ConfigOption config;
        @Mixin
        OutputOption output;

        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster.")
        String clusterName;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why it ends (journaled), e.g. \"upgrade done\".")
        String reason;

        private final Host host;

        Off(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() throws Exception {
            var cfg = config.load();
            var cluster = RunbookSession.cluster(cfg, clusterName);
            var actor = AuditCommand.user(operator.apply(host));
            AutomationTable.Change<Maintenance> change;
            try (var store = AuditCommand.open(cfg, host)) {
                change = store.automation().maintenanceOff(cluster.name(),
                        Optional.ofNullable(reason).map(String::strip).filter(r -> !r.isEmpty()), actor);
            }
            var name = cluster.name().value();
            var message = change.changed()
                    ? name + " is out of maintenance (it was since " + change.before().orElseThrow().since() + " by "
                            + change.before().orElseThrow().by() + "): automation resumes"
                    : name + " was not in maintenance; nothing changed";
            return print(spec, output, result(name, change, message));
        }
    }
}
