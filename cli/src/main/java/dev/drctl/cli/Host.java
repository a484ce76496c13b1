package dev.drctl.cli;

import java.io.Console;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the outside world gives a command: the clock, the environment, the OS account it runs as, and the terminal
 * when a person sits at one. Passed down from the entry point so tests control all of them and no command reads a
 * global.
 *
 * @param osAccount the account the process runs under, as the OS knows it (never {@code $USER}, which anyone can
 *                  set to anything); who a manual run is journaled as unless {@code --operator} names a person
 * @param terminal  present only when standard input and output are both a terminal: prompts, colour, live progress
 *                  and in-place refresh are for people, never for scripts or pipes
 */
public record Host(Clock clock, Map<String, String> environment, String osAccount, Optional<Terminal> terminal) {
    public Host {
        Objects.requireNonNull(clock, "clock");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(osAccount, "osAccount");
        Objects.requireNonNull(terminal, "terminal");
    }

    /** A host with this process's OS account and no terminal: what a script or a test sees. */
    public Host(Clock clock, Map<String, String> environment) {
        this(clock, environment, processAccount(), Optional.empty());
    }

    /** A host with the given OS account and no terminal. */
    public Host(Clock clock, Map<String, String> environment, String osAccount) {
        this(clock, environment, osAccount, Optional.empty());
    }

    /** A host with this process's OS account and the given terminal. */
    public Host(Clock clock, Map<String, String> environment, Optional<Terminal> terminal) {
        this(clock, environment, processAccount(), terminal);
    }

    public static Host ofProcess() {
        return new Host(Clock.systemUTC(), System.getenv(), processAccount(), ProcessTerminal.attached());
    }

    /** The same host with one more environment variable (an option that stands for one, e.g. --operator). */
    Host with(String variable, String value) {
        var env = new java.util.HashMap<>(environment);
        env.put(variable, value);
        return new Host(clock, env, osAccount, terminal);
    }

    /** Colour only on a terminal, and never when {@code NO_COLOR} is set to anything (https://no-color.org). */
    public boolean colour() {
        var noColour = environment.get("NO_COLOR");
        return terminal.isPresent() && (noColour == null || noColour.isEmpty());
    }

    // The kernel's answer (the process owner) first; user.name is the JVM's reading of the same account.
    private static String processAccount() {
        return ProcessHandle.current().info().user()
                .map(u -> u.contains("\\") ? u.substring(u.lastIndexOf('\\') + 1) : u)
                .filter(u -> !u.isBlank())
                .orElseGet(() -> System.getProperty("user.name", "unknown"));
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
