package dev.drctl.cli;

import picocli.CommandLine.Option;

/** {@code -y/--yes}: act without the question a changing command asks a person at a terminal. */
public final class ConfirmOption {
    static final String NAME = "--yes";

    @Option(names = {"-y", NAME}, description = "Do not ask before acting. Without a terminal (a script, a pipe, "
            + "cron) drctl never asks.")
    boolean yes;
}
