package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One run of a server tool (initdb, pg_ctl, mariadb-install-db, ...) with a deadline and its output kept. */
final class ExternalProgram {
    private ExternalProgram() {
    }

    /** What a finished program said. */
    record Result(int exitCode, String output) {
        /** The last lines of the output, for an error message. */
        String tail() {
            var lines = output.strip().lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
        }
    }

    /** Runs {@code argv}; stdout and stderr together; a program still running at the deadline is killed. */
    static Result run(List<String> argv, Map<String, String> extraEnv, Duration timeout) {
        var pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null")));
        pb.environment().putAll(extraEnv);
        try {
            var process = pb.start();
            var output = new StringBuilder();
            var reader = Thread.ofVirtual().start(() -> {
                try (var in = process.getInputStream()) {
                    output.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the program went away; what was read is kept
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new DrctlException(TestenvErrorCode.SERVER_FAILED,
                        programName(argv) + " did not finish within " + timeout.toSeconds() + " s");
            }
            reader.join(Duration.ofSeconds(5));
            return new Result(process.exitValue(), output.toString());
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED,
                    "cannot run " + programName(argv) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "interrupted while running " + programName(argv));
        }
    }

    /** Runs {@code argv} and fails with the end of its output when it exits non-zero. */
    static Result check(String step, List<String> argv, Map<String, String> extraEnv, Duration timeout) {
        var result = run(argv, extraEnv, timeout);
        if (result.exitCode() != 0) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED,
                    step + " failed (" + programName(argv) + " exit " + result.exitCode() + "):\n" + result.tail());
        }
        return result;
    }

    private static String programName(List<String> argv) {
        int i = argv.indexOf("--");
        var program = i >= 0 && i + 1 < argv.size() ? argv.get(i + 1) : argv.getFirst();
        return java.nio.file.Path.of(program).getFileName().toString();
    }
}
