package dev.drctl.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.cli.InheritedSignals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signal handling in a child JVM of its own: SIGHUP runs the reload and the process lives on (twice), and
 * SIGTERM with a stop that never returns still ends the process at the bound plus the grace (the watchdog halts
 * it with status 1) instead of hanging for ever.
 */
class DaemonSignalsIT {
    @TempDir
    Path dir;

    @Test
    void hangupReloadsAndATermWhoseStopHangsIsHaltedAtTheBound() throws Exception {
        InheritedSignals.assumeHandled(InheritedSignals.SIGHUP, "SIGHUP");
        var log = dir.resolve("child.log");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                StuckStop.class.getName())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await("ready", () -> read(log).contains("ready"));
            for (int i = 1; i <= 2; i++) {
                kill("HUP", process.pid());
                int n = i;
                await("reload " + n, () -> read(log).split("reload asked", -1).length - 1 == n);
                assertThat(process.isAlive()).isTrue();
            }
            long start = System.nanoTime();
            kill("TERM", process.pid());
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(read(log)).isTrue();
            var took = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("a stop that hangs: SIGTERM to halt " + took.toMillis() + " ms (bound 1 s + grace 1 s)");
            assertThat(process.exitValue()).as(read(log)).isEqualTo(1);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(10));
            assertThat(read(log)).contains("stop asked, bound 1000 ms").contains("stop overran its bound of 2 s; halting now");
        } finally {
            process.destroyForcibly();
        }
    }

    private static void kill(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 30 s: " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
