package dev.drctl.runbooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.compliance.Verification;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine against a real SQLite store: write-ahead order, retries, timeouts, refusals, locks, resume, dry-run. */
class RunbookEngineTest {
    private static final ClusterName CLUSTER = new ClusterName("payments");
    private static final Actor ACTOR = Actor.user("tester");

    @TempDir
    Path dir;
    private StateStore store;
    private String url;
    private ClusterSpec cluster;
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        url = "jdbc:sqlite:" + dir.resolve("drctl.db");
        store = StateStore.open(new ComplianceSpec(url, ComplianceSpec.Targets.defaults(), Period.ofYears(7),
                ZoneId.of("UTC")), Clock.systemUTC(), Set.of());
        cluster = new ClusterSpec(CLUSTER, Engine.POSTGRESQL, new Credentials("drctl", Optional.empty()),
                List.of(new NodeSpec(new NodeName("pg-1"), "127.0.0.1", 1, "r1", 0, false)), FailoverPolicy.defaults(),
                Optional.empty());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private RunbookEngine engine() {
        return new RunbookEngine(store, url, Clock.systemUTC(), ACTOR);
    }

    /** A test step: records that it ran, then answers with {@code body}. */
    private Step step(String name, boolean readOnly, Function<RunContext, StepOutcome> body) {
        return step(name, readOnly, RetryPolicy.none(), Duration.ofSeconds(10), body);
    }

    private Step step(String name, boolean readOnly, RetryPolicy retry, Duration timeout,
                      Function<RunContext, StepOutcome> body) {
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
                ran.add(name + (context.recheck() ? "(recheck)" : ""));
                return body.apply(context);
            }

            @Override
            public boolean readOnly() {
                return readOnly;
            }

            @Override
            public RetryPolicy retry() {
                return retry;
            }

