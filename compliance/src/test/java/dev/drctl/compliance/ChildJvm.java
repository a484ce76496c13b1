package dev.drctl.compliance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A {@link JournalAppender} in its own JVM, with its acknowledged seqs collected as they are printed. */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<Long> acked = new CopyOnWriteArrayList<>();
    private final List<String> otherLines = new CopyOnWriteArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    static ChildJvm appending(String url, String writer, long count) throws IOException {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", JournalAppender.class.getName(), url, writer,
                Long.toString(count)));
        var pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ChildJvm(pb.start());
    }

    private void read() {
        try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acked.add(Long.parseLong(line.substring(4).trim()));
                } else if (line.equals("READY")) {
                    ready.countDown();
                } else {
                    otherLines.add(line);
                }
            }
        } catch (IOException e) {
            // the process was killed mid-line: whatever was read completely is what it acknowledged
        }
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child JVM did not open the store within " + timeout + "; output: " + otherLines);
        }
    }

    /** Waits until at least {@code n} seqs were acknowledged. */
    void awaitAcks(int n, Duration timeout) {
        var deadline = Instant.now().plus(timeout);
        while (acked.size() < n) {
            if (Instant.now().isAfter(deadline) || !process.isAlive() && acked.size() < n && !reader.isAlive()) {
                throw new AssertionError("child acknowledged " + acked.size() + " of " + n + " within " + timeout
                        + "; output: " + otherLines);
            }
            Thread.onSpinWait();
            try {
                reader.join(Duration.ofMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child JVM still running after " + timeout);
        }
        reader.join(timeout);
        return process.exitValue();
    }

    /**
     * SIGKILL on Linux: no shutdown hooks, no flushing, like a crash. Sent through the process handle because
     * {@code Process.destroyForcibly()} also closes our end of the child's stdout, which would drop ACK lines
     * already in the pipe; this way every line the child printed before dying is read.
     */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(Duration.ofSeconds(10));
    }

    List<Long> acked() {
        return List.copyOf(acked);
    }

    List<String> otherLines() {
        return List.copyOf(otherLines);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
