package dev.drctl.testenv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A server process known by its PID (read from the server's own pid file, so a later drctl process finds it too).
 * Only processes whose command matches the server program are signalled, so a recycled PID is never hit.
 */
record ServerProcess(long pid, String program) {

    /** The PID in the first line of {@code pidFile}, if the file is there and that process runs {@code program}. */
    static Optional<ServerProcess> fromPidFile(Path pidFile, String program) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            var first = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
            if (first.isEmpty()) {
                return Optional.empty();
            }
            var process = new ServerProcess(Long.parseLong(first), program);
            return process.running() ? Optional.of(process) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static OptionalLong pidOf(Optional<ServerProcess> process) {
        return process.map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty());
    }

    /** Alive, not a zombie, and still running the server program. */
    boolean running() {
        return isRunning(pid) && commandMatches();
    }

    private boolean commandMatches() {
        // /proc/PID/comm of PostgreSQL children is rewritten ("postgres: checkpointer"), the exe link is not.
        try {
            var exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
            return exe.getFileName().toString().startsWith(program);
        } catch (IOException | UnsupportedOperationException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().command())
                    .map(c -> Path.of(c).getFileName().toString().startsWith(program)).orElse(true);
        }
    }

    /** Whether {@code pid} is a live process; a zombie (dead, not yet reaped by its parent) counts as gone. */
    static boolean isRunning(long pid) {
        var stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            try {
                var text = Files.readString(stat);
                // state is the field after the parenthesised command name, which may itself contain spaces
                var state = text.substring(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
                return !state.equals("Z") && !state.equals("X");
            } catch (IOException | StringIndexOutOfBoundsException e) {
                return false;
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** SIGKILL to the server and every process under it (a crash of the whole server, as on a lost machine). */
    List<Long> kill() {
        var handle = ProcessHandle.of(pid);
        var tree = handle.map(h -> h.descendants().map(ProcessHandle::pid).toList()).orElse(List.of());
        // the parent first, so it cannot respawn children while they are being killed
        handle.ifPresent(ProcessHandle::destroyForcibly);
        tree.forEach(child -> ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly));
        var all = new java.util.ArrayList<Long>(tree);
        all.addFirst(pid);
        return all;
    }

    /** SIGTERM: the server shuts down cleanly. */
    void terminate() {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }

    /** Waits until every PID in {@code pids} is gone. */
    static void awaitGone(List<Long> pids, String what, Duration timeout) {
        Deadline.in(timeout).await(what, () -> {
            var left = pids.stream().filter(ServerProcess::isRunning).toList();
            return left.isEmpty() ? Deadline.Attempt.done() : Deadline.Attempt.notYet("still running: " + left);
        });
    }
}
