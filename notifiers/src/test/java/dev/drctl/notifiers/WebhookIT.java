package dev.drctl.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.StateStore;
import dev.drctl.notifiers.webhook.WebhookSignature;
import dev.drctl.topology.NotificationsSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Webhooks against a real local HTTP receiver: signed JSON, Slack blocks, 500 then 200 retried and delivered once. */
class WebhookIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Notifications notifications = new Notifications(Fixtures.compliance(Path.of("/tmp")));

    @Test
    void signedJsonIsRetriedAfter500AndDeliveredOnce() throws Exception {
        var clock = new SettableClock(Fixtures.T0);
        try (var receiver = new WebhookReceiver(500); var store = Fixtures.store(Fixtures.tempDir(), clock)) {
            var spec = new NotificationsSpec(Optional.empty(), Map.of(), List.of(Fixtures.webhook(receiver.url(), "json")),
                    Map.of());
            var queued = outbox(store, spec, clock).enqueue(Fixtures.failoverCompleted(notifications, "run-hook"));
            var sender = sender(store, spec, clock);
            assertThat(sender.drainOnce(clock.instant())).singleElement()
                    .satisfies(a -> assertThat(((Delivery.Failed) a.outcome()).error())
                            .isEqualTo("webhook 127.0.0.1: HTTP 500"));
            clock.advance(Duration.ofSeconds(5));
            assertThat(sender.drainOnce(clock.instant())).singleElement()
                    .satisfies(a -> assertThat(a.outcome()).isInstanceOf(Delivery.Delivered.class));
            clock.advance(Duration.ofHours(1));
            assertThat(sender.drainOnce(clock.instant())).isEmpty();

            var got = receiver.received();
            assertThat(got).hasSize(2);
            var id = queued.messages().getFirst().id();
            for (var r : got) {
                assertThat(r.header("X-Drctl-Delivery")).isEqualTo(id);
                assertThat(WebhookSignature.verify(Fixtures.WEBHOOK_SECRET, r.body(), r.header("X-Drctl-Signature")))
                        .as("signature verifies over the received body").isTrue();
                assertThat(WebhookSignature.verify("another-secret", r.body(), r.header("X-Drctl-Signature"))).isFalse();
            }
            assertThat(receiver.acceptedDistinct()).isEqualTo(1);
            var doc = JSON.readTree(got.getLast().body());
            assertThat(doc.path("kind").asText()).isEqualTo("FAILOVER_COMPLETED");
            assertThat(doc.path("incident").asText()).isEqualTo("run-hook");
            assertThat(doc.path("journal").path("hash").asText()).isEqualTo(queued.journaled().orElseThrow().hash());
            assertThat(doc.path("text").asText()).contains("pg-mum-2", "31.400 s");
            assertThat(store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.NOTIFICATION_SENT)))).hasSize(1);
        }
    }

    @Test
    void slackFormatCarriesTextAndBlocks() throws Exception {
        var clock = new SettableClock(Fixtures.T0);
        try (var receiver = new WebhookReceiver(); var store = Fixtures.store(Fixtures.tempDir(), clock)) {
            var spec = new NotificationsSpec(Optional.empty(), Map.of(),
                    List.of(new NotificationsSpec.WebhookSpec(receiver.url(), "slack", Optional.empty())), Map.of());
            outbox(store, spec, clock).enqueue(Fixtures.failoverStarted(notifications, "run-slack"));
            sender(store, spec, clock).drainOnce(clock.instant());
            var doc = JSON.readTree(receiver.received().getFirst().body());
            assertThat(doc.path("text").asText()).isEqualTo("[drctl] payments: failover started, pg-mum-1 is down");
            assertThat(doc.path("blocks").get(0).path("type").asText()).isEqualTo("header");
            assertThat(doc.path("blocks").get(1).path("text").path("text").asText()).contains("pg-mum-2: wal receiver down");
            assertThat(doc.path("blocks").get(2).path("elements").get(0).path("text").asText()).contains("run-slack");
            assertThat(receiver.received().getFirst().header("X-Drctl-Signature")).isNull();
        }
    }

    @Test
    void aClientErrorIsGivenUpAtOnceAndJournaled() {
        var clock = new SettableClock(Fixtures.T0);
        try (var receiver = new WebhookReceiver(404); var store = Fixtures.store(Fixtures.tempDir(), clock)) {
            var spec = new NotificationsSpec(Optional.empty(), Map.of(), List.of(Fixtures.webhook(receiver.url(), "json")),
                    Map.of());
            outbox(store, spec, clock).enqueue(Fixtures.failoverStarted(notifications, "run-404"));
            var sender = sender(store, spec, clock);
            assertThat(sender.drainOnce(clock.instant())).singleElement().satisfies(a -> assertThat(a.gaveUp()).isTrue());
            assertThat(sender.givenUp()).isEqualTo(1);
            assertThat(store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.NOTIFICATION_FAILED))))
                    .singleElement().satisfies(e -> assertThat(e.payload()).contains("HTTP 404").doesNotContain("/hook"));
        }
    }

    private static Outbox outbox(StateStore store, NotificationsSpec spec, SettableClock clock) {
        return new Outbox(store, spec, new Templates(), Actor.daemon("drctl-1"), clock);
    }

    private static OutboxSender sender(StateStore store, NotificationsSpec spec, SettableClock clock) {
        return new OutboxSender(store, Channels.configured(spec, Fixtures.ENV), DeliveryPolicy.defaults(), clock,
                "daemon-1", Actor.daemon("drctl-1"));
    }
}
