package dev.drctl.cli;

import picocli.CommandLine.Option;

/** {@code -y/--yes}: act without the question a changing command asks a person at a terminal. */
public final class ConfirmOption {
    static final String NAME = "--yes";

    @Option(names = {"-y", NAME}, description = "Do not ask before acting. At a terminal drctl shows the plan and "
            + "asks; any answer but y exits 1 with nothing done. Without a terminal (a script, cron) it never asks.")
    boolean yes;
}
