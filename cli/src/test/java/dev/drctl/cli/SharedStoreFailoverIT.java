package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.JournalKind;
import dev.drctl.runbooks.FailoverRunbook;
import dev.drctl.runbooks.HookStep;
import dev.drctl.runbooks.PromotionSteps;
import dev.drctl.runbooks.RunListener;
import dev.drctl.runbooks.RunResult;
import dev.drctl.testenv.FaultProxy;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code drctl failover} of one cluster sharing a PostgreSQL store (a fresh database on the machine's PostgreSQL),
 * against a real 1+2 whose primary was killed. The first is the production failover runbook with one extra hook step
 * before {@code promote} that waits for the test (the gate), so the second comes while the first holds the lock:
 * the second is refused, the refusal journaled with the holder; the first's lock session is then killed with
 * {@code pg_terminate_backend} and it stops before promoting; a third {@code drctl failover} resumes that run and
 * promotes: exactly one node was promoted, once.
 */
class SharedStoreFailoverIT {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    @TempDir
    Path dir;
    LocalTopology topology;
    String database;

    @AfterEach
    void down() throws SQLException {
        if (topology != null) {
            topology.close();
        }
        if (database != null) {
            try (var c = DriverManager.getConnection(ADMIN_URL); var st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    /** The production failover (with its DNS steps) plus a gate before promote; as user {@code first}. */
    static RunResult gatedFailover(Path config, Path marker, Path go) {
        var cfg = ConfigLoader.load(config);
        var host = new Host(Clock.systemUTC(), Map.of(), "first");
        var cluster = cfg.clusters().getFirst();
        try (var session = RunbookSession.open(cfg, cluster, host)) {
            var runbook = session.withDnsSteps(FailoverRunbook.create(session.probes,
                    PromotionSteps.Probe.roundsFor(cluster), session.promoter, session.store))
                    .withStepBefore(FailoverRunbook.PROMOTE, new HookStep("gate", "touch '" + marker + "' && while [ ! -e '"
                            + go + "' ]; do sleep 0.1; done", Duration.ofMinutes(3), true, null));
            return session.engine.run(runbook, cluster, FailoverRunbook.request(Optional.empty(), false,
                    dev.drctl.runbooks.Trigger.MANUAL), RunListener.none());
        }
    }

    /** The backend pid of the session holding drctl's advisory lock in the store. */
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

    private List<NodeName> writable() {
        var out = new ArrayList<NodeName>();
        for (var n : topology.replicas()) {
            try (var c = topology.connect(n); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    out.add(n);
                }
            } catch (SQLException e) {
                throw new AssertionError(n + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** A 1+2 whose config keeps its store in a fresh database of the PostgreSQL at 127.0.0.1:{@code storePort}. */
    private Path topologyWithPostgresStore(int storePort) throws SQLException {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir.resolve("topology")).start();
        database = "drctl_shared_" + UUID.randomUUID().toString().replace("-", "");
        try (var c = DriverManager.getConnection(ADMIN_URL); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        var configFile = topology.configFile();
        CliRun.edit(configFile, y -> y.replaceAll("(?m)^  store: .*$", "  store: \"jdbc:postgresql://127.0.0.1:"
                + storePort + "/" + database + "?user=postgres\""));
        return configFile;
    }

    @Test
    void aStoreThatHangsMidRunFailsItInBoundedTimeAndTheRunResumesOnceItAnswers() throws Exception {
        try (var proxy = FaultProxy.start("store", "127.0.0.1", 5432)) {
            var configFile = topologyWithPostgresStore(proxy.port());
            var config = configFile.toString();
            var cluster = topology.clusterName().value();
            assertThat(CliRun.of("audit", "verify", "-c", config).exit()).as("the store opens").isZero();
            // rounds recorded up to the kill, as a daemon would: the loss is measured, not refused as unknown
            RoundRecorder.killWatched(topology, topology.primary());

            var marker = dir.resolve("at-gate");
            var go = dir.resolve("go");
            var first = CompletableFuture.supplyAsync(() -> gatedFailover(configFile, marker, go));
            Await.until("the failover reached its gate before promote", Duration.ofSeconds(180),
                    () -> Files.exists(marker) || first.isDone());
            assertThat(first.isDone()).as(() -> "the failover ended early: " + first.join().summary()).isFalse();
            proxy.blackhole();
            long cut = System.nanoTime();
            Files.createFile(go);
            // A guard against a hang only: the engine's journal budget (15s) is what ends the run.
            var failed = first.get(180, TimeUnit.SECONDS);
            System.out.printf("store black-holed at the gate: the failover ended after %.1f s (journal budget 15 s)%n",
                    (System.nanoTime() - cut) / 1e9);
            assertThat(failed.exitCode()).as(failed.summary()).isEqualTo(1);
            assertThat(failed.summary()).startsWith("step gate ended").contains("its outcome could not be journaled")
                    .contains("did not answer within 15s").contains("the run stays claimed")
                    .contains("run drctl failover " + cluster + " -c " + config + " again");
            assertThat(writable()).as("nothing was promoted").isEmpty();

            // The store answers again: the same command resumes the run, re-checks the gate's step, and promotes.
            proxy.pass();
            var resumed = CliRun.of("failover", cluster, "-c", config, "-o", "json");
            assertThat(resumed.exit()).as(resumed.all()).isZero();
            assertThat(resumed.json().get("runId").asText()).isEqualTo(failed.runId());
            var promoted = new NodeName(resumed.json().at("/facts/newPrimary").asText());
            assertThat(writable()).containsExactly(promoted);
            var verify = CliRun.of("audit", "verify", "-c", config);
            assertThat(verify.exit()).as(verify.all()).isZero();
        }
    }

    @Test
    void oneActsTheOtherIsRefusedAndJournaledAndALostLockStopsTheRunBeforePromote() throws Exception {
        var configFile = topologyWithPostgresStore(5432);
        var config = configFile.toString();
        var cluster = topology.clusterName().value();
        assertThat(CliRun.of("audit", "verify", "-c", config).exit()).as("the PostgreSQL store opens").isZero();
        // rounds recorded up to the kill, as a daemon would: the loss is measured, not refused as unknown
        RoundRecorder.killWatched(topology, topology.primary());

        var marker = dir.resolve("at-gate");
        var go = dir.resolve("go");
        var first = CompletableFuture.supplyAsync(() -> gatedFailover(configFile, marker, go));
        Await.until("the first failover reached its gate before promote", Duration.ofSeconds(180),
                () -> Files.exists(marker) || first.isDone());
        assertThat(first.isDone()).as(() -> "the first failover ended early: " + first.join().summary()).isFalse();
        int session = lockSession();

        // The second drctl failover, while the first holds the lock: refused, nothing done, journaled.
        var second = CliRun.of("failover", cluster, "-c", config);
        assertThat(second.exit()).as(second.all()).isEqualTo(3);
        assertThat(second.all()).contains("another drctl is acting on " + cluster + ": user:first (pid "
                        + ProcessHandle.current().pid() + ", from 127.0.0.1, since ")
                .contains("store session " + session + ") holds the one-actor lock")
                .contains("carrying out failover run failover-" + cluster)
                .contains("drctl status -c " + config);
        var refusal = CliRun.journal(configFile).stream().filter(e -> e.kind() == JournalKind.DECISION
                && e.payloadTree().path("decision").asText().equals("refused")).toList();
        assertThat(refusal).singleElement().satisfies(e -> {
            assertThat(e.actor().value()).isEqualTo("user:it-tester");
            assertThat(e.payloadTree().at("/holder/actor").asText()).isEqualTo("user:first");
            assertThat(e.payloadTree().at("/holder/storeSession").asInt()).isEqualTo(session);
            assertThat(e.payloadTree().at("/holder/runId").asText()).startsWith("failover-" + cluster);
        });

        // The first's lock session is killed while it waits at the gate: it stops before promote.
        try (var c = DriverManager.getConnection(ADMIN_URL); var st = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            st.setInt(1, session);
            try (var rs = st.executeQuery()) {
                assertThat(rs.next() && rs.getBoolean(1)).as("lock session terminated").isTrue();
            }
        }
        Files.createFile(go);
        var stopped = first.get(120, TimeUnit.SECONDS);
        assertThat(stopped.exitCode()).as(stopped.summary()).isEqualTo(1);
        assertThat(stopped.summary()).startsWith("the one-actor lock of " + cluster + " was lost before step promote")
                .contains("drctl failover " + cluster + " -c " + config);
        assertThat(stopped.steps()).extracting(r -> r.step()).doesNotContain(FailoverRunbook.PROMOTE);
        assertThat(writable()).as("nothing was promoted").isEmpty();
        var runId = stopped.runId();
        assertThat(refusal.getFirst().payloadTree().at("/holder/runId").asText()).isEqualTo(runId);
        var journal = CliRun.journal(configFile);
        assertThat(journal).filteredOn(e -> e.runId().orElse("").equals(runId) && e.kind() == JournalKind.DECISION
                        && e.payloadTree().path("decision").asText().equals("stopped"))
                .singleElement().satisfies(e -> assertThat(e.payloadTree().path("where").asText())
                        .isEqualTo("before step promote"));

        // The next drctl failover takes the lock and resumes that run from the journal: one promotion.
        var resumed = CliRun.of("failover", cluster, "-c", config, "-o", "json");
        assertThat(resumed.exit()).as(resumed.all()).isZero();
        assertThat(resumed.json().get("runId").asText()).isEqualTo(runId);
        assertThat(resumed.json().get("resumed").asBoolean()).isTrue();
        var promoted = new NodeName(resumed.json().at("/facts/newPrimary").asText());
        assertThat(writable()).containsExactly(promoted);
        assertThat(CliRun.journal(configFile)).filteredOn(e -> e.kind() == JournalKind.STEP_INTENT
                        && e.payloadTree().path("step").asText().equals(FailoverRunbook.PROMOTE))
                .as("promoted once, in all three drctl").hasSize(1);
        var verify = CliRun.of("audit", "verify", "-c", config);
        assertThat(verify.exit()).as(verify.all()).isZero();
    }
}
