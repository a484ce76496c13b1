package dev.drctl.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.topology.NotificationsSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The SMTP password and the webhook secret never appear in a message, a log line, the outbox or the journal:
 * not when delivery works, and not when the server rejects the login (the error is logged and journaled).
 */
class SecretsIT {
    private final Notifications notifications = new Notifications(Fixtures.compliance(java.nio.file.Path.of("/tmp")));

    @Test
    void secretsAppearNowhere() throws Exception {
        var wrongPassword = "Wr0ng-smtp-password-not-shown";
        var env = Map.of("SMTP_PASSWORD", Fixtures.SMTP_PASSWORD, "HOOK_SECRET", Fixtures.WEBHOOK_SECRET,
                "BAD_PASSWORD", wrongPassword);
        var captured = new ByteArrayOutputStream();
        var originalErr = System.err;
        var dir = Fixtures.tempDir();
        var clock = new SettableClock(Fixtures.T0);
        try (var smtp = new Smtp(Fixtures.freePort()).start(); var receiver = new WebhookReceiver();
             var store = dev.drctl.compliance.StateStore.open(Fixtures.compliance(dir), clock,
                     java.util.Set.of(Fixtures.SMTP_PASSWORD, Fixtures.WEBHOOK_SECRET, wrongPassword))) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                var good = new NotificationsSpec(Optional.of(Fixtures.email(smtp.port())), Fixtures.AUDIENCES,
                        List.of(Fixtures.webhook(receiver.url(), "json")), Map.of());
                var badEmail = new NotificationsSpec.EmailSpec("127.0.0.1", smtp.port(), false, false,
                        Optional.of("drctl"), Optional.of(new dev.drctl.topology.SecretRef.Env("BAD_PASSWORD")),
                        "dr@example.com");
                var bad = new NotificationsSpec(Optional.of(badEmail), Fixtures.AUDIENCES, List.of(), Map.of());
                new Outbox(store, good, new Templates(), Actor.daemon("drctl-1"), clock)
                        .enqueue(Fixtures.failoverCompleted(notifications, "run-s"));
                new OutboxSender(store, Channels.configured(good, env), DeliveryPolicy.defaults(), clock, "d-1",
                        Actor.daemon("drctl-1")).drainOnce(clock.instant());
                new Outbox(store, bad, new Templates(), Actor.daemon("drctl-1"), clock)
                        .enqueue(Fixtures.failoverStarted(notifications, "run-s2"));
                var rejected = new OutboxSender(store, Channels.configured(bad, env), DeliveryPolicy.defaults(), clock,
                        "d-2", Actor.daemon("drctl-1")).deliverNow(store.outbox().ofRun("run-s2"), true);
                assertThat(rejected).singleElement().satisfies(a -> {
                    assertThat(a.outcome()).isInstanceOf(Delivery.Failed.class);
                    assertThat(((Delivery.Failed) a.outcome()).error()).contains("535");
                });
            } finally {
                System.setErr(originalErr);
            }
            var everything = new StringBuilder(captured.toString(StandardCharsets.UTF_8));
            for (var m : smtp.received()) {
                var raw = new ByteArrayOutputStream();
                m.writeTo(raw);
                everything.append(raw.toString(StandardCharsets.UTF_8));
            }
            receiver.received().forEach(r -> everything.append(r.bodyText()).append(r.headers()));
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("drctl.db")); var st = c.createStatement()) {
                for (var table : List.of("journal_entry", "notification_outbox")) {
                    try (var rs = st.executeQuery("SELECT * FROM " + table)) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= columns; i++) {
                                everything.append(rs.getString(i)).append('\n');
                            }
                        }
                    }
                }
            }
            var text = everything.toString();
            assertThat(smtp.received()).hasSize(4); // dba ×2, compliance, management
            assertThat(receiver.received()).hasSize(1);
            // the grep looked at the right things: the login failure, both journal kinds, the signature header
            assertThat(text).contains("535", "NOTIFICATION_FAILED", "NOTIFICATION_SENT", "sha256=");
            assertThat(text).doesNotContain(Fixtures.SMTP_PASSWORD, Fixtures.WEBHOOK_SECRET, wrongPassword);
        }
    }
}
