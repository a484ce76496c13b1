package dev.drctl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.runbooks.RunResult;
import dev.drctl.runbooks.Runbook;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.ErrorCode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * How the runbook commands (failover, switchover, rejoin) run: one session, the runbook run (or only planned,
 * for {@code --dry-run}), progress a line per step as it ends, then the outcome as text or JSON. With
 * {@code -o json} the progress and any failure sentence go to stderr so stdout stays one JSON document.
 *
 * <p>For a person at a terminal, a change is planned and shown first and done only after a "y" (skipped with
 * {@code --yes}, never asked without a terminal); the running step shows its elapsed time; and Ctrl-C during the run
 * prints what was done and the command that resumes it (the engine resumes an unfinished run from the journal).
 */
final class RunbookInvocation {
    private RunbookInvocation() {
    }

    static int execute(CommandLine.Model.CommandSpec spec, OutputOption output, DrctlConfig config,
                       ClusterSpec cluster, Host host, Function<RunbookSession, Runbook> runbook,
                       Map<String, String> request, boolean dryRun) {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        var json = output.format() == OutputOption.Format.JSON;
        var progressTo = json ? err : out;
        var what = spec.name() + " of " + cluster.name().value();
        RunResult result;
        try (var session = RunbookSession.open(config, cluster, host)) {
            if (dryRun) {
                try (var progress = new RunProgress(progressTo)) {
                    result = session.engine.plan(runbook.apply(session), cluster, request, progress);
                }
            } else {
                if (host.terminal().isPresent() && !yes(spec)) {
                    RunResult plan;
                    try (var progress = new RunProgress(progressTo)) {
                        progressTo.println("the plan (nothing done yet):");
                        plan = session.engine.plan(runbook.apply(session), cluster, request, progress);
                    }
                    // asked even when the plan ends refused: the cluster may change before the run looks again,
                    // and nothing may act unasked; the run then journals its own refusal, which a plan does not
                    var question = plan.end() == RunResult.End.PLANNED ? "Proceed with the " + what + "? [y/N] "
                            : "The plan ends " + plan.end().name().toLowerCase(Locale.ROOT) + ": " + plan.summary()
                                    + "\nRun it anyway (the run looks again and journals its outcome)? [y/N] ";
                    progressTo.flush();
                    var answer = host.terminal().get().readLine(question).orElse("").strip().toLowerCase(Locale.ROOT);
                    if (!answer.equals("y") && !answer.equals("yes")) {
                        err.println("drctl: " + what + " not confirmed; nothing was done (--yes skips the question)");
                        err.flush();
                        return ErrorCode.OPERATION_FAILED;
                    }
                }
                try (var progress = new RunProgress(progressTo, host.terminal().isPresent() && !json)) {
                    var interruption = interruptionSummary(spec, progress, err);
                    Runtime.getRuntime().addShutdownHook(interruption);
                    try {
                        result = session.engine.run(runbook.apply(session), cluster, request, progress);
                    } finally {
                        removeHook(interruption);
                    }
                }
            }
        }
        if (json) {
            out.println(RunProgress.json(new ObjectMapper(), result).toPrettyString());
            out.flush();
            if (result.exitCode() != 0) {
                err.println("drctl: " + result.summary());
                err.flush();
            }
        } else {
            RunProgress.printResult(out, err, result);
        }
        return result.exitCode();
    }

    /** Whether the command's {@code --yes} was given; read from the parsed spec so every runbook command shares it. */
    private static boolean yes(CommandLine.Model.CommandSpec spec) {
        var option = spec.findOption(ConfirmOption.NAME);
        return option != null && Boolean.TRUE.equals(option.getValue());
    }

    /**
     * What Ctrl-C (SIGINT, SIGTERM) prints while a run is under way: the JVM runs shutdown hooks before it exits, and
     * the journal already holds every step's intent and outcome, so saying what ended and how to resume is enough.
     */
    private static Thread interruptionSummary(CommandLine.Model.CommandSpec spec, RunProgress progress,
                                              PrintWriter err) {
        var args = spec.commandLine().getParseResult() == null ? spec.qualifiedName()
                : "drctl " + spec.commandLine().getParseResult().originalArgs().stream()
                        .map(RunbookInvocation::quoted).collect(Collectors.joining(" "));
        return new Thread(() -> {
            err.println();
            err.println("drctl: interrupted" + progress.runId().map(r -> " during run " + r).orElse("")
                    + (progress.ended().isEmpty() ? "; no step had ended" : "; steps ended: "
                            + String.join(", ", progress.ended()))
                    + progress.running().map(s -> "; " + s + " was running (it is repeated or checked on resume)")
                            .orElse("") + ".");
            err.println("The journal has every step; drctl status shows the run unfinished. Resume with: " + args);
            err.flush();
        }, "drctl-interrupted");
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting (Ctrl-C): the hook runs, which is what it is for
        }
    }

    private static String quoted(String arg) {
        return arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,@+".indexOf(c) >= 0) ? arg
                : "'" + arg.replace("'", "'\\''") + "'";
    }
}
