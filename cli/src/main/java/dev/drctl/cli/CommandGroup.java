package dev.drctl.cli;

import dev.drctl.topology.ErrorCode;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: called alone, it says which one to try and exits 2. */
abstract class CommandGroup implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    /** A complete example invocation to suggest, e.g. {@code drctl audit verify -c FILE}. */
    abstract String example();

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": missing subcommand; try '" + example() + "'.");
        spec.commandLine().usage(err);
        err.flush();
        return ErrorCode.BAD_USAGE;
    }
}
