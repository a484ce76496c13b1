package dev.drctl.promotion.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One server program run on drctl's own machine for a local (testenv) rejoin, as the server's OS user, with a
 * deadline. Its output goes to a temporary file (a pipe nobody reads could block it), and only the last lines are
 * kept for the outcome. The environment given (e.g. {@code PGPASSWORD}) is passed to the program, never printed.
 *
 * @param exitCode -1 when the deadline passed and the program was killed
 */
record LocalCommand(int exitCode, String outputTail) {

    static LocalCommand run(List<String> argv, Optional<String> osUser, Map<String, String> env, Duration timeout) {
        var command = new ArrayList<String>();
        osUser.ifPresent(u -> command.addAll(List.of("runuser", "-u", u, "--")));
        command.addAll(argv);
        java.nio.file.Path out = null;
        try {
            out = Files.createTempFile("drctl-rejoin-", ".out");
            // run from "/": the server's OS user may not be allowed into drctl's own working directory, and
            // pg_rewind then prints "could not change directory to ..." into the output an operator reads
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .directory(new java.io.File("/"));
            builder.environment().putAll(env);
            var process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                // the program is ours: end it (and its children) by handle, nothing broader
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new LocalCommand(-1, tail(out) + " (killed after " + timeout.toSeconds() + " s)");
            }
            return new LocalCommand(process.exitValue(), tail(out));
        } catch (IOException e) {
            return new LocalCommand(-1, "cannot run " + argv.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LocalCommand(-1, "interrupted while running " + argv.getFirst());
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a leftover temporary file holds no secret: only the program's output
                }
            }
        }
    }

    private static String tail(java.nio.file.Path out) throws IOException {
        var lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size())).strip();
    }

    boolean ok() {
        return exitCode == 0;
    }
}
