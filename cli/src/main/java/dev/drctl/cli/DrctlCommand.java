package dev.drctl.cli;

import picocli.CommandLine.Command;

/**
 * The root command: one subcommand per row of DESIGN.md's usage table. {@code help} and {@code completion} are added
 * by {@link Drctl#commandLine}; the rows not built yet ({@code run}, {@code drill}, {@code demo}) are hidden. The
 * root's own attributes (name, version, description, exit codes) are on {@link DrctlRoot}, so that a command line
 * can be built for one subcommand without the others (see {@link Drctl#commandLine(Host, String...)}).
 */
@Command(
        subcommands = {
                DrctlCommand.Run.class,
                StatusCommand.class,
                CandidatesCommand.class,
                FailoverCommand.class,
                SwitchoverCommand.class,
                RejoinCommand.class,
                FenceCommand.class,
                DrctlCommand.Drill.class,
                AuditCommand.class,
                DnsCommand.class,
                NotifyCommand.class,
                DrctlCommand.Demo.class,
                TestenvCommand.class,
                ConfigCommand.class,
        },
        name = "drctl")
public final class DrctlCommand extends DrctlRoot {

    @Command(name = "run", hidden = true, description = "Run the daemon: probe, analyse, fail over by policy, drill, notify.")
    static final class Run extends PendingCommand {
    }

    @Command(name = "drill", hidden = true, description = "Run and list DR drills.")
    static final class Drill extends PendingCommand {
    }

    @Command(name = "demo", hidden = true, description = "A real local topology and a failover you can watch.")
    static final class Demo extends PendingCommand {
    }
}
