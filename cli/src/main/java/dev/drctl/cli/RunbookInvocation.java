package dev.drctl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.runbooks.RunResult;
import dev.drctl.runbooks.Runbook;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * How the runbook commands (failover, switchover, rejoin) run: one session, the runbook run (or only planned,
 * for {@code --dry-run}), progress a line per step as it ends, then the outcome as text or JSON. With
 * {@code -o json} the progress and any failure sentence go to stderr so stdout stays one JSON document.
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
        var progress = new RunProgress(json ? err : out);
        RunResult result;
        try (var session = RunbookSession.open(config, cluster, host)) {
            var steps = runbook.apply(session);
            result = dryRun ? session.engine.plan(steps, cluster, request, progress)
                    : session.engine.run(steps, cluster, request, progress);
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
}
