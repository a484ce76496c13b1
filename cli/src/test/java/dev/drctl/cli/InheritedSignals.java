package dev.drctl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Signals this test JVM was started with ignored: {@code nohup} ignores SIGHUP, a shell without job control starts
 * background jobs with SIGINT ignored. A child process inherits that, and a JVM cannot handle a signal it was started
 * ignoring, so a test that sends one to a drctl it started has nothing to observe: it is skipped, saying why.
 */
public final class InheritedSignals {
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;

    private InheritedSignals() {
    }

    /** Skips the calling test when {@code signal} is ignored by this JVM (and so by the processes it starts). */
    public static void assumeHandled(int signal, String name) {
        Assumptions.assumeFalse(ignored(signal), () -> name + " is ignored by this test JVM (inherited from how the "
                + "build was started: nohup, or a background job without job control), so the drctl it starts cannot "
                + "handle it; run the build in a foreground shell to test it");
    }

    /** From the SigIgn mask in /proc/self/status (Linux); false where that cannot be read. */
    static boolean ignored(int signal) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("SigIgn:"))
                    .map(l -> Long.parseUnsignedLong(l.substring("SigIgn:".length()).strip(), 16))
                    .anyMatch(mask -> ((mask >>> (signal - 1)) & 1) == 1);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
