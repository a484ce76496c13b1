package dev.drctl.runbooks;

import dev.drctl.topology.DrctlException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the DBAs, right after the fence step, that the old primary could not be fenced because it did not answer: a
 * split-brain risk until it returns (safety rule 4). Only writes to the outbox, never fails the run; skipped when the
 * fence held. The outbox dedup key keeps a resumed run from announcing twice.
 */
final class AnnounceSplitBrainRisk implements Step {
    static final String NAME = "announce-split-brain-risk";
    private static final Logger log = LoggerFactory.getLogger(AnnounceSplitBrainRisk.class);

    private final RunAnnouncements announcements;

    AnnounceSplitBrainRisk(RunAnnouncements announcements) {
        this.announcements = announcements;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe(RunFacts facts) {
        return "when the old primary could not be fenced, queue a split-brain-risk notification";
    }

    @Override
    public StepOutcome run(RunContext context) {
        Optional<PromotionSteps.SplitBrainRisk> risk = context.kept(PromotionSteps.SplitBrainRisk.class);
        if (risk.isEmpty()) {
            return new StepOutcome.Skipped("the old primary was fenced or is not known: no split-brain risk to tell");
        }
        var cluster = context.cluster().name();
        try {
            var n = announcements.notifications().exception(Optional.of(cluster), context.runId(), context.now(),
                    "split-brain risk: " + risk.get().node() + " could not be fenced", risk.get().detail(),
                    "Make sure " + risk.get().node() + " cannot take writes (power it off, or run drctl fence "
                            + cluster + " " + risk.get().node() + " as soon as it answers)");
            var queued = announcements.enqueue(n);
            return new StepOutcome.Succeeded("split-brain risk announced: " + queued.messages().size()
                    + " message(s)", Map.of());
        } catch (DrctlException | IllegalArgumentException | IllegalStateException e) {
            log.warn("the split-brain risk of run {} could not be queued: {}", context.runId(), e.getMessage());
            return new StepOutcome.Skipped("the split-brain-risk notification could not be queued (" + e.getMessage()
                    + "); the journal holds the risk");
        }
    }
}
