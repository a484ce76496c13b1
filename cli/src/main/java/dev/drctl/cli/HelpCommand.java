package dev.drctl.cli;

import dev.drctl.topology.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drctl help [COMMAND [SUBCOMMAND]]}: the usage of any command of the tree, at any depth (picocli's own help
 * command looks one level down only, so {@code drctl help testenv up} would show {@code testenv}).
 */
@Command(name = "help", helpCommand = true, description = "Show the help of a command: drctl help COMMAND [SUBCOMMAND].")
final class HelpCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, e.g. failover or testenv up.")
    List<String> path = new ArrayList<>();

    @Override
    public Integer call() {
        var cl = spec.root().commandLine();
        var walked = new ArrayList<String>();
        for (var name : path) {
            var next = cl.getSubcommands().get(name);
            if (next == null) {
                var err = spec.commandLine().getErr();
                var where = String.join(" ", prefixed(walked));
                err.println(cl.getColorScheme().errorText("drctl: " + where + " has no command '" + name + "'"));
                var close = Suggestions.commands(cl, name);
                if (!close.isEmpty()) {
                    err.println("Did you mean: " + String.join(" or ", close) + "?");
                }
                err.println("Try '" + where + " --help' for its commands.");
                err.flush();
                return ErrorCode.BAD_USAGE;
            }
            walked.add(name);
            cl = next;
        }
        var out = spec.commandLine().getOut();
        cl.usage(out, spec.commandLine().getColorScheme());
        out.flush();
        return ErrorCode.OK;
    }

    private static List<String> prefixed(List<String> walked) {
        var all = new ArrayList<String>();
        all.add("drctl");
        all.addAll(walked);
        return all;
    }
}
