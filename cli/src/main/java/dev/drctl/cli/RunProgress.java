package dev.drctl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drctl.compliance.RunStatus;
import dev.drctl.runbooks.RunListener;
import dev.drctl.runbooks.RunResult;
import dev.drctl.runbooks.StepReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * A run on the terminal: one line per step as it ends (status, name, duration, what happened), then the result; or
 * the result as JSON ({@code -o json}, progress then goes to standard error so standard output stays one document).
 */
final class RunProgress implements RunListener {
    private final PrintWriter out;

    RunProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void runStarted(String runId, boolean resumed, List<String> doneBefore) {
        if (resumed) {
            out.println("resuming run " + runId + " from the journal" + (doneBefore.isEmpty() ? ": no step had "
                    + "completed an action, so it looks again" : "; done before: " + String.join(", ", doneBefore)));
        } else {
            out.println("run " + runId);
        }
        out.flush();
    }

    @Override
    public void stepStarted(String step, String description, int attempt) {
        out.println(String.format(Locale.ROOT, "  %-10s %-17s %s", attempt > 1 ? "retry " + attempt : "...", step,
                description));
        out.flush();
    }

    @Override
    public void stepFinished(StepReport r) {
        var mark = switch (r.origin()) {
            case DONE_BEFORE -> "done";
            case PLANNED -> "plan";
            case RAN -> switch (r.status()) {
                case "succeeded" -> "ok";
                case "skipped" -> "skipped";
                case "refused" -> "REFUSED";
                default -> "FAILED";
            };
        };
        var detail = r.outcome().map(o -> o.detail()).orElse(r.description());
        out.println(String.format(Locale.ROOT, "  %-10s %-17s %6s  %s", "[" + mark + "]", r.step(),
                r.origin() == StepReport.Origin.RAN ? String.format(Locale.ROOT, "%.1fs", r.took().toMillis() / 1000.0)
                        : "", detail));
        out.flush();
    }

    /** The last lines of a run on the terminal. */
    static void printResult(PrintWriter out, PrintWriter err, RunResult result) {
        var target = result.exitCode() == 0 ? out : err;
        target.println(switch (result.end()) {
            case COMPLETED -> "done: " + result.summary();
            case PLANNED -> result.summary();
            case FAILED -> (dnsPending(result) ? "PROMOTED, DNS PENDING: " : replicasPending(result)
                    ? "PROMOTED, REPLICAS PENDING: " : "FAILED: ") + result.summary();
            case REFUSED -> "REFUSED: " + result.summary();
        });
        result.facts().get("rpoEstimate").ifPresent(v -> out.println("  " + v));
        result.record().flatMap(r -> r.rto()).ifPresent(d -> out.println(String.format(Locale.ROOT,
                "  write unavailability / RTO measured by drctl: %.1fs", d.toMillis() / 1000.0)));
        var split = result.rtoSplit().describe();
        if (!split.isEmpty()) {
            out.println("  RTO split: " + split);
        }
        result.facts().get("rejoin.commands").ifPresent(c -> {
            out.println("  run these on the node's host:");
            c.lines().forEach(l -> out.println("    " + l));
        });
        out.flush();
        target.flush();
    }

    private static boolean dnsPending(RunResult result) {
        return result.record().map(r -> r.status() == RunStatus.PROMOTED_DNS_PENDING).orElse(false);
    }

    private static boolean replicasPending(RunResult result) {
        return result.record().map(r -> r.status() == RunStatus.PROMOTED_REPLICAS_PENDING).orElse(false);
    }

    static ObjectNode json(ObjectMapper mapper, RunResult result) {
        var o = mapper.createObjectNode();
        o.put("runId", result.runId());
        o.put("end", result.end().name());
        o.put("exitCode", result.exitCode());
        o.put("summary", result.summary());
        o.put("resumed", result.resumed());
        var facts = o.putObject("facts");
        result.facts().sorted().forEach(facts::put);
        var steps = o.putArray("steps");
        for (var r : result.steps()) {
            var s = steps.addObject();
            s.put("step", r.step());
            s.put("status", r.status());
            s.put("origin", r.origin().name());
            s.put("description", r.description());
            r.outcome().ifPresent(x -> s.put("detail", x.detail()));
            s.put("attempt", r.attempt());
            s.put("millis", r.took().toMillis());
        }
        result.record().ifPresent(r -> o.set("record", r.toJson()));
        o.set("rtoSplit", result.rtoSplit().toJson());
        return o;
    }
}
