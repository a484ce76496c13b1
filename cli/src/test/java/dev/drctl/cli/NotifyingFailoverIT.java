package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.drctl.compliance.JournalKind;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 end to end: a real PostgreSQL 1+2 topology, its primary killed with SIGKILL, {@code drctl failover} run by a
 * person, and a real SMTP server (GreenMail, with login). The failover's start and end arrive by email with its
 * figures and to the right audiences; a refusal is queued as FAILOVER_BLOCKED with its reason; a dead mail server does
 * not delay the failover, and what it missed arrives exactly once after {@code drctl notify flush}; no password is in
 * any email, output or journal entry.
 */
class NotifyingFailoverIT {
    static final String SMTP_PASSWORD = "smtp-Pa55-notifysteps-it";
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final String DBA = "dba@example.com";
    static final String RISK = "risk@example.com";
    static final String BOARD = "board@example.com";

    @TempDir
    Path dir;
    LocalTopology topology;
    GreenMail smtp;

    @AfterEach
    void down() {
        if (smtp != null) {
            smtp.stop();
        }
        if (topology != null) {
            topology.close();
        }
    }

    static int freePort() throws Exception {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    GreenMail startSmtp(int port) {
        var mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("drctl@example.com", "drctl", SMTP_PASSWORD));
        mail.start();
        return mail;
    }

    /** The topology's config with email to three audiences at {@code port}. */
    void configureEmail(int port) throws Exception {
        var file = topology.configFile();
        var yaml = Files.readString(file);
        Files.writeString(file, yaml + (yaml.endsWith("\n") ? "" : "\n") + """
                notifications:
                  email: { host: 127.0.0.1, port: %d, user: drctl, password: "${env:SMTP_PASSWORD}", from: dr@example.com }
                  audiences: { dba: [%s], compliance: [%s], management: [%s] }
                """.formatted(port, DBA, RISK, BOARD));
    }

    record Run(int exit, String out, String err, Duration took) {
        String all() {
            return out + err;
        }
    }

