package dev.drctl.runbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.compliance.Verification;
import dev.drctl.testenv.FaultProxy;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one-actor lock and the run's store I/O on a shared PostgreSQL store (the machine's PostgreSQL on 5432, a fresh
 * database per test): two engines in their own store sessions, the advisory lock's session killed with
 * {@code pg_terminate_backend} mid-run, and the store black-holed by a {@link FaultProxy}.
 */
class SharedStoreLockIT {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final ClusterName CLUSTER = new ClusterName("payments");
    /** Generous: only a hang reaches it; the bounds under test are seconds. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(120);

    private String database;
    private String url;
    private final ClusterSpec cluster = new ClusterSpec(CLUSTER, Engine.POSTGRESQL, new Credentials("drctl",
            Optional.empty()), List.of(new NodeSpec(new NodeName("pg-1"), "127.0.0.1", 1, "r1", 0, false)),
            FailoverPolicy.defaults(), Optional.empty());

    @BeforeEach
    void createDatabase() throws SQLException {
        database = "drctl_lock_" + UUID.randomUUID().toString().replace("-", "");
        try (var c = DriverManager.getConnection(ADMIN_URL); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        url = urlOn(5432);
        open(url).close(); // migrated once, so the runs below start at once
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (var c = DriverManager.getConnection(ADMIN_URL); var st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private String urlOn(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    private static StateStore open(String url) {
        return StateStore.open(new ComplianceSpec(url, ComplianceSpec.Targets.defaults(), Period.ofYears(7),
                ZoneId.of("UTC")), Clock.systemUTC(), Set.of());
    }

    private static Step step(String name, Function<RunContext, StepOutcome> body) {
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
        };
    }

    /** A step that says it began, then waits for the test to let it go. */
    private static Step gate(String name, CountDownLatch began, CountDownLatch go) {
        return step(name, c -> {
            began.countDown();
            try {
                return go.await(60, TimeUnit.SECONDS) ? StepOutcome.Succeeded.of("let go")
                        : new StepOutcome.Failed("never let go", false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new StepOutcome.Failed("interrupted", false);
            }
        });
    }

    private static Runbook gated(CountDownLatch began, CountDownLatch go) {
        return new Runbook("failover", RunKind.FAILOVER, List.of(gate("hold", began, go),
                step("act", c -> StepOutcome.Succeeded.of("acted"))));
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertThat(latch.await(60, TimeUnit.SECONDS)).as(what).isTrue();
    }

    /** The backend pid of the session holding drctl's advisory lock in this test's database. */
    private int lockSession() throws SQLException {
        try (var c = DriverManager.getConnection(ADMIN_URL); var st = c.prepareStatement("SELECT l.pid FROM pg_locks l "
                + "JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted "
                + "AND d.datname = ?")) {
            st.setString(1, database);
            try (var rs = st.executeQuery()) {
                assertThat(rs.next()).as("an advisory lock is held in " + database).isTrue();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void aSecondEngineOnTheSharedStoreIsRefusedAndTheRefusalNamesTheHolder() throws Exception {
        var began = new CountDownLatch(1);
        var go = new CountDownLatch(1);
        try (var firstStore = open(url); var secondStore = open(url)) {
            var first = new RunbookEngine(firstStore, url, Clock.systemUTC(), Actor.user("first"));
            var running = CompletableFuture.supplyAsync(() -> first.run(gated(began, go), cluster, Map.of(),
                    RunListener.none()));
            await(began, "the first run holds the lock and is in its first step");
            long session = lockSession();

            var second = new RunbookEngine(secondStore, url, Clock.systemUTC(), Actor.user("second"))
                    .withConfigFile(java.nio.file.Path.of("/etc/drctl/drctl.yaml"));
            var refused = second.run(gated(new CountDownLatch(1), new CountDownLatch(0)), cluster, Map.of(),
                    RunListener.none());
            go.countDown();
            var done = running.get(60, TimeUnit.SECONDS);

            assertThat(done.end()).isEqualTo(RunResult.End.COMPLETED);
            assertThat(refused.end()).isEqualTo(RunResult.End.REFUSED);
            assertThat(refused.summary()).startsWith("another drctl is acting on payments: user:first (pid "
                    + ProcessHandle.current().pid() + ", from 127.0.0.1, since ")
                    .contains("store session " + session + ") holds the one-actor lock")
                    .contains("carrying out failover run " + done.runId())
                    .contains("drctl status -c /etc/drctl/drctl.yaml");
            var decisions = secondStore.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.DECISION)));
            assertThat(decisions).singleElement().satisfies(e -> {
                assertThat(e.actor()).isEqualTo(Actor.user("second"));
                var holder = e.payloadTree().path("holder");
                assertThat(holder.path("actor").asText()).isEqualTo("user:first");
                assertThat(holder.path("storeSession").asLong()).isEqualTo(session);
                assertThat(holder.path("from").asText()).isEqualTo("127.0.0.1");
                assertThat(holder.path("runId").asText()).isEqualTo(done.runId());
                assertThat(Instant.parse(holder.path("since").asText())).isBefore(Instant.now());
            });
            assertThat(secondStore.runs().find(done.runId()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(secondStore.verifier().verify()).isInstanceOf(Verification.Intact.class);
        }
    }

    @Test
    void killingTheLockSessionStopsTheRunBeforeItsNextStep() throws Exception {
        var began = new CountDownLatch(1);
        var go = new CountDownLatch(1);
        try (var store = open(url)) {
            var engine = new RunbookEngine(store, url, Clock.systemUTC(), Actor.user("first"));
            var running = CompletableFuture.supplyAsync(() -> engine.run(gated(began, go), cluster, Map.of(),
                    RunListener.none()));
            await(began, "the run holds the lock and is in its first step");
            try (var c = DriverManager.getConnection(ADMIN_URL); var st = c.prepareStatement(
                    "SELECT pg_terminate_backend(?)")) {
                st.setInt(1, lockSession());
                try (var rs = st.executeQuery()) {
                    assertThat(rs.next() && rs.getBoolean(1)).as("the lock session was terminated").isTrue();
                }
            }
            go.countDown();
            var stopped = running.get(60, TimeUnit.SECONDS);

            assertThat(stopped.end()).isEqualTo(RunResult.End.FAILED);
            assertThat(stopped.steps()).extracting(StepReport::step).containsExactly("hold");
            assertThat(stopped.summary()).startsWith("the one-actor lock of payments was lost before step act: the "
                    + "store session that held the advisory lock of payments is gone");
            var mine = store.journal().entries(JournalQuery.all().run(stopped.runId()));
            assertThat(mine).extracting(e -> e.kind()).containsExactly(JournalKind.RUN_STARTED,
                    JournalKind.STEP_INTENT, JournalKind.STEP_OUTCOME, JournalKind.DECISION);
            assertThat(mine.getLast().payloadTree().path("decision").asText()).isEqualTo("stopped");
            assertThat(store.runs().find(stopped.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);

            // The next actor takes the lock and finishes the same run without repeating its first step.
            var resumed = new RunbookEngine(store, url, Clock.systemUTC(), Actor.user("next")).run(new Runbook("failover",
                    RunKind.FAILOVER, List.of(step("hold", c -> new StepOutcome.Failed("repeated", false)),
                    step("act", c -> StepOutcome.Succeeded.of("acted")))), cluster, Map.of(), RunListener.none());
            assertThat(resumed.runId()).isEqualTo(stopped.runId());
            assertThat(resumed.end()).isEqualTo(RunResult.End.COMPLETED);
            assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
        }
    }

    @Test
    void aBlackHoledStoreFailsTheRunInBoundedTimeInsteadOfHangingIt() throws Exception {
        try (var proxy = FaultProxy.start("store", "127.0.0.1", 5432)) {
            var viaProxy = urlOn(proxy.port());
            var began = new CountDownLatch(1);
            var go = new CountDownLatch(1);
            var store = open(viaProxy);
            try {
                var engine = new RunbookEngine(store, viaProxy, Clock.systemUTC(), Actor.user("first"))
                        .withJournalBudget(Duration.ofSeconds(5));
                var running = CompletableFuture.supplyAsync(() -> engine.run(gated(began, go), cluster, Map.of(),
                        RunListener.none()));
                await(began, "the run is in its first step");
                proxy.blackhole();
                go.countDown();
                var result = assertTimeoutPreemptively(HANG_GUARD, () -> running.get());

                assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
                assertThat(result.summary()).startsWith("step hold ended (let go) but its outcome could not be "
                        + "journaled: journal STEP_OUTCOME: the store " + store.description()
                        + " did not answer within 5s").contains("run drctl failover payments -c FILE again");
            } finally {
                assertTimeoutPreemptively(HANG_GUARD, store::close);
            }
            // Outside a run the driver's own timeouts bound every wait: a statement on an open connection (socket
            // timeout), a new store connection and a new lock session (connect and login timeouts).
            proxy.pass();
            var direct = open(viaProxy);
            try {
                direct.runs().find("warm-up");
                proxy.blackhole();
                assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(() -> direct.runs().find("x"))
                        .isInstanceOf(DrctlException.class).hasMessageContaining("check that the store is reachable"));
            } finally {
                assertTimeoutPreemptively(HANG_GUARD, direct::close);
            }
            assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(() -> open(viaProxy))
                    .isInstanceOf(DrctlException.class).hasMessageContaining("store"));
            assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(() -> ActorLock.tryAcquire(viaProxy, CLUSTER,
                    ActorLock.Holder.self("user:first", Instant.now())))
                    .isInstanceOf(DrctlException.class).hasMessageContaining("check that the store is reachable"));
        }
        // The run that was cut off stays claimed in the real store, for a resume once the store answers.
        try (var store = open(url)) {
            assertThat(store.clusterStates().load(CLUSTER).activeRunId()).isPresent();
        }
    }
}
