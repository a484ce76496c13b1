package dev.drctl.cli;

import picocli.CommandLine.Option;

/** {@code -o table|json}: how a command that produces data renders it. */
public final class OutputOption {
    public enum Format { TABLE, JSON }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.TABLE;

    public Format format() {
        return format;
    }
}
