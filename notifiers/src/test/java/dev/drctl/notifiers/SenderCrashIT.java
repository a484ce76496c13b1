package dev.drctl.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.notifiers.email.EmailNotifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The at-least-once boundary, shown: a sender SIGKILLed after the SMTP server accepted a message and before
 * the outbox recorded it. After the restart the message is sent again with the same Message-ID, so a mailbox
 * that deduplicates on Message-ID shows it once (a plain one shows two copies), and the journal records one
 * delivery. Meanwhile another sender cannot take the dead sender's claim until its lease runs out.
 */
class SenderCrashIT {
    private final Notifications notifications = new Notifications(Fixtures.compliance(Path.of("/tmp")));

    @Test
    void killedBetweenSendAndMarkResendsTheSameMessageOnceJournaledOnce() throws Exception {
        var dir = Fixtures.tempDir();
        var clock = Clock.systemUTC();
        try (var smtp = new Smtp(Fixtures.freePort()).start(); var store = Fixtures.store(dir, clock)) {
            var spec = new dev.drctl.topology.NotificationsSpec(java.util.Optional.of(Fixtures.email(smtp.port())),
                    Map.of("dba", List.of("dba@example.com")), List.of(), Map.of());
            var queued = new Outbox(store, spec, new Templates(), Actor.daemon("drctl-1"), clock)
                    .enqueue(Fixtures.failoverStarted(notifications, "run-crash"));
            var id = queued.messages().getFirst().id();

            var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", CrashingSender.class.getName(), dir.toString(),
                    Integer.toString(smtp.port())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            var lines = new CopyOnWriteArrayList<String>();
            var reader = Thread.ofVirtual().start(() -> {
                try (var in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (java.io.IOException e) {
                    // the child was killed
                }
            });
            try {
                Fixtures.await("the child sent the message", Duration.ofSeconds(60),
                        () -> lines.contains("SENT " + id + " Delivered") || !child.isAlive());
                assertThat(lines).contains("SENT " + id + " Delivered");
                assertThat(smtp.received()).hasSize(1);
            } finally {
                child.toHandle().destroyForcibly(); // SIGKILL: no shutdown hooks, no outbox update
                child.waitFor(30, TimeUnit.SECONDS);
                reader.join(Duration.ofSeconds(10));
            }
            var row = store.outbox().find(id).orElseThrow();
            assertThat(row.deliveredAt()).as("the kill came before the outbox update").isEmpty();

            var email = new EmailNotifier(spec.email().orElseThrow(), Fixtures.ENV, EmailNotifier.Timeouts.defaults());
            var policy = DeliveryPolicy.defaults();
            // another daemon must wait for the dead one's lease ...
            var other = new OutboxSender(store, Map.of(Channels.EMAIL, email), policy, clock, "daemon-2",
                    Actor.daemon("drctl-2"));
            assertThat(other.drainOnce(clock.instant())).isEmpty();
            // ... while the restarted daemon (same identity) takes its own claim over at once
            var restarted = new OutboxSender(store, Map.of(Channels.EMAIL, email), policy, clock, "daemon-1",
                    Actor.daemon("drctl-1"));
            assertThat(restarted.drainOnce(clock.instant())).singleElement()
                    .satisfies(a -> assertThat(a.outcome()).isInstanceOf(Delivery.Delivered.class));
            assertThat(other.drainOnce(clock.instant().plus(policy.lease()).plusSeconds(1))).isEmpty();

            System.out.println("after SIGKILL between send and mark: " + smtp.received().size()
                    + " copies received, " + smtp.distinctMessageIds().size() + " distinct Message-ID(s)");
            assertThat(smtp.received()).hasSize(2);
            assertThat(smtp.distinctMessageIds()).containsExactly(email.messageId(id));
            assertThat(store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.NOTIFICATION_SENT))))
                    .hasSize(1);
            assertThat(store.outbox().find(id).orElseThrow().deliveredAt()).isPresent();
        }
    }
}
