package dev.drctl.cli;

import picocli.CommandLine.Command;

/**
 * The root command: one subcommand per row of DESIGN.md's usage table. {@code help} and {@code completion} are added
 * by {@link Drctl#commandLine}; every row of the table is built. The root's own attributes (name, version,
 * description, exit codes) are on {@link DrctlRoot}, so that a command line can be built for one subcommand without
 * the others (see {@link Drctl#commandLine(Host, String...)}).
 */
@Command(
        subcommands = {
                dev.drctl.cli.daemon.RunCommand.class,
                StatusCommand.class,
                CandidatesCommand.class,
                FailoverCommand.class,
                SwitchoverCommand.class,
                RejoinCommand.class,
                FenceCommand.class,
                MaintenanceCommand.class,
                AckCommand.class,
                DrillCommand.class,
                AuditCommand.class,
                DnsCommand.class,
                NotifyCommand.class,
                ReloadCommand.class,
                DemoCommand.class,
                TestenvCommand.class,
                ConfigCommand.class,
        },
        name = "drctl")
public final class DrctlCommand extends DrctlRoot {
}
