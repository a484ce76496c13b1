package dev.drctl.runbooks;

import dev.drctl.topology.DrctlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A user hook: {@code /bin/sh -c COMMAND} with the run's facts in its environment, like the pre/post-failover hooks
 * operators use elsewhere. It gets {@code DRCTL_CLUSTER}, {@code DRCTL_OLD_PRIMARY}, {@code DRCTL_NEW_PRIMARY},
 * {@code DRCTL_EPOCH} and {@code DRCTL_RUN_ID} (empty when not known yet); exit 0 is success, any other exit or the
 * timeout fails the step (the process and its children are killed at the timeout). The hook must be idempotent: a
 * run resumed after a crash runs an interrupted hook again. Its output goes to a log file when one is given, never
 * into the journal (it could hold anything).
 */
public final class HookStep implements Step {
    private final String name;
    private final String command;
    private final Duration timeout;
    private final boolean failRun;
    private final Path output;

    /**
     * @param failRun whether a failing hook fails the run (a pre-failover check) or is only reported (a post hook)
     * @param output  where the hook's stdout and stderr are appended, or null to discard them
     */
    public HookStep(String name, String command, Duration timeout, boolean failRun, Path output) {
        this.name = Objects.requireNonNull(name, "name");
        this.command = Objects.requireNonNull(command, "command");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.failRun = failRun;
        this.output = output;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration timeout() {
        // The engine's guard comes after the hook's own, so the hook's process is always killed by us first.
        return timeout.plusSeconds(5);
    }

    @Override
    public String describe(RunFacts facts) {
        return "run hook `" + command + "` (timeout " + RunbookEngine.human(timeout) + ")";
    }

    /** The environment a hook gets for these facts. */
    public static Map<String, String> environment(RunFacts facts) {
        var env = new HashMap<String, String>();
        env.put("DRCTL_CLUSTER", facts.get(RunFacts.CLUSTER).orElse(""));
        env.put("DRCTL_OLD_PRIMARY", facts.get(RunFacts.OLD_PRIMARY).orElse(""));
        env.put("DRCTL_NEW_PRIMARY", facts.get(RunFacts.NEW_PRIMARY).orElse(""));
        env.put("DRCTL_EPOCH", facts.get(RunFacts.EPOCH).or(() -> facts.get(RunFacts.EPOCH_AT_START)).orElse(""));
        env.put("DRCTL_RUN_ID", facts.get(RunFacts.RUN_ID).orElse(""));
        return env;
    }

    @Override
    public StepOutcome run(RunContext context) throws InterruptedException {
        var pb = new ProcessBuilder("/bin/sh", "-c", command);
        pb.environment().putAll(environment(context.facts()));
        pb.redirectErrorStream(true);
        if (output != null) {
            try {
                Files.createDirectories(output.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new DrctlException(RunbookErrorCode.HOOK_FAILED, "cannot create the hook log directory for "
                        + output + ": " + e.getMessage());
            }
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        } else {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return failed("hook `" + command + "` could not start: " + e.getMessage());
        }
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(process);
                return failed("hook `" + command + "` did not finish within " + RunbookEngine.human(timeout) + "; killed");
            }
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        int code = process.exitValue();
        if (code == 0) {
            return StepOutcome.Succeeded.of("hook `" + command + "` exited 0");
        }
        return failed("hook `" + command + "` exited " + code + (output == null ? "" : " (output in " + output + ")"));
    }

    private StepOutcome failed(String detail) {
        return failRun ? new StepOutcome.Failed(detail, false) : new StepOutcome.Skipped(detail + "; reported only");
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "HookStep[" + name + ": " + command + "]";
    }

}
