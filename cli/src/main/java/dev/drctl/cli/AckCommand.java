package dev.drctl.cli;

import dev.drctl.runbooks.watch.AutomationBrakes;
import dev.drctl.runbooks.watch.AutomationHold;
import dev.drctl.runbooks.watch.BreakerPolicy;
import dev.drctl.topology.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drctl ack CLUSTER}: a person looked at the cluster after its failover and clears its cooldown early (safety
 * rule 6), so the daemon may fail it over automatically again. The cooldown lives in the state store: the ack is seen
 * by every daemon at once. Journaled with who and why. The global circuit breaker is not cleared by it.
 */
@Command(name = "ack", description = "Acknowledge a cluster's failover: clear its cooldown early so the daemon may "
        + "fail it over automatically again; journaled. The global circuit breaker is not cleared (it closes by "
        + "itself when its window passes).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the cooldown was cleared (or there was none: nothing journaled)",
                "1:the state store could not be written",
                "2:bad usage or bad config, unknown cluster"})
final class AckCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    OperatorOption operator;
    @Mixin
    ConfigOption config;
    @Mixin
    OutputOption output;

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster whose cooldown to clear.")
    String clusterName;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (journaled), e.g. \"INC-7 closed, new primary "
            + "checked\".")
    String reason;

    private final Host host;

    AckCommand(Host host) {
        this.host = host;
    }

    /** The answer of {@code ack -o json}; the field names are a contract. */
    record Result(String cluster, boolean cleared, String lastFailover, String cooldownUntil, String by, String reason,
                  Long journalSeq, String breakerOpenUntil, String message) {
    }

    @Override
    public Integer call() throws Exception {
        var cfg = config.load();
        var cluster = RunbookSession.cluster(cfg, clusterName);
        var actor = AuditCommand.user(operator.apply(host));
        var why = Optional.ofNullable(reason).map(String::strip).filter(r -> !r.isEmpty());
        var name = cluster.name().value();
        var now = host.clock().instant();
        Result result;
        try (var store = AuditCommand.open(cfg, host)) {
            var brakes = new AutomationBrakes(store, BreakerPolicy.of(cfg));
            var cooling = brakes.holds(cluster, now).stream()
                    .filter(h -> h instanceof AutomationHold.CoolingDown).map(h -> (AutomationHold.CoolingDown) h)
                    .findFirst();
            var breaker = brakes.breaker(now).openUntil().map(Object::toString).orElse(null);
            var breakerNote = breaker == null ? "" : "; the circuit breaker stays open until " + breaker
                    + " (automation.max-failovers across all clusters), ack does not clear it";
            if (cooling.isEmpty()) {
                result = new Result(name, false, store.clusterStates().load(cluster.name()).lastFailoverAt()
                        .map(Object::toString).orElse(null), null, actor.value(), why.orElse(null), null, breaker,
                        name + " has no cooldown to clear; nothing was journaled" + breakerNote);
            } else {
                var c = cooling.get();
                var record = new LinkedHashMap<String, Object>();
                record.put("lastFailover", c.lastFailover().toString());
                record.put("cooldownUntil", c.until().toString());
                var change = store.automation().ack(cluster.name(), why, actor, record);
                result = new Result(name, true, c.lastFailover().toString(), c.until().toString(), actor.value(),
                        why.orElse(null), change.journaled().map(e -> e.seq()).orElse(null), breaker,
                        // a cooldown is only cleared while it runs: its end is always still to come
                        "cooldown of " + name + " cleared (failover at " + c.lastFailover()
                                + ", it would have run until " + c.until() + "); the daemon may fail it over "
                                + "automatically again" + breakerNote);
            }
        }
        var out = spec.commandLine().getOut();
        switch (output.format()) {
            case TABLE -> out.println(result.message());
            case JSON -> out.println(Json.pretty(result));
        }
        out.flush();
        return ErrorCode.OK;
    }
}
