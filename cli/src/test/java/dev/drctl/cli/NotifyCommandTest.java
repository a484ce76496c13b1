package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drctl notify test} against a real SMTP server (GreenMail, with login) and a real local webhook receiver. */
class NotifyCommandTest {
    static final String SMTP_PASSWORD = "smtp-Secr3t-for-cli-test";
    static final String HOOK_SECRET = "hook-Secr3t-for-cli-test";

    @TempDir
    Path dir;
    GreenMail smtp;
    HttpServer hook;
    final AtomicInteger hookStatus = new AtomicInteger(200);
    final AtomicInteger hookCalls = new AtomicInteger();

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void servers() throws Exception {
        int port;
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("drctl@example.com", "drctl", SMTP_PASSWORD));
        smtp.start();
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            hookCalls.incrementAndGet();
            ex.sendResponseHeaders(hookStatus.get(), -1);
            ex.close();
        });
        hook.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
        hook.stop(0);
    }

    private Path config(boolean withChannels) throws Exception {
        var file = dir.resolve("drctl.yaml");
        var notifications = withChannels ? """
                notifications:
                  email: { host: 127.0.0.1, port: %d, user: drctl, password: "${env:SMTP_PASSWORD}", from: dr@example.com }
                  audiences: { dba: [dba@example.com], compliance: [risk@example.com] }
                  webhooks: [ { url: "http://127.0.0.1:%d/hook", format: json, secret: "${env:HOOK_SECRET}" } ]
                """.formatted(smtp.getSmtp().getPort(), hook.getAddress().getPort()) : "";
        Files.writeString(file, """
                clusters:
                  - name: payments
                    engine: postgresql
                    credentials: { user: drctl }
                    nodes:
                      - { name: pg-1, host: 127.0.0.1, port: 5433, region: local }
                      - { name: pg-2, host: 127.0.0.1, port: 5434, region: local }
                %scompliance:
                  store: "jdbc:sqlite:%s"
                  time-zone: Asia/Kolkata
                """.formatted(notifications, dir.resolve("drctl.db")));
        return file;
    }

    private Run drctl(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Drctl.commandLine(new Host(Clock.fixed(Instant.parse("2026-11-22T02:14:05Z"), ZoneOffset.UTC),
                        Map.of("SMTP_PASSWORD", SMTP_PASSWORD, "HOOK_SECRET", HOOK_SECRET, "USER", "asha")))
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyChannelDeliversExitZero() throws Exception {
        var run = drctl("notify", "test", "-c", config(true).toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("email via 127.0.0.1:" + smtp.getSmtp().getPort() + " to dba: delivered in",
                "to compliance: delivered in", "webhook (json) to 127.0.0.1: delivered in",
                "all 3 channel(s) delivered; journaled as notify-test-20261122-021405");
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("[drctl] test message");
        assertThat(hookCalls.get()).isEqualTo(1);
        assertThat(run.out() + run.err()).doesNotContain(SMTP_PASSWORD, HOOK_SECRET);

        var json = drctl("notify", "test", "-c", config(true).toString(), "-o", "json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).contains("\"allDelivered\" : true", "\"messageId\" : \"<drctl.");
    }

    @Test
    void aFailingChannelIsReportedExitOne() throws Exception {
        hookStatus.set(500);
        var run = drctl("notify", "test", "-c", config(true).toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("webhook (json) to 127.0.0.1: FAILED: webhook 127.0.0.1: HTTP 500",
                "to dba: delivered in", "not every channel delivered");
        // a test message is tried once, not left to retry in the daemon's outbox
        assertThat(hookCalls.get()).isEqualTo(1);
    }

    @Test
    void noChannelConfiguredIsBadUsage() throws Exception {
        var run = drctl("notify", "test", "-c", config(false).toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no notification channel");
    }

    @Test
    void theHelpGivesEveryExitCodeTheCommandReturns() {
        var run = drctl("notify", "test", "--help");
        assertThat(run.exitCode()).isZero();
        // as docs/exit-codes.md says: 2 when no channel is configured, not only 0 and 1
        assertThat(run.out()).containsPattern("Exit codes:\\s+0\\s+every channel delivered\\s+1\\s+a channel failed"
                + "\\s+2\\s+no channel configured");
    }
}
