package dev.drctl.runbooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.OutboxMessage;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.StateStore;
import dev.drctl.notifiers.Notifications;
import dev.drctl.notifiers.Outbox;
import dev.drctl.notifiers.Templates;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.NotificationsSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine announcing through a real outbox (SQLite store): FAILOVER_STARTED after the commit step, each ending
 * queued in the commit of RUN_FINISHED, and a dry-run queueing nothing. No mail server is involved: queuing only writes
 * to the store.
 */
class RunAnnouncementsTest {
    private static final Actor ACTOR = Actor.user("tester");

    @TempDir
    Path dir;
    private StateStore store;
    private String url;
    private ClusterSpec cluster;
    private RunAnnouncements announcements;

    @BeforeEach
    void open() {
        url = "jdbc:sqlite:" + dir.resolve("drctl.db");
        var compliance = new ComplianceSpec(url, ComplianceSpec.Targets.defaults(), Period.ofYears(7), ZoneId.of("UTC"));
        store = StateStore.open(compliance, Clock.systemUTC(), Set.of());
        cluster = new ClusterSpec(new ClusterName("payments"), Engine.POSTGRESQL, new Credentials("drctl", Optional.empty()),
                List.of(new NodeSpec(new NodeName("pg-1"), "127.0.0.1", 1, "r1", 0, false),
                        new NodeSpec(new NodeName("pg-2"), "127.0.0.1", 2, "r1", 0, false)), FailoverPolicy.defaults(),
                Optional.empty());
        var spec = new NotificationsSpec(Optional.of(new NotificationsSpec.EmailSpec("127.0.0.1", 1, false, false,
                Optional.empty(), Optional.empty(), "dr@example.com")),
                Map.of("dba", List.of("dba@example.com"), "compliance", List.of("risk@example.com")), List.of(), Map.of());
        announcements = new RunAnnouncements(new Outbox(store, spec, new Templates(), ACTOR, Clock.systemUTC()),
                new Notifications(compliance));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private RunbookEngine engine() {
        return new RunbookEngine(store, url, Clock.systemUTC(), ACTOR).announcing(announcements);
    }

    private static Step step(String name, boolean readOnly, Function<RunContext, StepOutcome> body) {
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String describe(RunFacts facts) {
                return "do " + name;
            }

            @Override
            public StepOutcome run(RunContext context) {
                return body.apply(context);
            }

            @Override
            public boolean readOnly() {
                return readOnly;
            }
        };
    }

    private static Runbook failover(Step last) {
        return new Runbook(FailoverRunbook.NAME, RunKind.FAILOVER, List.of(
                step(FailoverRunbook.ANALYSE, true, c -> new StepOutcome.Succeeded("pg-1 is down",
                        Map.of(RunFacts.OLD_PRIMARY, "pg-1", "verdict", "pg-1 is down"))),
                step(FailoverRunbook.RANK, true, c -> new StepOutcome.Succeeded("pg-2",
                        Map.of(RunFacts.NEW_PRIMARY, "pg-2", "candidateReason", "most data"))),
                step(FailoverRunbook.COMMIT, false, c -> StepOutcome.Succeeded.of("decided")),
                last));
    }

    private List<OutboxMessage> queued(String runId) {
        return store.outbox().ofRun(runId);
    }

    @Test
    void aPromotionThatIsNotWritableIsAnnouncedAsVerificationFailedWithRunFinished() {
        var result = engine().run(failover(step(FailoverRunbook.VERIFY_WRITABLE, false,
                c -> new StepOutcome.Failed("pg-2 is still read-only", false))), cluster, Map.of(), RunListener.none());
        assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
        var rows = queued(result.runId());
        assertThat(rows).extracting(OutboxMessage::kind).containsExactlyInAnyOrder("FAILOVER_STARTED",
                "FAILOVER_VERIFICATION_FAILED", "FAILOVER_VERIFICATION_FAILED");
        assertThat(rows).filteredOn(m -> m.kind().equals("FAILOVER_VERIFICATION_FAILED"))
                .allSatisfy(m -> assertThat(m.payload()).contains("pg-2 is still read-only"));
        var entries = store.journal().entries(JournalQuery.all().run(result.runId()));
        var kinds = entries.stream().map(e -> e.kind()).toList();
        int finished = kinds.indexOf(JournalKind.RUN_FINISHED);
        assertThat(kinds.get(finished + 1)).as("queued in the same commit, right after").isEqualTo(JournalKind.NOTIFICATION_QUEUED);
        assertThat(entries).filteredOn(e -> e.kind() == JournalKind.STEP_INTENT)
                .extracting(e -> e.payloadTree().path("step").asText())
                .containsExactly("analyse", "rank", "commit", "announce-started", "verify-writable");
    }

    @Test
    void anOldPrimaryThatCouldNotBeFencedIsAnnouncedAsASplitBrainRisk() {
        var unreachable = new PromotionSteps.Fence(c -> new FenceLadder(new UnreachablePromoter(), c,
                n -> java.util.Optional.empty(), java.time.Duration.ofSeconds(1)), RunFacts.OLD_PRIMARY, false);
        var result = engine().run(failover(unreachable), cluster, Map.of(), RunListener.none());
        assertThat(result.end()).isEqualTo(RunResult.End.COMPLETED);
        var exceptions = queued(result.runId()).stream().filter(m -> m.kind().equals("EXCEPTION")).toList();
        assertThat(exceptions).isNotEmpty().allSatisfy(m -> assertThat(m.payload())
                .contains("split-brain risk: pg-1 could not be fenced").contains("drctl fence"));
        var steps = store.journal().entries(JournalQuery.all().run(result.runId())).stream()
                .filter(e -> e.kind() == JournalKind.STEP_OUTCOME).map(e -> e.payloadTree()).toList();
        assertThat(steps).filteredOn(p -> p.path("step").asText().equals("fence"))
                .allSatisfy(p -> assertThat(p.path("detail").asText()).startsWith("split-brain risk: pg-1"));
        assertThat(steps).extracting(p -> p.path("step").asText()).containsSubsequence("fence",
                AnnounceSplitBrainRisk.NAME);
    }

