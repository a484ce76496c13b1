package dev.drctl.cli;

import dev.drctl.testenv.PostgresBinarySource;
import dev.drctl.topology.Engine;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --binaries auto|installed|embedded}: where a local PostgreSQL topology's server programs come from (default
 * from {@code DRCTL_POSTGRES_BINARIES}, else {@code auto}: the installed ones, or the embedded build when none are).
 */
final class BinariesOption {
    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--binaries", paramLabel = "SOURCE",
            defaultValue = "${env:" + PostgresBinarySource.ENV + ":-auto}",
            description = "PostgreSQL's server programs: auto (the installed ones, else zonky's embedded PostgreSQL "
                    + "build, downloaded once from Maven Central), installed or embedded (default: ${DEFAULT-VALUE}, "
                    + "from $" + PostgresBinarySource.ENV + " when set).")
    String source = "auto";

    /** The source for {@code engine}; {@code embedded} for another engine than PostgreSQL is bad usage. */
    PostgresBinarySource source(Engine engine) {
        PostgresBinarySource chosen;
        try {
            chosen = PostgresBinarySource.parse(source, "--binaries");
        } catch (dev.drctl.topology.DrctlException e) {
            throw new CommandLine.ParameterException(mixee.commandLine(), e.getMessage());
        }
        if (chosen == PostgresBinarySource.EMBEDDED && engine != Engine.POSTGRESQL) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--binaries embedded: drctl embeds "
                    + "PostgreSQL only; " + engine.configName() + " runs from its installed binaries");
        }
        return chosen;
    }
}
