package dev.drctl.cli;

import picocli.CommandLine.Command;

/**
 * The root command's own attributes, without its subcommands: picocli builds the model of every listed subcommand
 * (by reflection, a good part of a command's start-up), so a command line made for one subcommand starts from this
 * class and adds just that one. {@link DrctlCommand} lists the subcommands and inherits the rest from here.
 */
@Command(name = "drctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Disaster-recovery orchestrator for PostgreSQL and MySQL/MariaDB.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:ok (including 'no action needed')",
                "1:the operation failed",
                "2:bad usage or bad config",
                "3:refused by a safety rule"})
class DrctlRoot {
}
