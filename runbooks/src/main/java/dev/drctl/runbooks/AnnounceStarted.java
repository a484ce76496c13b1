package dev.drctl.runbooks;

import dev.drctl.topology.DrctlException;
import java.util.ArrayList;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the DBAs a failover is under way, right after the commit step recorded the decision: FAILOVER_STARTED with
 * the verdict, the evidence and the decider's reason. It only writes to the store (the outbox is delivered by the
 * sender thread), so a dead mail server never delays the failover; and it never fails the run: a notification
 * that cannot be queued is reported as skipped and the failover goes on. The outbox dedup key
 * ({@code FAILOVER_STARTED/<run id>}) keeps a resumed run from announcing twice.
 */
final class AnnounceStarted implements Step {
    private static final Logger log = LoggerFactory.getLogger(AnnounceStarted.class);

    private final RunAnnouncements announcements;

    AnnounceStarted(RunAnnouncements announcements) {
        this.announcements = announcements;
    }

    @Override
    public String name() {
        return RunAnnouncements.ANNOUNCE_STARTED;
    }

    @Override
    public String describe(RunFacts facts) {
        return "queue the FAILOVER_STARTED notification (delivered in the background; never waits for a mail server)";
    }

    @Override
    public StepOutcome run(RunContext context) {
        var f = context.facts();
        var old = f.node(RunFacts.OLD_PRIMARY);
        if (old.isEmpty()) {
            return new StepOutcome.Skipped("no old primary is known; nothing to announce");
        }
        var evidence = new ArrayList<String>();
        f.get("verdict").ifPresent(v -> evidence.add("Verdict: " + v));
        f.get(RunFacts.DETECTED_AT).ifPresent(v -> evidence.add("Outage began: " + v
                + f.get(RunFacts.DETECTED_BASIS).map(b -> " (from the " + b.replace('_', ' ') + ")").orElse("")));
        f.get(RunFacts.CONFIRMED_AT).ifPresent(v -> evidence.add("Confirmed dead: " + v));
        f.get("candidatePosition").ifPresent(v -> evidence.add("Candidate position: " + v));
        f.get(RunFacts.RPO_ESTIMATE).ifPresent(evidence::add);
        if (f.flag(RunFacts.DATA_LOSS_ACCEPTED)) {
            evidence.add("Data loss accepted with --accept-data-loss: " + f.get("rpoBreaches").orElse(""));
        }
        var decision = "promote " + f.get(RunFacts.NEW_PRIMARY).orElse("the best replica")
                + f.get("candidateReason").map(r -> ": " + r).orElse("")
                + " (" + Trigger.of(f).fact() + " failover by " + context.actor().value() + ")";
        try {
            var n = announcements.notifications().failoverStarted(context.cluster().name(), context.runId(), context.now(), old.get(),
                    f.node(RunFacts.NEW_PRIMARY), f.get("verdict").orElse(old.get() + " is down"), evidence, decision);
            var queued = announcements.enqueue(n);
            var detail = queued.duplicate() ? "FAILOVER_STARTED was already queued for this run; not queued again"
                    : "FAILOVER_STARTED queued: " + queued.messages().size() + " message(s)";
            return new StepOutcome.Succeeded(detail, Map.of());
        } catch (DrctlException | IllegalArgumentException | IllegalStateException e) {
            // telling people must never stop the failover; the journal shows the announcement was skipped
            log.warn("FAILOVER_STARTED for {} could not be queued: {}", context.runId(), e.getMessage());
            return new StepOutcome.Skipped("FAILOVER_STARTED could not be queued (" + e.getMessage()
                    + "); the failover goes on");
        }
    }
}
