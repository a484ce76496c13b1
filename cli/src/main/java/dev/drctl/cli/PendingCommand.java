package dev.drctl.cli;

import dev.drctl.topology.ErrorCode;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command of the usage table whose feature is not built yet. It says so and exits 2 rather than
 * pretend to work; each subclass names the issue that builds it.
 */
abstract class PendingCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    java.util.List<String> ignored;

    abstract String arrivesWith();

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        err.println("drctl " + spec.qualifiedName().replaceFirst("^drctl ", "") + ": not built yet (" + arrivesWith()
                + "); nothing was done.");
        err.flush();
        return ErrorCode.BAD_USAGE;
    }
}
