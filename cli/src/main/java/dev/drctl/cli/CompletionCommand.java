package dev.drctl.cli;

import dev.drctl.topology.ErrorCode;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code drctl completion}: a bash completion script (zsh loads it through bashcompinit), generated from the tree. */
@Command(name = "completion", description = "Print a bash/zsh completion script for drctl.")
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("drctl", spec.root().commandLine()));
        out.flush();
        return ErrorCode.OK;
    }
}
