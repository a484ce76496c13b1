package dev.drctl.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.NotificationRecord;
import dev.drctl.notifiers.email.EmailNotifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SMTP down while a failover is being told: queuing stays fast (it never touches SMTP), the sender retries
 * with backoff, and once the server is back the message arrives exactly once.
 */
class SmtpOutageIT {
    private final Notifications notifications = new Notifications(Fixtures.compliance(Path.of("/tmp")));

    @Test
    void queuedWhileSmtpIsDownDeliveredOnceWhenItReturns() throws Exception {
        var port = Fixtures.freePort();
        var clock = new SettableClock(Fixtures.T0);
        var spec = Fixtures.emailOnly(port);
        var policy = new DeliveryPolicy(10, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofMinutes(2),
                Duration.ofMillis(50), 20);
        try (var smtp = new Smtp(port); var store = Fixtures.store(Fixtures.tempDir(), clock)) {
            var email = new EmailNotifier(spec.email().orElseThrow(), Fixtures.ENV, EmailNotifier.Timeouts.defaults());
            try (var sender = new OutboxSender(store, Map.of(Channels.EMAIL, email), policy, clock, "daemon-1",
                    Actor.daemon("drctl-1"))) {
                var outbox = new Outbox(store, spec, new Templates(), Actor.daemon("drctl-1"), clock, sender::wake);
                // the server is down: nothing listens on the port
                long t0 = System.nanoTime();
                var queued = outbox.enqueue(Fixtures.failoverStarted(notifications, "run-outage"));
                var enqueueTook = Duration.ofNanos(System.nanoTime() - t0);
                System.out.println("enqueue with SMTP down took " + enqueueTook.toMillis() + " ms (no SMTP contact)");
                assertThat(enqueueTook).isLessThan(Duration.ofSeconds(5));
                var id = queued.messages().getFirst().id();

                var first = sender.drainOnce(clock.instant());
                assertThat(first).singleElement().satisfies(a -> {
                    assertThat(a.outcome()).isInstanceOf(Delivery.Failed.class);
                    assertThat(a.gaveUp()).isFalse();
                });
                var afterFirst = store.outbox().find(id).orElseThrow();
                assertThat(afterFirst.attempts()).isEqualTo(1);
                assertThat(afterFirst.lastError()).hasValueSatisfying(e -> assertThat(e).contains("127.0.0.1:" + port));
                // backoff: 2 s ± jitter, so nothing is due at the same instant
                assertThat(afterFirst.nextAttemptAt()).isAfter(clock.instant());
                assertThat(sender.drainOnce(clock.instant())).isEmpty();
                clock.advance(Duration.ofSeconds(2));
                assertThat(sender.drainOnce(clock.instant())).singleElement()
                        .satisfies(a -> assertThat(a.outcome()).isInstanceOf(Delivery.Failed.class));

                smtp.start();
                sender.start();
                clock.advance(Duration.ofSeconds(5));
                Fixtures.await("the message arrives after SMTP is back", Duration.ofSeconds(30),
                        () -> store.outbox().find(id).orElseThrow().deliveredAt().isPresent());
                // later polls find nothing more to send
                clock.advance(Duration.ofHours(3));
                sender.wake();
                Fixtures.await("a later poll ran", Duration.ofSeconds(10), () -> store.outbox().stats(clock.instant()).due() == 0);
                sender.close();
                assertThat(sender.drainOnce(clock.instant())).isEmpty();

                assertThat(smtp.received()).hasSize(2); // dba's two mailboxes
                assertThat(smtp.distinctMessageIds()).containsExactly(email.messageId(id));
                var sent = store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.NOTIFICATION_SENT)));
                assertThat(sent).singleElement().satisfies(e -> {
                    var r = NotificationRecord.fromJson(e.payloadTree());
                    assertThat(r.attempts()).isEqualTo(3);
                    assertThat(r.deliveryTime()).hasValueSatisfying(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(7)));
                });
                assertThat(store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.NOTIFICATION_FAILED))))
                        .isEmpty();
            }
        }
    }

    @Test
    void givenUpAfterTheLastAttemptIsJournaledAndCounted() {
        var port = Fixtures.freePort();
        var clock = new SettableClock(Fixtures.T0);
        var spec = Fixtures.emailOnly(port);
        var policy = new DeliveryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofMinutes(2),
                Duration.ofSeconds(1), 20);
        try (var store = Fixtures.store(Fixtures.tempDir(), clock)) {
            var email = new EmailNotifier(spec.email().orElseThrow(), Fixtures.ENV, EmailNotifier.Timeouts.defaults());
            var sender = new OutboxSender(store, Map.of(Channels.EMAIL, email), policy, clock, "daemon-1",
                    Actor.daemon("drctl-1"));
            new Outbox(store, spec, new Templates(), Actor.daemon("drctl-1"), clock)
                    .enqueue(Fixtures.failoverStarted(notifications, "run-lost"));
            for (int i = 0; i < 3; i++) {
                assertThat(sender.drainOnce(clock.instant())).hasSize(1);
                clock.advance(Duration.ofSeconds(10));
            }
            assertThat(sender.drainOnce(clock.instant())).isEmpty();
            assertThat(sender.givenUp()).isEqualTo(1);
            var failed = store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.NOTIFICATION_FAILED)));
            assertThat(failed).singleElement().satisfies(e -> {
                var r = NotificationRecord.fromJson(e.payloadTree());
                assertThat(r.attempts()).isEqualTo(3);
                assertThat(r.error()).hasValueSatisfying(err -> assertThat(err).contains("SMTP 127.0.0.1:" + port));
            });
        }
    }
}
