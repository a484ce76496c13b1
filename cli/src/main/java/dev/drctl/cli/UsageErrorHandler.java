package dev.drctl.cli;

import dev.drctl.topology.ErrorCode;
import picocli.CommandLine;

/** Bad arguments: say what was wrong, what was probably meant (a mistyped command or option), and how to get help; exit 2. */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        var cl = ex.getCommandLine();
        var err = cl.getErr();
        err.println(cl.getColorScheme().errorText("drctl: " + ex.getMessage()));
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.isUnknownOption()
                && !cl.getSubcommands().isEmpty() && !u.getUnmatched().isEmpty()) {
            // a mistyped command: by edit distance, which catches swapped letters (stauts, dwon)
            var close = Suggestions.commands(cl, u.getUnmatched().getFirst());
            if (!close.isEmpty()) {
                var prefix = cl.getCommandSpec().qualifiedName() + " ";
                err.println("Did you mean: " + String.join(" or ", close.stream().map(c -> prefix + c).toList()) + "?");
            }
        } else {
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        }
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return ErrorCode.BAD_USAGE;
    }
}
