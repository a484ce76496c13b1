package dev.drctl.cli;

import picocli.CommandLine;

/** The program's entry point: builds the command tree and exits with its code. */
public final class Drctl {
    private Drctl() {
    }

    public static void main(String[] args) {
        // The last resort for a thread of some library that fails on its own (e.g. Testcontainers' shutdown hook
        // removing a container drctl's teardown removed a moment before): one line, never a stack trace.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> System.err.println("drctl: background task '"
                + thread.getName() + "' stopped: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
        System.exit(commandLine(Host.ofProcess(), args).execute(args));
    }

    /** The configured command tree, every command in it; tests call {@code execute()} on it with their own writers. */
    public static CommandLine commandLine(Host host) {
        var factory = new CommandFactory(host);
        var cl = new CommandLine(new DrctlCommand(), factory);
        cl.addSubcommand("help", new HelpCommand());
        cl.addSubcommand("completion", new CompletionCommand());
        return configured(cl, host);
    }

    /**
     * A command tree that can execute {@code args}: when they start with the name of a subcommand, the root with that
     * subcommand only (and its own subcommands); for {@code --version} alone, the root alone; for anything else (no
     * arguments, {@code --help}, {@code help}, {@code completion}, a typo that deserves a "did you mean"), the whole
     * tree. Building the model of every command costs each start a few hundred milliseconds that one command does not
     * need; what the user sees is the same either way (the CLI tests run through here).
     */
    public static CommandLine commandLine(Host host, String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return configured(new CommandLine(new DrctlRoot(), new CommandFactory(host)), host);
        }
        var named = args.length == 0 ? null : subcommandNamed(args[0]);
        if (named == null) {
            return commandLine(host);
        }
        var factory = new CommandFactory(host);
        var cl = new CommandLine(new DrctlRoot(), factory);
        try {
            cl.addSubcommand(new CommandLine(factory.create(named), factory));
        } catch (Exception e) {
            return commandLine(host);
        }
        return configured(cl, host);
    }

    /** The class of the listed subcommand called {@code name} (or by that alias); null when none is. */
    private static Class<?> subcommandNamed(String name) {
        for (var cls : DrctlCommand.class.getAnnotation(CommandLine.Command.class).subcommands()) {
            var command = cls.getAnnotation(CommandLine.Command.class);
            if (command != null && (command.name().equals(name) || java.util.Arrays.asList(command.aliases()).contains(name))) {
                return cls;
            }
        }
        return null;
    }

    private static CommandLine configured(CommandLine cl, Host host) {
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
