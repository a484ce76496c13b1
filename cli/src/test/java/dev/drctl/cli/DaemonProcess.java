package dev.drctl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code drctl run -c CONFIG} in a child JVM, the way it runs in production (a process of its own, its own signals),
 * its output in a log file. {@link #kill()} is SIGKILL (no shutdown hook); {@link #close()} SIGTERM, then SIGKILL.
 */
final class DaemonProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private DaemonProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code drctl run} and waits until it says it watches (or has exited). */
    static DaemonProcess run(Path config, Path log, Map<String, String> env) throws IOException {
        return start(List.of(Drctl.class.getName(), "run", "-c", config.toString()), log, env, true);
    }

    /** Starts {@code main} with {@code args} in a child JVM on the test class path. */
    static DaemonProcess start(List<String> mainAndArgs, Path log, Map<String, String> env, boolean awaitWatching)
            throws IOException {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DRCTL_LOG_LEVEL", "INFO");
        builder.environment().putAll(env);
        var p = new DaemonProcess(builder.start(), log);
        if (awaitWatching) {
            Await.until("drctl run says it watches (" + p.log() + ")", Duration.ofSeconds(60),
                    () -> p.log().contains("watching") || !p.process.isAlive());
        }
        return p;
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("drctl run still running after " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    /** SIGKILL: the daemon dies where it stands, with its children (a hook step's shell). */
    void kill() throws InterruptedException {
        var children = process.descendants().toList();
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
