package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.drctl.cli.daemon.Daemon;
import dev.drctl.compliance.ConfiguredSecrets;
import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.StateStore;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's brakes under the daemon, on real PostgreSQL topologies: two clusters whose primaries die together with
 * {@code max-failovers: 1} get one automatic failover, the other is paged and journaled; a cluster in maintenance gets
 * no automatic action; after a failover the cooldown holds a second one until {@code drctl ack} clears it (journaled).
 * The daemon runs in-process, composed exactly as {@code drctl run} composes it; the brakes' commands run through the
 * CLI on the same store.
 */
class BrakesDaemonIT {
    static final String SMTP_PASSWORD = "smtp-Pa55-brakes-it";

    @TempDir
    Path dir;
    LocalTopology pay;
    LocalTopology ledger;
    GreenMail smtp;
    Daemon daemon;

    @AfterEach
    void down() {
        if (daemon != null) {
            daemon.stop(Duration.ofSeconds(10));
        }
        if (smtp != null) {
            smtp.stop();
        }
        for (var t : new LocalTopology[] {pay, ledger}) {
            if (t != null) {
                t.close();
            }
        }
    }

    private void startSmtp() {
        smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("drctl@example.com", "drctl", SMTP_PASSWORD));
        smtp.start();
    }

    private static int freePort() {
        try {
            return NotifyingFailoverIT.freePort();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** One config watching every topology given, a store of its own, GreenMail and the breaker. */
    private Path config(String automation, LocalTopology... topologies) throws Exception {
        var y = new StringBuilder("clusters:\n");
        for (var t : topologies) {
            var text = Files.readString(t.configFile());
            y.append(text, text.indexOf("  - name:"), text.indexOf("compliance:"));
        }
        y.append("""
                compliance:
                  store: "jdbc:sqlite:%s"
                notifications:
                  email: { host: 127.0.0.1, port: %d, user: drctl, password: "${env:SMTP_PASSWORD}", from: dr@example.com }
                  audiences: { dba: [dba@example.com], compliance: [risk@example.com] }
                automation: %s
                """.formatted(dir.resolve("drctl.db"), smtp.getSmtp().getPort(), automation));
        var file = dir.resolve("drctl.yaml");
        Files.writeString(file, y.toString());
        return file;
    }

    private Daemon start(Path config) {
        var started = Daemon.start(ConfigLoader.load(config), new Host(Clock.systemUTC(),
                Map.of("SMTP_PASSWORD", SMTP_PASSWORD), "it-tester"));
        assertThat(started).isInstanceOf(Daemon.Start.Running.class);
        return ((Daemon.Start.Running) started).daemon();
    }

    static ClusterMemory memory(Path config, ClusterName cluster) {
        var cfg = ConfigLoader.load(config);
        try (var store = StateStore.open(cfg.compliance(), Clock.systemUTC(), ConfiguredSecrets.resolvable(cfg,
                Map.of()))) {
            return store.memory(cluster);
        }
    }

    /** Waits until the daemon recorded a round of {@code cluster}'s primary after {@code since}. */
    static void awaitRecorded(Path config, ClusterName cluster, Instant since) {
        Await.until("the daemon recorded a round of " + cluster, Duration.ofSeconds(60), () -> memory(config, cluster)
                .lastPositionAt().filter(t -> !t.isBefore(since.minusSeconds(1))).isPresent());
    }

    static List<JournalEntry> daemonEntries(Path config, ClusterName cluster, JournalKind kind) {
        return CliRun.journal(config).stream().filter(e -> e.kind() == kind && e.cluster().equals(java.util.Optional
                .of(cluster)) && e.actor().value().startsWith("daemon:")).toList();
    }

    static List<JournalEntry> held(Path config, ClusterName cluster) {
        return daemonEntries(config, cluster, JournalKind.DECISION).stream()
                .filter(e -> e.payloadTree().path("decision").asText().equals("held")).toList();
    }

    static List<RunRecord> failovers(Path config, ClusterName cluster, JournalKind kind) {
        return daemonEntries(config, cluster, kind).stream().map(e -> RunRecord.fromJson(e.payloadTree()))
                .filter(r -> r.kind() == RunKind.FAILOVER).toList();
    }

    static boolean inRecovery(LocalTopology t, NodeName node) throws Exception {
        try (var c = t.connect(node); var s = c.createStatement(); var rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    void twoClustersDyingTogetherGetOneFailoverTheOtherIsPagedAndJournaled() throws Exception {
        pay = LocalTopology.builder(Engine.POSTGRESQL).replicas(1).clusterName("pay").dir(dir.resolve("pay")).start();
        ledger = LocalTopology.builder(Engine.POSTGRESQL).replicas(1).clusterName("ledger").dir(dir.resolve("ledger"))
                .start();
        startSmtp();
        var config = config("{ max-failovers: 1, window: 10m }", pay, ledger);
        daemon = start(config);
        var started = Instant.now();
        awaitRecorded(config, pay.clusterName(), started);
        awaitRecorded(config, ledger.clusterName(), started);

        pay.kill(pay.primary());
        ledger.kill(ledger.primary());
        Await.until("one cluster failed over, the other held", Duration.ofSeconds(120), () ->
                failovers(config, pay.clusterName(), JournalKind.RUN_FINISHED).size()
                        + failovers(config, ledger.clusterName(), JournalKind.RUN_FINISHED).size() == 1
                        && held(config, pay.clusterName()).size() + held(config, ledger.clusterName()).size() == 1);
        var payFailedOver = !failovers(config, pay.clusterName(), JournalKind.RUN_FINISHED).isEmpty();
        var acted = payFailedOver ? pay : ledger;
        var heldBack = payFailedOver ? ledger : pay;
        var run = failovers(config, acted.clusterName(), JournalKind.RUN_FINISHED).getFirst();
        assertThat(run.newPrimary()).as(run.summary()).isPresent();
        var hold = held(config, heldBack.clusterName()).getFirst().payloadTree();
        assertThat(hold.path("rule").asText()).isEqualTo("automation brakes");
        assertThat(hold.path("summary").asText()).contains("automatic failover held: circuit breaker open: 1 automatic "
                + "failover across all clusters within 10m");
        Await.until("the held cluster paged", Duration.ofSeconds(30), () -> !NotifyingFailoverIT.withSubject(smtp,
                heldBack.clusterName() + ": failover BLOCKED by automation brakes").isEmpty());

        // rounds go on: still one failover in all, the held cluster's replica still a replica, paged once
        var from = Instant.now();
        Await.until("3 more rounds", Duration.ofSeconds(30), () -> daemon.states().stream()
                .allMatch(s -> !s.updatedAt().isBefore(from.plusSeconds(3))));
        assertThat(failovers(config, heldBack.clusterName(), JournalKind.RUN_STARTED)).as("no run on the held cluster")
                .isEmpty();
        assertThat(held(config, heldBack.clusterName())).as("held once per outage").hasSize(1);
        assertThat(inRecovery(heldBack, heldBack.replicas().getFirst())).isTrue();
        var status = CliRun.of("status", "-c", config.toString(), "-o", "json");
        assertThat(status.json().at("/breaker/open").asBoolean()).as(status.out()).isTrue();
        assertThat(status.json().at("/breaker/failovers").asInt()).isEqualTo(1);
        var verify = CliRun.of("audit", "verify", "-c", config.toString());
        assertThat(verify.exit()).as(verify.all()).isZero();
    }

    @Test
    void maintenanceHoldsAutomationAndAnAckClearsTheCooldown() throws Exception {
        pay = LocalTopology.builder(Engine.POSTGRESQL).replicas(3).clusterName("pay").dir(dir.resolve("pay")).start();
        startSmtp();
        var config = config("{ max-failovers: 5, window: 10m }", pay);
        var c = config.toString();
        var cluster = pay.clusterName();
        var on = CliRun.of("maintenance", "on", "pay", "--reason", "kernel upgrade, CHG-4411", "--operator", "alice",
                "-c", c);
        assertThat(on.exit()).as(on.all()).isZero();
        daemon = start(config);
        awaitRecorded(config, cluster, Instant.now());

        var first = pay.primary();
        pay.kill(first);
        Await.until("the failover held by maintenance", Duration.ofSeconds(60), () -> !held(config, cluster).isEmpty());
        assertThat(held(config, cluster).getFirst().payloadTree().path("summary").asText())
                .contains("automatic failover held: in maintenance since ").contains("by user:alice (kernel upgrade, "
                        + "CHG-4411)");
        var from = Instant.now();
        Await.until("3 more rounds", Duration.ofSeconds(30), () -> !daemon.states().getFirst().updatedAt()
                .isBefore(from.plusSeconds(3)));
        assertThat(failovers(config, cluster, JournalKind.RUN_STARTED)).as("nothing automated in maintenance").isEmpty();

        // maintenance ends: the next round fails over by itself
        assertThat(CliRun.of("maintenance", "off", "pay", "-c", c).exit()).isZero();
        Await.until("the daemon failed over once maintenance ended", Duration.ofSeconds(90),
                () -> failovers(config, cluster, JournalKind.RUN_FINISHED).size() == 1);
        var promoted = failovers(config, cluster, JournalKind.RUN_FINISHED).getFirst().newPrimary().orElseThrow();
        Await.until("the daemon sees " + promoted + " as the primary", Duration.ofSeconds(60),
                () -> daemon.states().getFirst().verdict().equals("Healthy")
                        || daemon.states().getFirst().verdict().equals("ReplicaProblems"));
        awaitRecorded(config, cluster, Instant.now());

        // the new primary dies inside the cooldown: refused, paged; nothing runs
        pay.kill(promoted);
        Await.until("the cooldown refusal journaled", Duration.ofSeconds(60), () -> daemonEntries(config, cluster,
                JournalKind.DECISION).stream().anyMatch(e -> e.payloadTree().path("refusal").asText()
                .equals("COOLDOWN")));
        assertThat(failovers(config, cluster, JournalKind.RUN_STARTED)).hasSize(1);
        var cooling = CliRun.of("status", "-c", c, "-o", "json").json();
        assertThat(cooling.at("/automation/0/cooldownUntil").asText()).isNotBlank();

        // a person acknowledges: journaled, and the daemon acts again at its next round
        var ack = CliRun.of("ack", "pay", "--reason", "INC-7: " + promoted + " lost too, go on", "-c", c);
        assertThat(ack.exit()).as(ack.all()).isZero();
        assertThat(ack.out()).startsWith("cooldown of pay cleared");
        assertThat(CliRun.journal(config)).filteredOn(e -> e.kind() == JournalKind.COOLDOWN_ACKED).singleElement()
                .satisfies(e -> {
                    assertThat(e.actor().value()).isEqualTo("user:it-tester");
                    assertThat(e.payloadTree().path("reason").asText()).startsWith("INC-7: ");
                });
        Await.until("a second automatic failover after the ack", Duration.ofSeconds(90),
                () -> failovers(config, cluster, JournalKind.RUN_STARTED).size() == 2);
        Await.until("it finished", Duration.ofSeconds(90),
                () -> failovers(config, cluster, JournalKind.RUN_FINISHED).size() == 2);
        var second = failovers(config, cluster, JournalKind.RUN_FINISHED).getLast();
        System.out.println("second failover after the ack: " + second.status() + ": " + second.summary());
        assertThat(second.oldPrimary()).contains(promoted);
        var verify = CliRun.of("audit", "verify", "-c", c);
        assertThat(verify.exit()).as(verify.all()).isZero();
    }
}
