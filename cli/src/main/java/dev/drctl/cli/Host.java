package dev.drctl.cli;

import java.time.Clock;
import java.util.Map;

/**
 * What the outside world gives a command: the clock and the environment. Passed down from the
 * entry point so tests control both and no command reads a global.
 */
public record Host(Clock clock, Map<String, String> environment) {
    public Host {
        environment = Map.copyOf(environment);
    }

    public static Host ofProcess() {
        return new Host(Clock.systemUTC(), System.getenv());
    }
}
