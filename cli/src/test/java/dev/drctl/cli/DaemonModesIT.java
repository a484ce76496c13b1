package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.drctl.cli.daemon.Daemon;
import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalKind;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.Engine;
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
 * {@code failover.mode: dry-run} and {@code manual} under the daemon (issue 12): the primary killed, the daemon
 * journals the plan and tells it once (dry-run), pages people once with the plan and the command to run (manual), and
 * promotes nothing. The daemon runs in-process, composed exactly as {@code drctl run} composes it.
 */
class DaemonModesIT {
    static final String SMTP_PASSWORD = "smtp-Pa55-daemon-modes";

    @TempDir
    Path dir;
    LocalTopology topology;
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
        if (topology != null) {
            topology.close();
        }
    }

    Daemon start(Path config) {
        var started = Daemon.start(ConfigLoader.load(config), new Host(Clock.systemUTC(),
                Map.of("SMTP_PASSWORD", SMTP_PASSWORD), "it-tester"));
        assertThat(started).isInstanceOf(Daemon.Start.Running.class);
        return ((Daemon.Start.Running) started).daemon();
    }

    /** Waits until the daemon has assessed {@code rounds} more rounds of the cluster. */
    void awaitRounds(int rounds) {
        var from = daemon.states().getFirst().updatedAt();
        Await.until(rounds + " more rounds", Duration.ofSeconds(30), () -> !daemon.states().getFirst().updatedAt()
                .isBefore(from.plusSeconds(rounds)));
    }

    static List<JournalEntry> decisions(Path config, String decision) {
        return CliRun.journal(config).stream().filter(e -> e.kind() == JournalKind.DECISION
                && e.actor().value().startsWith("daemon:")
                && e.payloadTree().path("decision").asText().equals(decision)).toList();
    }

    @Test
    void dryRunPlansAndManualPagesOncePerOutageAndNothingIsPromoted() throws Exception {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir.resolve("topology")).start();
        var config = topology.configFile();
        smtp = new GreenMail(new ServerSetup(NotifyingFailoverIT.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("drctl@example.com", "drctl", SMTP_PASSWORD));
        smtp.start();
        Files.writeString(config, Files.readString(config).replace("mode: auto", "mode: dry-run") + """
                notifications:
                  email: { host: 127.0.0.1, port: %d, user: drctl, password: "${env:SMTP_PASSWORD}", from: dr@example.com }
                  audiences: { dba: [dba@example.com], compliance: [risk@example.com] }
                """.formatted(smtp.getSmtp().getPort()));
        var cluster = topology.clusterName().value();
        var old = topology.primary();

        daemon = start(config);
        var started = Instant.now();
        Await.until("the daemon recorded a round", Duration.ofSeconds(30), () -> DaemonFailoverIT.memory(config)
                .lastPositionAt().filter(t -> !t.isBefore(started.minusSeconds(1))).isPresent());
        // the daily compliance digest (the journal head anchored outside the store) is queued by the running daemon
        // as soon as today's is due: from compliance.digest-at (00:05 by default) in the compliance time zone
        var compliance = dev.drctl.topology.ConfigLoader.load(config).compliance();
        if (!java.time.LocalTime.now(compliance.timeZone()).isBefore(compliance.digestAt().plusMinutes(1))) {
            Await.until("the compliance digest queued", Duration.ofSeconds(30), () -> CliRun.journal(config).stream()
                    .anyMatch(e -> e.kind() == JournalKind.COMPLIANCE_DIGEST));
        }
        topology.kill(old);

        Await.until("the dry-run plan journaled", Duration.ofSeconds(60), () -> !decisions(config, "planned").isEmpty());
        var plan = decisions(config, "planned").getFirst().payloadTree();
        assertThat(plan.path("rule").asText()).isEqualTo("failover mode dry-run");
        assertThat(plan.path("summary").asText()).contains("failover mode is dry-run: would promote")
                .contains("fencing " + old);
        Await.until("the dry-run plan emailed", Duration.ofSeconds(30),
                () -> NotifyingFailoverIT.withSubject(smtp, "failover mode dry-run").size() == 2);
        awaitRounds(3);
        assertThat(decisions(config, "planned")).as("told once per outage").hasSize(1);
        // drctl status shows what the daemon knows, from the store
        var status = CliRun.of("status", "-c", config.toString());
        assertThat(status.out()).as(status.all()).containsPattern("daemon daemon:\\S+ \\(dry-run\\) on " + cluster
                + ": primary dead");
        var json = CliRun.of("status", "-c", config.toString(), "-o", "json").json();
        assertThat(json.at("/daemon/0/verdict").asText()).isEqualTo("PrimaryDead");
        assertThat(json.at("/daemon/0/fresh").asBoolean()).isTrue();
        daemon.stop(Duration.ofSeconds(10));

        CliRun.edit(config, y -> y.replace("mode: dry-run", "mode: manual"));
        daemon = start(config);
        Await.until("the page journaled", Duration.ofSeconds(60), () -> !decisions(config, "paged").isEmpty());
        var page = decisions(config, "paged").getFirst().payloadTree();
        assertThat(page.path("summary").asText()).contains("failover mode is manual: would promote");
        assertThat(page.path("next").asText()).isEqualTo("drctl failover " + cluster);
        Await.until("the page emailed", Duration.ofSeconds(30),
                () -> NotifyingFailoverIT.withSubject(smtp, "failover mode manual").size() == 2);
        var text = NotifyingFailoverIT.body(NotifyingFailoverIT.withSubject(smtp, "failover mode manual").getFirst(),
                "text/plain");
        assertThat(text).contains("would promote").contains("drctl failover " + cluster);
        awaitRounds(3);
        assertThat(decisions(config, "paged")).as("paged once per outage").hasSize(1);
        assertThat(NotifyingFailoverIT.withSubject(smtp, "failover mode manual")).hasSize(2);

        assertThat(CliRun.journal(config)).as("no runbook ran").noneMatch(e -> e.kind() == JournalKind.RUN_STARTED);
        for (var replica : topology.replicas()) {
            try (var c = topology.connect(replica); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as(replica + " still a replica").isTrue();
            }
        }
        var verify = CliRun.of("audit", "verify", "-c", config.toString());
        assertThat(verify.exit()).as(verify.all()).isZero();
    }
}
