package dev.drctl.cli;

import picocli.CommandLine.Command;

/**
 * The root command: one subcommand per row of DESIGN.md's usage table. {@code help} and {@code completion} are added
 * by {@link Drctl#commandLine}; every row of the table is built.
 */
@Command(name = "drctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Disaster-recovery orchestrator for PostgreSQL and MySQL/MariaDB.",
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
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:ok (including 'no action needed')",
                "1:the operation failed",
                "2:bad usage or bad config",
                "3:refused by a safety rule"})
public final class DrctlCommand {
}
