package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.drctl.compliance.ConfiguredSecrets;
import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 end to end: {@code drctl run} (a child JVM) on a testenv 1+2 topology under a steady writer, nobody at the
 * keyboard. SIGKILL of the primary: the daemon fails over by itself (the config testenv wrote is in auto mode), the
 * writer DNS record moves, the emails arrive, the journal verifies and the run records its RTO split. The old primary,
 * held while down by the failover's fence, restarts with no daemon running and the application's first write on it
 * fails. A second writer made by hand: the daemon fences it within a probe round, tells the split brain, and the
 * writer's attempts on it fail.
 */
class DaemonFailoverIT {
    static final String SMTP_PASSWORD = "smtp-Pa55-daemon-it";
    static final String DBA = "dba@example.com";

    @TempDir
    Path dir;
    LocalTopology topology;
    GreenMail smtp;
    DaemonProcess daemon;

    @AfterEach
    void down() throws Exception {
        if (daemon != null) {
            daemon.close();
            // the daemon's own account of the run, kept for a person reading a failure (or the figures)
            Files.writeString(Path.of("target", "DaemonFailoverIT-" + dir.getFileName() + ".log"), daemon.log());
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void postgresql() throws Exception {
        failsOverByItselfThenFencesTheReturningPrimary(Engine.POSTGRESQL);
    }

    @Test
    void mariadb() throws Exception {
        failsOverByItselfThenFencesTheReturningPrimary(Engine.MARIADB);
    }

    void failsOverByItselfThenFencesTheReturningPrimary(Engine engine) throws Exception {
        topology = LocalTopology.builder(engine).replicas(2).dir(dir.resolve("topology")).start();
        var config = topology.configFile();
        assertThat(Files.readString(config)).as("testenv writes a config in auto mode").contains("mode: auto");
        smtp = new GreenMail(new ServerSetup(NotifyingFailoverIT.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("drctl@example.com", "drctl", SMTP_PASSWORD));
        smtp.start();
        Files.writeString(config, Files.readString(config) + """
                notifications:
                  email: { host: 127.0.0.1, port: %d, user: drctl, password: "${env:SMTP_PASSWORD}", from: dr@example.com }
                  audiences: { dba: [%s], compliance: [risk@example.com], management: [board@example.com] }
                """.formatted(smtp.getSmtp().getPort(), DBA));
        var cluster = topology.clusterName();
        var old = topology.primary();
        var writerFile = topology.clusterSpec().dns().orElseThrow().file().orElseThrow();

        try (var writer = Workload.beginReadWrite(topology, old, "daemon_writes")) {
            writer.awaitMore(20, Duration.ofSeconds(30));
            daemon = DaemonProcess.run(config, dir.resolve("daemon.log"), Map.of("SMTP_PASSWORD", SMTP_PASSWORD));
            assertThat(daemon.alive()).as(daemon.log()).isTrue();
            // the daemon records its rounds: the primary's position is in the store before the kill
            var started = Instant.now();
            Await.until("the daemon recorded a round of " + old, Duration.ofSeconds(30), () -> memory(config)
                    .lastPositionAt().filter(t -> !t.isBefore(started.minusSeconds(1))).isPresent());

            long killed = System.nanoTime();
            topology.kill(old);
            Await.until("the daemon failed over by itself (" + daemon.log() + ")", Duration.ofSeconds(90),
                    () -> daemonRun(config, RunKind.FAILOVER).isPresent());
            long failedOverMillis = (System.nanoTime() - killed) / 1_000_000;
            var finished = daemonRun(config, RunKind.FAILOVER).orElseThrow();
            var run = RunRecord.fromJson(finished.payloadTree());
            assertThat(run.status()).as(run.summary()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.actor().value()).startsWith("daemon:");
            assertThat(run.oldPrimary()).contains(old);
            var promoted = run.newPrimary().orElseThrow();
            assertThat(topology.replicas()).contains(promoted);
            JsonNode split = finished.payloadTree().path("rtoSplit");
            assertThat(split.path("detectionMillis").isNumber()).as(split.toString()).isTrue();
            assertThat(split.path("totalMillis").isNumber()).as(split.toString()).isTrue();
            System.out.println("daemon failover (" + engine + "): kill → run finished " + failedOverMillis
                    + " ms; RTO split " + split);

            assertThat(Files.readString(writerFile)).as("writer DNS moved").contains(promoted.value())
                    .doesNotContain("\"" + old.value() + "\"");
            writer.target(promoted);
            writer.awaitMore(20, Duration.ofSeconds(30));
            Await.until("the failover emails", Duration.ofSeconds(30),
                    () -> NotifyingFailoverIT.withSubject(smtp, "failover completed").size() == 3
                            && NotifyingFailoverIT.withSubject(smtp, "failover started").size() == 1);
            var verify = CliRun.of("audit", "verify", "-c", config.toString());
            assertThat(verify.exit()).as(verify.all()).isZero();

            // Killed, the old primary could not be fenced by SQL; its server is drctl's own (testenv) and was down,
            // so the fence held it while down. It restarts with no daemon running (no round can fence it): the
            // application's first write on it fails.
            assertThat(CliRun.journal(config)).filteredOn(e -> e.kind() == JournalKind.STEP_OUTCOME
                            && e.runId().orElse("").equals(run.runId())
                            && e.payloadTree().path("step").asText().equals("fence"))
                    .singleElement().satisfies(e -> assertThat(e.payloadTree().path("detail").asText())
                            .contains("held while down"));
            daemon.close();
            topology.start(old);
            assertThatThrownBy(() -> insertAsApplication(engine, old)).as("the first write on the restarted " + old)
                    .isInstanceOf(SQLException.class);
            daemon = DaemonProcess.run(config, dir.resolve("daemon-2.log"), Map.of("SMTP_PASSWORD", SMTP_PASSWORD));

            // A second writer appears all the same (someone promotes the other replica by hand): the daemon fences
            // it within a probe round, tells the split brain, and the application's writes on it fail.
            var rogue = topology.replicas().stream().filter(n -> !n.equals(promoted)).findFirst().orElseThrow();
            try (var c = topology.connect(rogue); var s = c.createStatement()) {
                if (engine == Engine.POSTGRESQL) {
                    s.execute("SELECT pg_promote()");
                } else {
                    s.execute("STOP SLAVE");
                    s.execute("RESET SLAVE ALL");
                    s.execute("SET GLOBAL read_only = OFF");
                }
            }
            long back = System.nanoTime();
            Await.until("the daemon fenced the second writer " + rogue + " (" + daemon.log() + ")",
                    Duration.ofSeconds(60), () -> daemonRun(config, RunKind.FENCE).isPresent());
            long fencedMillis = (System.nanoTime() - back) / 1_000_000;
            var fence = RunRecord.fromJson(daemonRun(config, RunKind.FENCE).orElseThrow().payloadTree());
            assertThat(fence.status()).as(fence.summary()).isEqualTo(RunStatus.SUCCEEDED);
            System.out.println("daemon fence of a second writer (" + engine + "): made writable → fence run "
                    + "finished " + fencedMillis + " ms (probe interval 1 s)");
            var journal = CliRun.journal(config);
            assertThat(journal).filteredOn(e -> e.kind() == JournalKind.DECISION
                            && e.payloadTree().path("verdict").asText().equals("SplitBrain"))
                    .as("split brain journaled once").hasSize(1);
            Await.until("the split-brain email", Duration.ofSeconds(30),
                    () -> NotifyingFailoverIT.withSubject(smtp, "split brain").size() == 1);
            assertThatThrownBy(() -> insertAsApplication(engine, rogue)).as("a write on the fenced " + rogue)
                    .isInstanceOf(SQLException.class);
            writer.awaitMore(10, Duration.ofSeconds(30));
        }
        var verify = CliRun.of("audit", "verify", "-c", config.toString());
        assertThat(verify.exit()).as(verify.all()).isZero();
    }

    /** The application account's insert on {@code node}, as a client writes: it must fail on a fenced node. */
    void insertAsApplication(Engine engine, NodeName node) throws SQLException {
        var props = new Properties();
        props.setProperty("user", "app");
        props.setProperty("password", "app-pw");
        var port = topology.node(node).serverPort();
        if (engine == Engine.POSTGRESQL) {
            props.setProperty("connectTimeout", "5");
            try (var c = new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props);
                 var s = c.createStatement()) {
                s.execute("BEGIN READ WRITE");
                s.execute("INSERT INTO daemon_writes (n, at) VALUES (-1, 'fenced?')");
                s.execute("COMMIT");
            }
        } else {
            props.setProperty("connectTimeout", "5000");
            props.setProperty("sslMode", "DISABLED");
            props.setProperty("allowPublicKeyRetrieval", "true");
            try (var c = new com.mysql.cj.jdbc.Driver().connect("jdbc:mysql://127.0.0.1:" + port + "/app", props);
                 var s = c.createStatement()) {
                s.execute("INSERT INTO app.daemon_writes (n, at) VALUES (-1, 'fenced?')");
            }
        }
    }

    static ClusterMemory memory(Path config) {
        var cfg = ConfigLoader.load(config);
        try (var store = StateStore.open(cfg.compliance(), Clock.systemUTC(), ConfiguredSecrets.resolvable(cfg,
                Map.of()))) {
            return store.memory(cfg.clusters().getFirst().name());
        }
    }

    /** The RUN_FINISHED entry of the daemon's latest run of {@code kind}. */
    static Optional<JournalEntry> daemonRun(Path config, RunKind kind) {
        List<JournalEntry> finished = CliRun.journal(config).stream()
                .filter(e -> e.kind() == JournalKind.RUN_FINISHED && e.actor().value().startsWith("daemon:"))
                .filter(e -> RunRecord.fromJson(e.payloadTree()).kind() == kind).toList();
        return finished.isEmpty() ? Optional.empty() : Optional.of(finished.getLast());
    }
}
