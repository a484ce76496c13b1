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
        cl.setExecutionExceptionHandler(new DrctlExceptionHandler());
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