    static Run drctl(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), Map.of("SMTP_PASSWORD", SMTP_PASSWORD),
                "it-tester"));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        long t0 = System.nanoTime();
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - t0));
    }

    static String recipients(MimeMessage m) throws Exception {
        return Arrays.toString(m.getRecipients(Message.RecipientType.TO));
    }

    static List<MimeMessage> withSubject(GreenMail mail, String part) {
        var out = new ArrayList<MimeMessage>();
        try {
            for (var m : mail.getReceivedMessages()) {
                if (m.getSubject().contains(part)) {
                    out.add(m);
                }
            }
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /** The decoded body part of this MIME type ({@code text/plain}, {@code text/html}). */
    static String body(Part p, String type) throws Exception {
        if (p.isMimeType(type)) {
            return (String) p.getContent();
        }
        if (p.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                var found = body(mp.getBodyPart(i), type);
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        return "";
    }

    LocalTopology startTopology() {
        return LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir).start();
    }

    @Test
    void aFailoverIsAnnouncedByEmailWithItsFigures() throws Exception {
        topology = startTopology();
        smtp = startSmtp(freePort());
        configureEmail(smtp.getSmtp().getPort());
        var config = topology.configFile().toString();
        var cluster = topology.clusterName().value();
        var old = topology.primary();

        // Refused: the primary is alive (rule 1). FAILOVER_BLOCKED is queued with the reason, to dba and compliance.
        var alive = drctl("failover", cluster, "-c", config);
        assertThat(alive.exit()).as(alive.all()).isEqualTo(3);
        Await.until("the FAILOVER_BLOCKED emails", Duration.ofSeconds(20),
                () -> withSubject(smtp, "failover BLOCKED").size() == 2);
        var blocked = withSubject(smtp, "failover BLOCKED");
        assertThat(blocked).extracting(NotifyingFailoverIT::recipientsUnchecked)
                .containsExactlyInAnyOrder("[" + DBA + "]", "[" + RISK + "]");
        var blockedText = body(blocked.getFirst(), "text/plain");
        assertThat(blockedText).contains("primary " + old + " is alive").contains("primary-dead confirmation (rule 1)");

        // Rounds recorded up to the kill (a daemon running, or an operator's status): the loss is measured.
        RoundRecorder.killWatched(topology, old);
        var run = drctl("failover", cluster, "-c", config, "-o", "json");
        assertThat(run.exit()).as(run.all()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        var promoted = json.at("/facts/newPrimary").asText();
        var runId = json.get("runId").asText();
        assertThat(json.at("/facts/epoch").asText()).isEqualTo("1");
        System.out.println("failover with SMTP up: command " + run.took().toMillis() + " ms, run "
                + runMillis(json) + " ms, RTO " + json.at("/record/rtoMillis").asLong() + " ms");

        // The command waited (boundedly) for delivery: started to dba; completed to dba, compliance, management.
        Await.until("the FAILOVER_STARTED and FAILOVER_COMPLETED emails", Duration.ofSeconds(20),
                () -> withSubject(smtp, "failover started").size() == 1 && withSubject(smtp, "failover completed").size() == 3);
        var started = withSubject(smtp, "failover started");
        assertThat(recipients(started.getFirst())).isEqualTo("[" + DBA + "]");
        var startedText = body(started.getFirst(), "text/plain");
        assertThat(startedText).contains(old.value()).contains(promoted).contains(runId);

        var completed = withSubject(smtp, "failover completed");
        assertThat(completed).extracting(NotifyingFailoverIT::recipientsUnchecked)
                .containsExactlyInAnyOrder("[" + DBA + "]", "[" + RISK + "]", "[" + BOARD + "]");
        var subject = completed.getFirst().getSubject();
        assertThat(subject).contains(old + " → " + promoted).contains("RTO ");
        var text = body(completed.getFirst(), "text/plain");
        assertThat(text).contains(runId).contains("New primary").contains(promoted).contains("Epoch")
                .contains("Writer DNS: in sync since ")
                // The rounds recorded up to the kill bound the loss: a figure, not "unknown".
                .containsPattern("RPO \\(estimate\\): [0-9]+ bytes");
        var html = body(completed.getFirst(), "text/html");
        assertThat(html).contains(promoted).contains("<html");
        screenshot(html, Path.of("target", "failover-completed.png").toAbsolutePath());

        // Journal: the end was queued in the commit of RUN_FINISHED; each delivery journaled once.
        var entries = CliRun.journal(topology.configFile());
        var mine = entries.stream().filter(e -> e.runId().orElse("").equals(runId)).toList();
        var kinds = mine.stream().map(e -> e.kind()).toList();
        int finished = kinds.indexOf(JournalKind.RUN_FINISHED);
        assertThat(finished).isPositive();
        assertThat(kinds.get(finished + 1)).isEqualTo(JournalKind.NOTIFICATION_QUEUED);
        assertThat(mine.get(finished + 1).seq()).isEqualTo(mine.get(finished).seq() + 1);
        // the old primary, killed, was held while down (its server is testenv's): no split-brain risk to tell (a
        // remote one is, RunAnnouncementsTest)
        assertThat(withSubject(smtp, "split-brain risk")).isEmpty();
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.NOTIFICATION_SENT).hasSize(4);
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.STEP_INTENT)
                .extracting(e -> e.payloadTree().path("step").asText())
                .containsSubsequence("commit", "announce-started", "fence", "announce-split-brain-risk");

        // No password anywhere.
        var everything = new StringBuilder(run.all()).append(alive.all());
        for (var m : smtp.getReceivedMessages()) {
            everything.append(GreenMailUtil.getWholeMessage(m));
        }
        entries.forEach(e -> everything.append(e.payload()));
        assertThat(everything.toString()).doesNotContain(SMTP_PASSWORD).doesNotContain(topology.password());
        var verify = drctl("audit", "verify", "-c", config);
        assertThat(verify.exit()).as(verify.all()).isZero();
    }

    @Test
    void aDeadMailServerDoesNotDelayTheFailoverAndGetsEachEmailOnceWhenBack() throws Exception {
        topology = startTopology();
        int port = freePort();
        configureEmail(port);
        var config = topology.configFile().toString();
        var cluster = topology.clusterName().value();
        var old = topology.primary();
        // Rounds recorded up to the kill (a daemon running, or an operator's status): the loss is measured.
        RoundRecorder.killWatched(topology, old);

        // Nothing listens on the SMTP port: each attempt is refused, the failover goes on.
        var run = drctl("failover", cluster, "-c", config, "-o", "json");
        assertThat(run.exit()).as(run.all()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        var runId = json.get("runId").asText();
        System.out.println("failover with SMTP down: command " + run.took().toMillis() + " ms, run " + runMillis(json)
                + " ms, RTO " + json.at("/record/rtoMillis").asLong() + " ms");
        assertThat(run.took()).as("a generous bound: the mail server's absence adds no wait")
                .isLessThan(Duration.ofSeconds(60));
        var waiting = drctl("notify", "flush", "-c", config, "-o", "json");
        // flush while SMTP is still down: nothing delivered, everything still waiting
        assertThat(waiting.exit()).as(waiting.all()).isEqualTo(1);
        // started, completed to three audiences (the old primary was held while down: no split-brain risk)
        assertThat(waiting.out()).contains("\"delivered\" : 0", "\"stillWaiting\" : 4");

        smtp = startSmtp(port);
        var flush = drctl("notify", "flush", "-c", config);
        assertThat(flush.exit()).as(flush.all()).isZero();
        assertThat(flush.out()).contains("FAILOVER_STARTED " + runId + " to dba by email: delivered",
                "FAILOVER_COMPLETED " + runId + " to management by email: delivered", "4 of 4 delivered; 0 still waiting");
        var again = drctl("notify", "flush", "-c", config);
        assertThat(again.exit()).as(again.all()).isZero();
        assertThat(again.out()).contains("nothing waited in the outbox");
        assertThat(withSubject(smtp, "failover started")).hasSize(1);
        assertThat(withSubject(smtp, "failover completed")).hasSize(3);
        assertThat(withSubject(smtp, "split-brain risk")).isEmpty();
        assertThat(smtp.getReceivedMessages()).hasSize(4);

        var mine = CliRun.journal(topology.configFile()).stream().filter(e -> e.runId().orElse("").equals(runId)).toList();
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.NOTIFICATION_SENT).hasSize(4);
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.NOTIFICATION_FAILED).isEmpty();
        assertThat(run.all() + waiting.all() + flush.all()).doesNotContain(SMTP_PASSWORD).doesNotContain(topology.password());
    }

    @Test
    void aRefusedTargetIsQueuedAsBlockedWithItsReason() throws Exception {
        topology = startTopology();
        int port = freePort();
        configureEmail(port);
        var config = topology.configFile().toString();
        var cluster = topology.clusterName().value();
        topology.kill(topology.primary());
        var noFailover = topology.replicas().getLast();
        CliRun.edit(topology.configFile(), y -> y.replaceAll("(name: \"?" + noFailover.value()
                + "\"?,[^}]*)}", "$1, no-failover: true }"));
        var refused = drctl("failover", cluster, "--to", noFailover.value(), "-c", config, "-o", "json");
        assertThat(refused.exit()).as(refused.all()).isEqualTo(3);
        var runId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(refused.out()).get("runId").asText();
        // SMTP is down: the refusal is in the outbox, waiting, with its reason.
        var cfg = dev.drctl.topology.ConfigLoader.load(topology.configFile());
        try (var store = dev.drctl.compliance.StateStore.open(cfg.compliance(), Clock.systemUTC(),
                dev.drctl.compliance.ConfiguredSecrets.resolvable(cfg, Map.of()))) {
            var rows = store.outbox().ofRun(runId);
            assertThat(rows).extracting(dev.drctl.compliance.OutboxMessage::kind).containsOnly("FAILOVER_BLOCKED");
            assertThat(rows).extracting(dev.drctl.compliance.OutboxMessage::audience)
                    .containsExactlyInAnyOrder("dba", "compliance");
            assertThat(rows.getFirst().payload()).contains("--to " + noFailover + " refused: marked no-failover")
                    .contains("candidate eligibility");
        }
    }

    static String recipientsUnchecked(MimeMessage m) {
        try {
            return recipients(m);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static long runMillis(com.fasterxml.jackson.databind.JsonNode json) {
        var started = java.time.Instant.parse(json.at("/record/startedAt").asText());
        var finished = java.time.Instant.parse(json.at("/record/finishedAt").asText());
        return Duration.between(started, finished).toMillis();
    }

    static void screenshot(String html, Path png) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println("SKIPPED the Chromium rendering of FAILOVER_COMPLETED: " + CHROMIUM + " is not installed");
            return;
        }
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        var page = Files.createTempFile("failover-completed-", ".html");
        var profile = Files.createTempDirectory("drctl-chromium-");
        var log = Files.createTempFile("drctl-chromium-", ".log");
        try {
            Files.writeString(page, html, StandardCharsets.UTF_8);
            var p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=900,1400", page.toUri().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("Chromium did not finish within 120 s: " + Files.readString(log));
            }
            assertThat(p.exitValue()).as("chromium: %s", Files.readString(log)).isZero();
            assertThat(png).exists();
            assertThat(Files.size(png)).as("a rendered page, not a blank one").isGreaterThan(10_000);
            System.out.println("Chromium rendered FAILOVER_COMPLETED: " + png);
        } finally {
            Files.deleteIfExists(page);
            Files.deleteIfExists(log);
            try (var files = Files.walk(profile)) {
                for (var f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