    /** A promoter whose every node is unreachable: only the fence is called. */
    private static final class UnreachablePromoter implements dev.drctl.promotion.Promoter {
        private static dev.drctl.promotion.ActionOutcome none() {
            return new dev.drctl.promotion.ActionOutcome.Unreachable("nothing answers");
        }

        @Override
        public dev.drctl.topology.Engine engine() {
            return dev.drctl.topology.Engine.POSTGRESQL;
        }

        @Override
        public dev.drctl.promotion.ActionOutcome fence(dev.drctl.topology.NodeSpec n) {
            return none();
        }

        @Override
        public dev.drctl.promotion.ActionOutcome awaitApplied(dev.drctl.topology.NodeSpec n, java.time.Duration t) {
            return none();
        }

        @Override
        public dev.drctl.promotion.ActionOutcome promote(dev.drctl.topology.NodeSpec n) {
            return none();
        }

        @Override
        public dev.drctl.promotion.ActionOutcome verifyWritable(dev.drctl.topology.NodeSpec n) {
            return none();
        }

        @Override
        public dev.drctl.promotion.ActionOutcome repoint(dev.drctl.topology.NodeSpec r, dev.drctl.topology.NodeSpec p) {
            return none();
        }

        @Override
        public dev.drctl.promotion.ActionOutcome verifyStreaming(dev.drctl.topology.NodeSpec r,
                                                                 dev.drctl.topology.NodeSpec p, java.time.Duration t) {
            return none();
        }

        @Override
        public dev.drctl.promotion.ActionOutcome demote(dev.drctl.topology.NodeSpec p) {
            return none();
        }

        @Override
        public dev.drctl.promotion.PositionReading position(dev.drctl.topology.NodeSpec n) {
            return new dev.drctl.promotion.PositionReading.NotRead(n.name(), none());
        }

        @Override
        public dev.drctl.promotion.ErrantCheck errantTransactions(dev.drctl.topology.NodeSpec c,
                                                                  List<dev.drctl.topology.NodeSpec> o) {
            return new dev.drctl.promotion.ErrantCheck.NotChecked(c.name(), none());
        }

        @Override
        public dev.drctl.promotion.ActionOutcome rejoin(dev.drctl.topology.NodeSpec o, dev.drctl.topology.NodeSpec p,
                                                        dev.drctl.promotion.RejoinContext c) {
            return none();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aFailedStepIsAnnouncedWithTheStateLeftAndARefusalAsBlocked() {
        var failed = engine().run(failover(step(FailoverRunbook.PROMOTE, false,
                c -> new StepOutcome.Failed("pg_promote() timed out", false))), cluster, Map.of(), RunListener.none());
        assertThat(queued(failed.runId())).filteredOn(m -> m.kind().equals("FAILOVER_FAILED")).hasSize(2)
                .allSatisfy(m -> assertThat(m.payload()).contains("pg_promote() timed out")
                        .contains("nothing was promoted; pg-1 is still the recorded primary"));

        var refused = engine().run(new Runbook(FailoverRunbook.NAME, RunKind.FAILOVER, List.of(
                step(FailoverRunbook.RPO_GUARD, true, c -> new StepOutcome.Refused("pg-2 lags 9MB, over max-lag")))),
                cluster, Map.of(), RunListener.none());
        assertThat(refused.end()).isEqualTo(RunResult.End.REFUSED);
        assertThat(queued(refused.runId())).extracting(OutboxMessage::kind).containsOnly("FAILOVER_BLOCKED");
        assertThat(queued(refused.runId())).allSatisfy(m -> assertThat(m.payload()).contains("pg-2 lags 9MB")
                .contains("RPO guard (rule 3)"));
    }

    @Test
    void aDryRunQueuesNothingAndACompletedRunIsAnnouncedOnce() {
        var plan = engine().plan(failover(step(FailoverRunbook.PROMOTE, false, c -> StepOutcome.Succeeded.of("ok"))),
                cluster, Map.of(), RunListener.none());
        assertThat(plan.steps()).extracting(StepReport::step).contains("announce-started");
        assertThat(store.outbox().pending(100)).isEmpty();

        var done = engine().run(failover(step(FailoverRunbook.PROMOTE, false, c -> StepOutcome.Succeeded.of("ok"))),
                cluster, Map.of(), RunListener.none());
        assertThat(done.end()).isEqualTo(RunResult.End.COMPLETED);
        assertThat(queued(done.runId())).extracting(OutboxMessage::kind).containsExactlyInAnyOrder("FAILOVER_STARTED",
                "FAILOVER_COMPLETED", "FAILOVER_COMPLETED");
        assertThat(queued(done.runId())).filteredOn(m -> m.kind().equals("FAILOVER_COMPLETED"))
                .allSatisfy(m -> assertThat(m.payload()).contains("no DNS configured"));
    }
}
