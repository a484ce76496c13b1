package dev.drctl.cli;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the outside world gives a command: the clock, the environment, and the OS account it runs as. Passed down
 * from the entry point so tests control all three and no command reads a global.
 *
 * @param osAccount the account the process runs under, as the OS knows it (never {@code $USER}, which anyone can
 *                  set to anything); who a manual run is journaled as unless {@code --operator} names a person
 */
public record Host(Clock clock, Map<String, String> environment, String osAccount) {
    public Host {
        Objects.requireNonNull(clock, "clock");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(osAccount, "osAccount");
    }

    /** A host with this process's OS account. */
    public Host(Clock clock, Map<String, String> environment) {
        this(clock, environment, processAccount());
    }

    public static Host ofProcess() {
        return new Host(Clock.systemUTC(), System.getenv(), processAccount());
    }

    /** The same host with one more environment variable (an option that stands for one, e.g. --operator). */
    Host with(String variable, String value) {
        var env = new java.util.HashMap<>(environment);
        env.put(variable, value);
        return new Host(clock, env, osAccount);
    }

    // The kernel's answer (the process owner) first; user.name is the JVM's reading of the same account.
    private static String processAccount() {
        return ProcessHandle.current().info().user()
                .map(u -> u.contains("\\") ? u.substring(u.lastIndexOf('\\') + 1) : u)
                .filter(u -> !u.isBlank())
                .orElseGet(() -> System.getProperty("user.name", "unknown"));
    }
}
