package dev.drctl.cli;

import dev.drctl.topology.ErrorCode;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command of the usage table whose feature this version does not have. It is hidden from the command list (a user
 * should not be offered what does not work) and, when called anyway, says so plainly and exits 1: the user did not
 * err, the program lacks the feature, so this is no "bad usage" (2).
 */
abstract class PendingCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    java.util.List<String> ignored;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        err.println("drctl " + spec.name() + ": not built in this version of drctl; nothing was done. "
                + "See 'drctl --help' for the commands it has.");
        err.flush();
        return ErrorCode.OPERATION_FAILED;
    }
}
