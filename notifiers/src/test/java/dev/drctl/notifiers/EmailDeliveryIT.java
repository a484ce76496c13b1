package dev.drctl.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.NotificationRecord;
import dev.drctl.compliance.StateStore;
import dev.drctl.notifiers.email.EmailNotifier;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A failover's notifications reach a real SMTP server (GreenMail, with login): right people, text + HTML, stable ids. */
class EmailDeliveryIT {
    private Smtp smtp;
    private Path dir;
    private SettableClock clock;
    private StateStore store;
    private Outbox outbox;
    private EmailNotifier email;
    private OutboxSender sender;
    private final Notifications notifications = new Notifications(Fixtures.compliance(Path.of("/tmp")));

    @BeforeEach
    void setUp() {
        smtp = new Smtp(Fixtures.freePort()).start();
        dir = Fixtures.tempDir();
        clock = new SettableClock(Fixtures.T0);
        store = Fixtures.store(dir, clock);
        var spec = Fixtures.emailOnly(smtp.port());
        outbox = new Outbox(store, spec, new Templates(), Actor.daemon("drctl-1"), clock);
        email = new EmailNotifier(spec.email().orElseThrow(), Fixtures.ENV, EmailNotifier.Timeouts.defaults());
        sender = new OutboxSender(store, Map.of(Channels.EMAIL, email), DeliveryPolicy.defaults(), clock, "daemon-1",
                Actor.daemon("drctl-1"));
    }

    @AfterEach
    void tearDown() {
        store.close();
        smtp.close();
    }

    @Test
    void startedAndCompletedReachTheirAudiencesAsTextAndHtml() throws Exception {
        var started = outbox.enqueue(Fixtures.failoverStarted(notifications, "run-7"));
        clock.advance(java.time.Duration.ofSeconds(31));
        var completed = outbox.enqueue(Fixtures.failoverCompleted(notifications, "run-7"));
        assertThat(started.messages()).extracting(m -> m.audience()).containsExactly("dba");
        assertThat(completed.messages()).extracting(m -> m.audience())
                .containsExactlyInAnyOrder("dba", "compliance", "management");

        var attempts = sender.drainOnce(clock.instant());
        assertThat(attempts).hasSize(4).allMatch(a -> a.outcome() instanceof Delivery.Delivered);

        // dba has two addresses: GreenMail keeps one copy per mailbox
        var received = smtp.received();
        assertThat(received).hasSize(2 + 2 + 1 + 1);
        for (var row : completed.messages()) {
            var copies = received.stream().filter(m -> Smtp.messageId(m).equals(email.messageId(row.id()))).toList();
            assertThat(copies).isNotEmpty();
            var to = Arrays.stream(copies.getFirst().getRecipients(Message.RecipientType.TO)).map(Address::toString)
                    .collect(Collectors.toSet());
            assertThat(to).isEqualTo(Set.copyOf(Fixtures.AUDIENCES.get(row.audience())));
            assertMultipartAlternative(copies.getFirst());
            assertThat(copies.getFirst().getSubject())
                    .isEqualTo("[drctl] payments: failover completed, pg-mum-1 → pg-mum-2 (RTO 31.400 s, target met)");
            assertThat(copies.getFirst().getHeader("X-Drctl-Journal")[0])
                    .isEqualTo("#" + completed.journaled().orElseThrow().seq() + " " + completed.journaled().orElseThrow().hash());
        }
        var startedCopy = received.stream().filter(m -> Smtp.messageId(m).equals(email.messageId(started.messages()
                .getFirst().id()))).findFirst().orElseThrow();
        assertThat(text(startedCopy)).contains("pg-mum-1 was confirmed dead", "pg-mum-2: wal receiver down");

        var sent = store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.NOTIFICATION_SENT)));
        assertThat(sent).hasSize(4);
        for (var e : sent) {
            var record = NotificationRecord.fromJson(e.payloadTree());
            assertThat(record.messageId()).contains(email.messageId(record.id()));
            assertThat(record.deliveryTime()).isPresent();
            assertThat(e.runId()).contains("run-7");
        }
        assertThat(store.outbox().stats(clock.instant()).pending()).isZero();
        assertThat(store.outbox().stats(clock.instant()).delivered()).isEqualTo(4);
        assertThat(store.verifier().verify()).isInstanceOf(dev.drctl.compliance.Verification.Intact.class);
    }

    @Test
    void theSameEventQueuedTwiceIsToldOnce() {
        var first = outbox.enqueue(Fixtures.failoverStarted(notifications, "run-8"));
        var again = outbox.enqueue(Fixtures.failoverStarted(notifications, "run-8"));
        assertThat(first.duplicate()).isFalse();
        assertThat(again.duplicate()).isTrue();
        assertThat(again.journaled()).isEmpty();
        sender.drainOnce(clock.instant());
        assertThat(smtp.distinctMessageIds()).hasSize(1);
    }

    static void assertMultipartAlternative(MimeMessage m) throws Exception {
        assertThat(m.getContentType()).startsWith("multipart/alternative");
        var parts = (MimeMultipart) m.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat((String) parts.getBodyPart(1).getContent()).contains("<!DOCTYPE html>");
    }

    static String text(MimeMessage m) throws Exception {
        return (String) ((MimeMultipart) m.getContent()).getBodyPart(0).getContent();
    }
}