            @Override
            public Duration timeout() {
                return timeout;
            }
        };
    }

    private Runbook runbook(Step... steps) {
        return new Runbook("test", RunKind.FAILOVER, List.of(steps));
    }

    private List<JournalEntry> journal(String runId) {
        return store.journal().entries(JournalQuery.all().run(runId));
    }

    private static List<String> shape(List<JournalEntry> entries) {
        var out = new ArrayList<String>();
        for (var e : entries) {
            var p = e.payloadTree();
            out.add(switch (e.kind()) {
                case STEP_INTENT -> "intent " + p.path("step").asText();
                case STEP_OUTCOME -> "outcome " + p.path("step").asText() + " " + p.path("outcome").asText();
                default -> e.kind().name();
            });
        }
        return out;
    }

    @Test
    void journalsEveryIntentBeforeItsOutcomeAndPassesFactsOn() {
        var result = engine().run(runbook(
                step("look", true, c -> new StepOutcome.Succeeded("looked", Map.of(RunFacts.NEW_PRIMARY, "pg-2"))),
                step("act", false, c -> StepOutcome.Succeeded.of("acted for " + c.facts().require(RunFacts.NEW_PRIMARY))),
                step("maybe", false, c -> new StepOutcome.Skipped("nothing to do"))), cluster, Map.of("x", "1"),
                RunListener.none());

        assertThat(result.end()).isEqualTo(RunResult.End.COMPLETED);
        assertThat(result.exitCode()).isZero();
        assertThat(result.steps()).extracting(StepReport::status).containsExactly("succeeded", "succeeded", "skipped");
        assertThat(result.steps().get(1).outcome().orElseThrow().detail()).isEqualTo("acted for pg-2");
        assertThat(shape(journal(result.runId()))).containsExactly("RUN_STARTED", "intent look", "outcome look succeeded",
                "intent act", "outcome act succeeded", "intent maybe", "outcome maybe skipped", "RUN_FINISHED");
        assertThat(store.runs().find(result.runId()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        var state = store.clusterStates().load(CLUSTER);
        assertThat(state.activeRunId()).isEmpty();
        assertThat(journal(result.runId()).get(1).payloadTree().path("fencingToken").asText())
                .isEqualTo(result.facts().require(RunFacts.FENCING_TOKEN));
        assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
    }

    @Test
    void retriesRetrySafeFailuresBoundedThenStops() {
        var calls = new AtomicInteger();
        var result = engine().run(runbook(
                step("flaky", false, RetryPolicy.attempts(3, Duration.ofMillis(10)), Duration.ofSeconds(5),
                        c -> calls.incrementAndGet() < 3 ? new StepOutcome.Failed("refused", true)
                                : StepOutcome.Succeeded.of("ok on attempt " + c.attempt())),
                step("broken", false, RetryPolicy.attempts(5, Duration.ofMillis(10)), Duration.ofSeconds(5),
                        c -> new StepOutcome.Failed("still read-only", false)),
                step("never", false, c -> StepOutcome.Succeeded.of("unreachable"))), cluster, Map.of(),
                RunListener.none());

        assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.summary()).isEqualTo("step broken failed: still read-only");
        assertThat(ran).containsExactly("flaky", "flaky", "flaky", "broken");
        assertThat(shape(journal(result.runId()))).containsExactly("RUN_STARTED", "intent flaky", "outcome flaky failed",
                "intent flaky", "outcome flaky failed", "intent flaky", "outcome flaky succeeded", "intent broken",
                "outcome broken failed", "RUN_FINISHED");
        assertThat(store.runs().find(result.runId()).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
        assertThat(store.clusterStates().load(CLUSTER).activeRunId()).as("a failed run is not resumed").isEmpty();
    }

    @Test
    void interruptsAStepAtItsTimeout() {
        var result = engine().run(runbook(step("hang", false, RetryPolicy.none(), Duration.ofMillis(200), c -> {
            try {
                Thread.sleep(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StepOutcome.Succeeded.of("woke");
        })), cluster, Map.of(), RunListener.none());

        assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
        assertThat(result.summary()).isEqualTo("step hang failed: did not finish within its timeout of 200ms; interrupted");
    }

    @Test
    void aRefusalEndsTheRunWithExitThree() {
        var result = engine().run(runbook(step("guard", true, c -> new StepOutcome.Refused("primary is alive")),
                step("act", false, c -> StepOutcome.Succeeded.of("acted"))), cluster, Map.of(), RunListener.none());

        assertThat(result.end()).isEqualTo(RunResult.End.REFUSED);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.summary()).isEqualTo("primary is alive");
        assertThat(ran).containsExactly("guard");
        assertThat(store.runs().find(result.runId()).orElseThrow().status()).isEqualTo(RunStatus.ABORTED);
    }

    @Test
    void aSecondActorIsRefusedWhileTheLockIsHeldAndTheRefusalIsJournaled() {
        var other = new ActorLock.Holder("user:other", OptionalLong.of(42), Optional.empty(),
                Optional.of(Instant.parse("2026-11-28T07:00:00Z")), OptionalLong.empty());
        var held = ActorLock.tryAcquire(url, CLUSTER, other);
        assertThat(held).isInstanceOf(ActorLock.Attempt.Held.class);
        try (var lock = ((ActorLock.Attempt.Held) held).lock()) {
            var result = engine().withConfigFile(Path.of("/etc/drctl/drctl.yaml")).run(runbook(step("act", false,
                    c -> StepOutcome.Succeeded.of("acted"))), cluster, Map.of(), RunListener.none());
            assertThat(result.end()).isEqualTo(RunResult.End.REFUSED);
            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.summary()).startsWith("another drctl is acting on payments: user:other (pid 42, since "
                    + "2026-11-28T07:00:00Z) holds the one-actor lock (" + ActorLock.lockFile(url, CLUSTER) + ")")
                    .contains("drctl status -c /etc/drctl/drctl.yaml");
            assertThat(ran).isEmpty();
            var refusals = store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.DECISION)));
            assertThat(refusals).singleElement().satisfies(e -> {
                assertThat(e.actor()).isEqualTo(ACTOR);
                assertThat(e.cluster()).contains(CLUSTER);
                var p = e.payloadTree();
                assertThat(p.path("decision").asText()).isEqualTo("refused");
                assertThat(p.at("/holder/actor").asText()).isEqualTo("user:other");
                assertThat(p.at("/holder/pid").asLong()).isEqualTo(42);
                assertThat(p.at("/holder/since").asText()).isEqualTo("2026-11-28T07:00:00Z");
                assertThat(p.path("summary").asText()).isEqualTo(result.summary());
            });
        }
        var after = engine().run(runbook(step("act", false, c -> StepOutcome.Succeeded.of("acted"))), cluster, Map.of(),
                RunListener.none());
        assertThat(after.end()).isEqualTo(RunResult.End.COMPLETED);
        assertThat(Files.exists(ActorLock.lockFile(url, CLUSTER))).isTrue();
    }

    @Test
    void aRefusalNamesTheRunTheHolderIsCarryingOut() throws Exception {
        var runId = crashedRun("act", true);
        var held = ActorLock.tryAcquire(url, CLUSTER, ActorLock.Holder.self("user:earlier", Instant.now()));
        try (var lock = ((ActorLock.Attempt.Held) held).lock()) {
            var result = engine().run(lookActActAgain(), cluster, Map.of(), RunListener.none());
            assertThat(result.end()).isEqualTo(RunResult.End.REFUSED);
            assertThat(result.summary()).contains("carrying out failover run " + runId).contains("drctl status -c FILE");
            var refusal = store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.DECISION))).getLast();
            assertThat(refusal.payloadTree().at("/holder/runId").asText()).isEqualTo(runId);
            assertThat(refusal.payloadTree().at("/holder/pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void aLockFileDeletedDuringARunStopsItBeforeItsNextStep() throws Exception {
        var lockFile = ActorLock.lockFile(url, CLUSTER);
        var result = engine().run(runbook(
                step("look", true, c -> StepOutcome.Succeeded.of("looked")),
                step("act", false, c -> {
                    try {
                        Files.delete(lockFile);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return StepOutcome.Succeeded.of("acted");
                }),
                step("promote", false, c -> StepOutcome.Succeeded.of("promoted"))), cluster, Map.of(),
                RunListener.none());

        assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(ran).containsExactly("look", "act");
        assertThat(result.summary()).startsWith("the one-actor lock of payments was lost before step promote: the lock "
                + "file " + lockFile + " was deleted").contains("resumes this run from the journal");
        assertThat(shape(journal(result.runId()))).containsExactly("RUN_STARTED", "intent look",
                "outcome look succeeded", "intent act", "outcome act succeeded", "DECISION");
        var stop = journal(result.runId()).getLast().payloadTree();
        assertThat(stop.path("decision").asText()).isEqualTo("stopped");
        assertThat(stop.path("where").asText()).isEqualTo("before step promote");
        // Nothing else written: the run stays unfinished and claimed, for the next holder of the lock to resume.
        assertThat(store.runs().find(result.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(store.clusterStates().load(CLUSTER).activeRunId()).contains(result.runId());

        ran.clear();
        var resumed = engine().run(runbook(
                step("look", true, c -> StepOutcome.Succeeded.of("looked")),
                step("act", false, c -> StepOutcome.Succeeded.of("acted")),
                step("promote", false, c -> StepOutcome.Succeeded.of("promoted"))), cluster, Map.of(),
                RunListener.none());
        assertThat(resumed.runId()).isEqualTo(result.runId());
        assertThat(resumed.end()).isEqualTo(RunResult.End.COMPLETED);
        assertThat(ran).containsExactly("promote");
        assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
    }

    /** A lease whose answer the test sets: what a daemon's ZooKeeper leadership says at each look. */
    private static final class SettableLease implements Lease {
        volatile Look look;

        SettableLease(Look look) {
            this.look = look;
        }

        @Override
        public String description() {
            return "ZooKeeper 127.0.0.1:2181 (namespace drctl)";
        }

        @Override
        public Look look(ClusterName cluster) {
            return look;
        }
    }

    private static Lease.Look.Held held(long token, String holder) {
        return new Lease.Look.Held(new dev.drctl.compliance.LeadershipToken(token, holder));
    }

    @Test
    void asLeaderEveryIntentCarriesTheTermsTokenAndTheStoreRecordsIt() {
        var lease = new SettableLease(held(4_294_967_301L, "daemon:mum-1"));
        var result = engine().withLease(lease).run(runbook(
                step("look", true, c -> StepOutcome.Succeeded.of("looked")),
                step("promote", false, c -> StepOutcome.Succeeded.of("promoted"))), cluster, Map.of(),
                RunListener.none());

        assertThat(result.end()).isEqualTo(RunResult.End.COMPLETED);
        assertThat(ran).containsExactly("look", "promote");
        var intents = journal(result.runId()).stream().filter(e -> e.kind() == JournalKind.STEP_INTENT).toList();
        assertThat(intents).hasSize(2).allSatisfy(e -> {
            assertThat(e.payloadTree().path("leadershipToken").asLong()).isEqualTo(4_294_967_301L);
            assertThat(e.payloadTree().path("leader").asText()).isEqualTo("daemon:mum-1");
        });
        assertThat(store.leadershipTokens().newest(CLUSTER).orElseThrow().token().value()).isEqualTo(4_294_967_301L);
        assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
    }

    @Test
    void aStepCarryingAStaleTokenIsRefusedByTheStoreBeforeItRuns() {
        // A newer leader (a later latch node, so a larger zxid) has already acted on the cluster.
        store.leadershipTokens().checkAndRecord(CLUSTER, new dev.drctl.compliance.LeadershipToken(4_294_967_320L,
                "daemon:hyd-1"));
        var lease = new SettableLease(held(4_294_967_301L, "daemon:mum-1"));
        var result = engine().withLease(lease).run(runbook(
                step("promote", false, c -> StepOutcome.Succeeded.of("promoted"))), cluster, Map.of(),
                RunListener.none());

        assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
        assertThat(ran).as("the step never ran, so no database was touched").isEmpty();
        assertThat(result.summary()).startsWith("leadership of payments was lost before step promote (the store "
                + "refused its intent): leadership token 4294967301 of daemon:mum-1 is older than token 4294967320 of "
                + "daemon:hyd-1");
        assertThat(shape(journal(result.runId()))).containsExactly("RUN_STARTED", "DECISION");
        assertThat(store.leadershipTokens().newest(CLUSTER).orElseThrow().token().holder()).isEqualTo("daemon:hyd-1");
        // Left unfinished for the leader to resume.
        assertThat(store.runs().find(result.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void leadershipLostDuringARunStopsItBeforeItsNextStepAndTheNewLeaderResumesIt() {
        var lease = new SettableLease(held(10, "daemon:mum-1"));
        var result = engine().withLease(lease).run(runbook(
                step("look", true, c -> StepOutcome.Succeeded.of("looked")),
                step("fence", false, c -> {
                    lease.look = new Lease.Look.Lost("the ZooKeeper connection is suspended");
                    return StepOutcome.Succeeded.of("fenced");
                }),
                step("promote", false, c -> StepOutcome.Succeeded.of("promoted"))), cluster, Map.of(),
                RunListener.none());

        assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
        assertThat(ran).containsExactly("look", "fence");
        assertThat(result.summary()).startsWith("leadership of payments was lost before step promote: the ZooKeeper "
                + "connection is suspended");
        var stop = journal(result.runId()).getLast().payloadTree();
        assertThat(stop.path("decision").asText()).isEqualTo("stopped");
        assertThat(stop.path("lease").asText()).isEqualTo("ZooKeeper 127.0.0.1:2181 (namespace drctl)");
        assertThat(store.clusterStates().load(CLUSTER).activeRunId()).contains(result.runId());

        ran.clear();
        var next = engine().withLease(new SettableLease(held(11, "daemon:hyd-1"))).run(runbook(
                step("look", true, c -> StepOutcome.Succeeded.of("looked")),
                step("fence", false, c -> StepOutcome.Succeeded.of("fenced")),
                step("promote", false, c -> StepOutcome.Succeeded.of("promoted"))), cluster, Map.of(),
                RunListener.none());
        assertThat(next.runId()).isEqualTo(result.runId());
        assertThat(next.end()).isEqualTo(RunResult.End.COMPLETED);
        assertThat(ran).containsExactly("promote");
        var promoteIntent = journal(next.runId()).stream().filter(e -> e.kind() == JournalKind.STEP_INTENT).toList()
                .getLast().payloadTree();
        assertThat(promoteIntent.path("leadershipToken").asLong()).isEqualTo(11);
    }

    @Test
    void aDaemonThatDoesNotLeadTheClusterIsRefusedAndTouchesNothing() {
        var lease = new SettableLease(new Lease.Look.Lost("daemon:hyd-1 leads payments"));
        var result = engine().withLease(lease).run(runbook(
                step("promote", false, c -> StepOutcome.Succeeded.of("promoted"))), cluster, Map.of(),
                RunListener.none());
        assertThat(result.end()).isEqualTo(RunResult.End.REFUSED);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(ran).isEmpty();
        assertThat(result.summary()).startsWith("this drctl does not lead payments (daemon:hyd-1 leads payments");
        assertThat(store.clusterStates().load(CLUSTER).activeRunId()).isEmpty();
    }

    @Test
    void aStoreThatStopsAnsweringFailsTheRunWithinTheJournalBudget() throws Exception {
        // Another process holding SQLite's write lock is a store that does not answer writes: the busy timeout (10s)
        // is longer than the budget given here, so the engine, not the driver, ends the wait.
        var blocker = java.sql.DriverManager.getConnection(url);
        try {
            var result = engine().withJournalBudget(Duration.ofSeconds(1)).run(runbook(
                    step("look", true, c -> {
                        try (var st = blocker.createStatement()) {
                            st.execute("BEGIN EXCLUSIVE");
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                        return StepOutcome.Succeeded.of("looked");
                    }),
                    step("act", false, c -> StepOutcome.Succeeded.of("acted"))), cluster, Map.of(), RunListener.none());

            assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
            assertThat(result.summary()).startsWith("step look ended (looked) but its outcome could not be journaled: "
                    + "journal STEP_OUTCOME: the store " + store.description() + " did not answer within 1s")
                    .contains("run drctl failover payments -c FILE again");
            assertThat(ran).containsExactly("look");
        } finally {
            try (var st = blocker.createStatement()) {
                st.execute("ROLLBACK");
            }
            blocker.close();
        }
        // The store answers again: the run was left claimed, and the next one resumes it.
        var resumed = engine().run(runbook(step("look", true, c -> StepOutcome.Succeeded.of("looked")),
                step("act", false, c -> StepOutcome.Succeeded.of("acted"))), cluster, Map.of(), RunListener.none());
        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.end()).isEqualTo(RunResult.End.COMPLETED);
        assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
    }

    @Test
    void anInterruptedRunStillJournalsItsOutcomeAndEndAndPassesTheInterruptOn() {
        var engineThread = Thread.currentThread();
        var result = engine().run(runbook(step("long", false, c -> {
            engineThread.interrupt(); // what a Ctrl-C handler or a stopping daemon does to the run's thread
            try {
                Thread.sleep(30_000);
                return StepOutcome.Succeeded.of("slept");
            } catch (InterruptedException e) {
                return new StepOutcome.Failed("stopped", false);
            }
        }), step("after", false, c -> StepOutcome.Succeeded.of("after"))), cluster, Map.of(), RunListener.none());

        assertThat(Thread.interrupted()).as("the interrupt is passed on to the caller").isTrue();
        assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
        assertThat(result.summary()).isEqualTo("step long failed: interrupted");
        assertThat(ran).containsExactly("long");
        assertThat(shape(journal(result.runId()))).containsExactly("RUN_STARTED", "intent long", "outcome long failed",
                "RUN_FINISHED");
        assertThat(store.runs().find(result.runId()).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
        assertThat(store.clusterStates().load(CLUSTER).activeRunId()).isEmpty();
    }

    @Test
    void aStepThatIgnoresItsInterruptIsLeftBehindAndTheRunEnds() {
        var release = new java.util.concurrent.CountDownLatch(1);
        try {
            var result = engine().run(runbook(step("stubborn", false, RetryPolicy.none(), Duration.ofMillis(200), c -> {
                while (true) {
                    try {
                        release.await();
                        return StepOutcome.Succeeded.of("released");
                    } catch (InterruptedException e) {
                        // ignores it on purpose: a call that does not honour interrupts
                    }
                }
            })), cluster, Map.of(), RunListener.none());
            assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
            assertThat(result.summary()).isEqualTo("step stubborn failed: did not finish within its timeout of 200ms; "
                    + "interrupted, and it did not stop within 5s (left behind)");
        } finally {
            release.countDown();
        }
    }

    /** What a process that died after announcing {@code interrupted} leaves behind. */
    private String crashedRun(String interrupted, boolean firstDone) {
        var runId = "failover-payments-crashed";
        var state = store.clusterStates().save(store.clusterStates().load(CLUSTER).withActiveRun(Optional.of(runId)))
                .orElseThrow();
        var record = RunRecord.started(runId, RunKind.FAILOVER, CLUSTER, Actor.user("earlier"), Clock.systemUTC().instant());
        store.runs().save(record);
        var started = record.toJson();
        started.putObject("facts").put("request", "original").put(RunFacts.EPOCH_AT_START, "0");
        append(runId, JournalKind.RUN_STARTED, started);
        append(runId, JournalKind.STEP_INTENT, Map.of("step", "look"));
        append(runId, JournalKind.STEP_OUTCOME, Map.of("step", "look", "outcome", "succeeded", "facts",
                Map.of(RunFacts.NEW_PRIMARY, "pg-2")));
        if (firstDone) {
            append(runId, JournalKind.STEP_INTENT, Map.of("step", "act"));
            append(runId, JournalKind.STEP_OUTCOME, Map.of("step", "act", "outcome", "succeeded", "facts", Map.of("acted", "yes")));
        }
        append(runId, JournalKind.STEP_INTENT, Map.of("step", interrupted));
        assertThat(state.activeRunId()).contains(runId);
        return runId;
    }

    private void append(String runId, JournalKind kind, Object payload) {
        store.journal().append(JournalDraft.of(Actor.user("earlier"), kind, payload).cluster(CLUSTER).run(runId).epoch(0));
    }

    private Runbook lookActActAgain() {
        return runbook(
                step("look", true, c -> new StepOutcome.Succeeded("looked", Map.of(RunFacts.NEW_PRIMARY, "pg-3"))),
                step("act", false, c -> new StepOutcome.Succeeded("acted", Map.of("acted", "yes"))),
                step("promote", false, c -> StepOutcome.Succeeded.of("promoted " + c.facts().require(RunFacts.NEW_PRIMARY)
                        + " for " + c.facts().require("request"))),
                step("after", false, c -> StepOutcome.Succeeded.of("after")));
    }

    @Test
    void resumesFromTheJournalWithoutRepeatingCompletedSteps() {
        var runId = crashedRun("promote", true);

        var result = engine().run(lookActActAgain(), cluster, Map.of("request", "ignored"), RunListener.none());

        assertThat(result.runId()).isEqualTo(runId);
        assertThat(result.resumed()).isTrue();
        assertThat(result.end()).isEqualTo(RunResult.End.COMPLETED);
        assertThat(ran).containsExactly("promote(recheck)", "after");
        assertThat(result.steps()).extracting(StepReport::origin).containsExactly(StepReport.Origin.DONE_BEFORE,
                StepReport.Origin.DONE_BEFORE, StepReport.Origin.RAN, StepReport.Origin.RAN);
        assertThat(result.steps().get(2).outcome().orElseThrow().detail()).isEqualTo("promoted pg-2 for original");
        var kinds = shape(journal(runId));
        assertThat(kinds).containsSubsequence("RUN_STARTED", "intent promote", "RUN_STARTED", "intent promote",
                "outcome promote succeeded", "intent after", "outcome after succeeded", "RUN_FINISHED");
        assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
    }

    @Test
    void aCrashBeforeAnyActingStepLooksAgain() {
        crashedRun("look", false);
        var onlyLook = shape(journal("failover-payments-crashed"));
        assertThat(onlyLook).doesNotContain("intent act");

        var result = engine().run(lookActActAgain(), cluster, Map.of(), RunListener.none());

        assertThat(result.resumed()).isTrue();
        assertThat(ran).containsExactly("look", "act", "promote", "after");
        assertThat(result.steps().get(2).outcome().orElseThrow().detail()).isEqualTo("promoted pg-3 for original");
    }

    @Test
    void anIntentThatCannotBeJournaledIsNotStarted() {
        // The journal refuses an entry holding a secret value: a real way for an append to fail.
        store.close();
        store = StateStore.open(new ComplianceSpec(url, ComplianceSpec.Targets.defaults(), Period.ofYears(7),
                ZoneId.of("UTC")), Clock.systemUTC(), Set.of("s3cret-value"));
        var leaky = new Step() {
            @Override
            public String name() {
                return "promote";
            }

            @Override
            public String describe(RunFacts facts) {
                return "promote with password s3cret-value";
            }

            @Override
            public StepOutcome run(RunContext context) {
                ran.add("promote");
                return StepOutcome.Succeeded.of("promoted");
            }
        };
        var result = engine().run(runbook(step("look", true, c -> StepOutcome.Succeeded.of("looked")), leaky), cluster,
                Map.of(), RunListener.none());

        assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(ran).containsExactly("look");
        assertThat(result.summary()).startsWith("the intent of step promote could not be journaled, so it was not started");
    }

    @Test
    void aDryRunRunsOnlyTheLookingStepsAndJournalsOneDecision() {
        var reports = new ArrayList<StepReport>();
        var result = engine().plan(runbook(
                step("look", true, c -> new StepOutcome.Succeeded("looked", Map.of(RunFacts.NEW_PRIMARY, "pg-2"))),
                new Step() {
                    @Override
                    public String name() {
                        return "promote";
                    }

                    @Override
                    public String describe(RunFacts facts) {
                        return "promote " + facts.require(RunFacts.NEW_PRIMARY);
                    }

                    @Override
                    public StepOutcome run(RunContext context) {
                        ran.add("promote");
                        return StepOutcome.Succeeded.of("promoted");
                    }
                }), cluster, Map.of(), reports::add);

        assertThat(result.end()).isEqualTo(RunResult.End.PLANNED);
        assertThat(ran).containsExactly("look");
        assertThat(reports).extracting(StepReport::status).containsExactly("succeeded", "planned");
        assertThat(reports.get(1).description()).isEqualTo("promote pg-2");
        var all = store.journal().entries(JournalQuery.all());
        assertThat(all).extracting(JournalEntry::kind).containsExactly(JournalKind.DECISION);
        assertThat(all.getFirst().payloadTree().path("dryRun").asBoolean()).isTrue();
        assertThat(store.clusterStates().load(CLUSTER).version()).isZero();
    }

    @Test
    void runbooksTakeNewStepsByName() {
        var rb = lookActActAgain().withStepAfter("promote", step("dns", false, c -> StepOutcome.Succeeded.of("moved")))
                .withStep(step("notify", false, c -> StepOutcome.Succeeded.of("told")));
        assertThat(rb.stepNames()).containsExactly("look", "act", "promote", "dns", "after", "notify");
    }

    @Test
    void hooksGetTheRunFactsAndAreKilledAtTheirTimeout() {
        var out = dir.resolve("hook.out");
        var hook = new HookStep("hook", "echo \"$DRCTL_CLUSTER $DRCTL_OLD_PRIMARY $DRCTL_NEW_PRIMARY $DRCTL_EPOCH "
                + "$DRCTL_RUN_ID\" > " + out, Duration.ofSeconds(10), true, null);
        var slow = new HookStep("slow", "sleep 60", Duration.ofMillis(300), true, null);
        var result = engine().run(runbook(
                step("look", true, c -> new StepOutcome.Succeeded("looked", Map.of(RunFacts.OLD_PRIMARY, "pg-1",
                        RunFacts.NEW_PRIMARY, "pg-2", RunFacts.EPOCH, "7"))), hook, slow), cluster, Map.of(),
                RunListener.none());

        assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
        assertThat(result.summary()).isEqualTo("step slow failed: hook `sleep 60` did not finish within 300ms; killed");
        assertThat(out).content().isEqualTo("payments pg-1 pg-2 7 " + result.runId() + "\n");
    }
}
