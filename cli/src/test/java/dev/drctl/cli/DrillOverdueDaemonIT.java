package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.drctl.cli.daemon.Daemon;
import dev.drctl.compliance.JournalKind;
import dev.drctl.topology.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COMPLIANCE_OVERDUE under the daemon: a cluster drctl has known for longer than {@code drill-every} with no
 * successful drill is told to the DBA and compliance audiences once, and a restarted daemon does not tell it again the
 * same day. No database is needed: the cluster's nodes listen nowhere.
 */
class DrillOverdueDaemonIT {
    static final String SMTP_PASSWORD = "smtp-Pa55-overdue-it";

    @TempDir
    Path dir;
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
    }

    private Daemon start(Path config) {
        var started = Daemon.start(ConfigLoader.load(config), new Host(Clock.systemUTC(),
                Map.of("SMTP_PASSWORD", SMTP_PASSWORD), "it-tester"));
        assertThat(started).isInstanceOf(Daemon.Start.Running.class);
        return ((Daemon.Start.Running) started).daemon();
    }

    @Test
    void aNeverDrilledClusterPastDrillEveryIsToldOnceADay() throws Exception {
        smtp = new GreenMail(new ServerSetup(NotifyingFailoverIT.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("drctl@example.com", "drctl", SMTP_PASSWORD));
        smtp.start();
        var config = dir.resolve("drctl.yaml");
        Files.writeString(config, """
                clusters:
                  - name: ghosts
                    engine: postgresql
                    credentials: { user: drctl }
                    failover: { mode: manual }
                    nodes:
                      - { name: g1, host: 127.0.0.1, port: %d, region: r1 }
                      - { name: g2, host: 127.0.0.1, port: %d, region: r1 }
                compliance:
                  store: "jdbc:sqlite:%s"
                  targets: { drill-every: 1ms }
                notifications:
                  email: { host: 127.0.0.1, port: %d, user: drctl, password: "${env:SMTP_PASSWORD}", from: dr@example.com }
                  audiences: { dba: [dba@example.com], compliance: [risk@example.com] }
                """.formatted(NotifyingFailoverIT.freePort(), NotifyingFailoverIT.freePort(), dir.resolve("drctl.db"),
                smtp.getSmtp().getPort()));
        // drctl has known the cluster since this entry; drill-every (1ms) has passed by the time the daemon starts
        assertThat(CliRun.of("maintenance", "on", "ghosts", "--reason", "set-up", "-c", config.toString()).exit()).isZero();
        assertThat(CliRun.of("maintenance", "off", "ghosts", "-c", config.toString()).exit()).isZero();

        daemon = start(config);
        Await.until("the overdue drill told to dba and compliance", Duration.ofSeconds(60),
                () -> NotifyingFailoverIT.withSubject(smtp, "ghosts: DR drill OVERDUE").size() == 2);
        var text = NotifyingFailoverIT.body(NotifyingFailoverIT.withSubject(smtp, "DR drill OVERDUE").getFirst(),
                "text/plain");
        assertThat(text).contains("no successful drill has ever been recorded");
        daemon.stop(Duration.ofSeconds(10));

        daemon = start(config);
        var from = java.time.Instant.now();
        Await.until("2 rounds of the restarted daemon", Duration.ofSeconds(30), () -> !daemon.states().getFirst()
                .updatedAt().isBefore(from.plusSeconds(2)));
        assertThat(CliRun.journal(config)).as("queued once: the restart does not tell it again today")
                .filteredOn(e -> e.kind() == JournalKind.NOTIFICATION_QUEUED
                        && e.payloadTree().toString().contains("COMPLIANCE_OVERDUE")).hasSize(1);
        assertThat(NotifyingFailoverIT.withSubject(smtp, "DR drill OVERDUE")).hasSize(2);
        var verify = CliRun.of("audit", "verify", "-c", config.toString());
        assertThat(verify.exit()).as(verify.all()).isZero();
    }
}
