package dev.drctl.cli;

import dev.drctl.topology.ErrorCode;
import picocli.CommandLine;

/** Bad arguments: say what was wrong, what was probably meant (a mistyped command or option), and how to get help; exit 2. */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        var cl = ex.getCommandLine();
        var err = cl.getErr();
        var name = cl.getCommandSpec().qualifiedName();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.isUnknownOption()
                && !cl.getSubcommands().isEmpty() && !u.getUnmatched().isEmpty()) {
            // a mistyped command, in the words `drctl help` uses; suggestions by edit distance, which catches swapped
            // letters (stauts, dwon)
            var typed = u.getUnmatched().getFirst();
            err.println(cl.getColorScheme().errorText(name + " has no command '" + typed + "'"));
            var close = Suggestions.commands(cl, typed);
            if (!close.isEmpty()) {
                err.println("Did you mean: " + String.join(" or ", close.stream().map(c -> name + " " + c).toList()) + "?");
            }
        } else {
            err.println(cl.getColorScheme().errorText("drctl: " + ex.getMessage()));
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                // picocli's own candidates (options, by prefix and distance), worded as for commands
                err.println("Did you mean: " + String.join(" or ", u.getSuggestions()) + "?");
            }
        }
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return ErrorCode.BAD_USAGE;
    }
}
