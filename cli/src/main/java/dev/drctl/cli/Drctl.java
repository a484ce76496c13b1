package dev.drctl.cli;

import picocli.CommandLine;

/** The program's entry point: builds the command tree and exits with its code. */
public final class Drctl {
    private Drctl() {
    }

    public static void main(String[] args) {
        System.exit(commandLine(Host.ofProcess()).execute(args));
    }

    /** The configured command tree; tests call {@code execute()} on it with their own writers. */
    public static CommandLine commandLine(Host host) {
        var cl = new CommandLine(new DrctlCommand(), new CommandFactory(host));
        cl.addSubcommand("help", new HelpCommand());
        cl.addSubcommand("completion", new CompletionCommand());
        equipForHelp(cl);
        cl.setExecutionExceptionHandler(new DrctlExceptionHandler());
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(host.colour() ? CommandLine.Help.Ansi.ON
                : CommandLine.Help.Ansi.OFF));
        return cl;
    }

    /**
     * Every command and subcommand answers {@code -h/--help} (picocli then skips the checks of required parameters,
     * so {@code drctl failover --help} shows help instead of "missing CLUSTER") and shows its examples under the
     * usage. Done by walking the tree so a command added later gets both without remembering to.
     */
    static void equipForHelp(CommandLine cl) {
        var spec = cl.getCommandSpec();
        if (spec.options().stream().noneMatch(CommandLine.Model.OptionSpec::usageHelp)) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help and exit.").build());
        }
        var examples = UsageExamples.of(spec.qualifiedName());
        if (!examples.isEmpty()) {
            var footer = new java.util.ArrayList<>(java.util.Arrays.asList(spec.usageMessage().footer()));
            footer.add("%nExamples:");
            examples.forEach(e -> footer.add("  " + e.replace("%", "%%")));
            spec.usageMessage().footer(footer.toArray(String[]::new));
        }
        cl.getSubcommands().values().stream().distinct().forEach(Drctl::equipForHelp);
    }
}
