package dev.drctl.cli;

import java.io.Console;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What the outside world gives a command: the clock, the environment, and the terminal when a person sits at one.
 * Passed down from the entry point so tests control all three and no command reads a global.
 *
 * @param terminal present only when standard input and output are both a terminal: prompts, colour, live progress and
 *                 in-place refresh are for people, never for scripts or pipes
 */
public record Host(Clock clock, Map<String, String> environment, Optional<Terminal> terminal) {
    public Host {
        environment = Map.copyOf(environment);
    }

    /** A host with no terminal: what a script or a test sees. */
    public Host(Clock clock, Map<String, String> environment) {
        this(clock, environment, Optional.empty());
    }

    public static Host ofProcess() {
        return new Host(Clock.systemUTC(), System.getenv(), ProcessTerminal.attached());
    }

    /** Colour only on a terminal, and never when {@code NO_COLOR} is set to anything (https://no-color.org). */
    public boolean colour() {
        var noColour = environment.get("NO_COLOR");
        return terminal.isPresent() && (noColour == null || noColour.isEmpty());
    }

    /** A person at a keyboard: asked before a change, shown progress in place. */
    public interface Terminal {
        /** Prints {@code prompt} and reads one line; empty at end of input. */
        Optional<String> readLine(String prompt);
    }

    /** The process's own console, when both ends of it are a terminal. */
    record ProcessTerminal(Console console) implements Terminal {
        static Optional<Terminal> attached() {
            var console = System.console();
            return console != null && isTerminal(console) ? Optional.of(new ProcessTerminal(console))
                    : Optional.empty();
        }

        /**
         * JDK 22 and later return a console even when redirected and say whether it is a terminal with
         * {@code isTerminal()}; on JDK 21 (the release drctl compiles for) a console exists only on a terminal.
         */
        private static boolean isTerminal(Console console) {
            try {
                return (boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }

        @Override
        public Optional<String> readLine(String prompt) {
            return Optional.ofNullable(console.readLine("%s", prompt));
        }
    }
}
