package dev.drctl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drctl.compliance.RunStatus;
import dev.drctl.runbooks.RunListener;
import dev.drctl.runbooks.RunResult;
import dev.drctl.runbooks.StepReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A run on the terminal: one line per step as it ends (status, name, duration, what happened), then the result; or
 * the result as JSON ({@code -o json}, progress then goes to standard error so standard output stays one document).
 * Live (on a terminal), the step that runs shows its elapsed time and the run's, redrawn in place a few times a
 * second, so a person sees it is still working. It remembers what ended, for the summary of an interrupted run.
 */
final class RunProgress implements RunListener, AutoCloseable {
    private static final Duration TICK = Duration.ofMillis(250);

    private final PrintWriter out;
    private final Optional<ScheduledExecutorService> ticker;
    private final long startedNanos = System.nanoTime();
    /** Guarded by {@code this}: every write to {@code out} too, so the ticker never splits a line. */
    private String runId;
    private String running;
    private long runningSinceNanos;
    private boolean tickShown;
    private final List<String> ended = new ArrayList<>();

    RunProgress(PrintWriter out) {
        this(out, false);
    }

    /** @param live redraw the running step's elapsed time in place (only on a terminal) */
    RunProgress(PrintWriter out, boolean live) {
        this.out = out;
        this.ticker = live ? Optional.of(Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "drctl-progress");
            t.setDaemon(true);
            return t;
        })) : Optional.empty();
        ticker.ifPresent(t -> t.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(),
                TimeUnit.MILLISECONDS));
    }

    private synchronized void tick() {
        if (running == null) {
            return;
        }
        out.print(String.format(Locale.ROOT, "\r\033[K  %-10s %-17s %5.1fs  (run %.1fs)", "running", running,
                (System.nanoTime() - runningSinceNanos) / 1e9, (System.nanoTime() - startedNanos) / 1e9));
        out.flush();
        tickShown = true;
    }

    /** Clears the live line before a line of its own is printed. */
    private void clearTick() {
        if (tickShown) {
            out.print("\r\033[K");
            tickShown = false;
        }
    }

    /** The run's id once it started, for the interruption summary. */
    synchronized Optional<String> runId() {
        return Optional.ofNullable(runId);
    }

    /** The steps that ended so far ({@code probe ok}, {@code fence FAILED}), and the one running, if any. */
    synchronized List<String> ended() {
        return List.copyOf(ended);
    }

    synchronized Optional<String> running() {
        return Optional.ofNullable(running);
    }

    @Override
    public void close() {
        ticker.ifPresent(ScheduledExecutorService::shutdownNow);
        synchronized (this) {
            running = null;
            clearTick();
            out.flush();
        }
    }

    @Override
    public synchronized void runStarted(String runId, boolean resumed, List<String> doneBefore) {
        this.runId = runId;
        clearTick();
        if (resumed) {
            out.println("resuming run " + runId + " from the journal" + (doneBefore.isEmpty() ? ": no step had "
                    + "completed an action, so it looks again" : "; done before: " + String.join(", ", doneBefore)));
        } else {
            out.println("run " + runId);
        }
        out.flush();
    }

    @Override
    public synchronized void stepStarted(String step, String description, int attempt) {
        running = step;
        runningSinceNanos = System.nanoTime();
        clearTick();
        out.println(String.format(Locale.ROOT, "  %-10s %-17s %s", attempt > 1 ? "retry " + attempt : "...", step,
                description));
        out.flush();
    }

    @Override
    public synchronized void stepFinished(StepReport r) {
        running = null;
        clearTick();
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
        ended.add(r.step() + " " + mark);
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
