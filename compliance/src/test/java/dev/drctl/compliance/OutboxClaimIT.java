package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Outbox claims on both vendors: two senders on two connections claiming at once never get the same message;
 * a claim blocks other owners until its lease runs out; journaling and enqueuing in one transaction commit
 * together or not at all.
 */
class OutboxClaimIT {
    static final Instant NOW = Instant.parse("2026-11-22T02:14:05Z");

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void twoSendersNeverClaimTheSameMessage(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var a = fresh.open(); var b = fresh.open()) {
            for (int i = 0; i < 40; i++) {
                a.outbox().enqueue(OutboxMessage.fresh("m-" + i, Optional.empty(), "TEST", "dba", "email",
                        Optional.empty(), Optional.of("run"), "{}", NOW));
            }
            try (var pool = Executors.newFixedThreadPool(2)) {
                List<Callable<List<String>>> senders = new ArrayList<>();
                for (var store : List.of(a, b)) {
                    var owner = store == a ? "a" : "b";
                    senders.add(() -> {
                        var mine = new ArrayList<String>();
                        // until nothing is due: a round may come back empty when the other sender won the race
                        // for the same rows, so the number of rounds is not fixed (bounded against a hang)
                        for (int round = 0; round < 10_000 && !store.outbox().due(NOW, 1).isEmpty(); round++) {
                            // a sender finishes what it claimed before claiming again (its own claims are re-claimable)
                            for (var m : store.outbox().claim(NOW, 3, owner, Duration.ofMinutes(2))) {
                                mine.add(m.id());
                                store.outbox().markAttemptFailed(m.id(), "retry later", NOW.plusSeconds(100));
                            }
                        }
                        return mine;
                    });
                }
                var results = pool.invokeAll(senders);
                var all = new ArrayList<String>();
                for (var r : results) {
                    all.addAll(r.get());
                }
                assertThat(all).doesNotHaveDuplicates();
                assertThat(new HashSet<>(all)).hasSize(40);
            }
            // a claims everything due; b gets nothing until a's lease runs out; a (restarted) gets its own back
            assertThat(a.outbox().claim(NOW.plusSeconds(100), 100, "a", Duration.ofMinutes(2))).hasSize(40);
            assertThat(b.outbox().claim(NOW.plusSeconds(160), 100, "b", Duration.ofMinutes(2))).isEmpty();
            assertThat(a.outbox().claim(NOW.plusSeconds(160), 100, "a", Duration.ofMinutes(2))).hasSize(40);
            assertThat(b.outbox().claim("m-0", NOW.plusSeconds(200), "b", Duration.ofMinutes(2))).isEmpty();
            assertThat(b.outbox().claim(NOW.plusSeconds(281), 100, "b", Duration.ofMinutes(2))).hasSize(40);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void journalAndOutboxCommitTogetherOrNotAtAll(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            var draft = JournalDraft.of(Actor.user("tester"), JournalKind.NOTIFICATION_QUEUED, Map.of("summary", "x"));
            try {
                store.atomically("test", tx -> {
                    tx.append(draft);
                    tx.enqueue(OutboxMessage.fresh("m-1", Optional.empty(), "TEST", "dba", "email", Optional.empty(),
                            Optional.empty(), "{}", NOW));
                    throw new IllegalStateException("rendering failed");
                });
            } catch (IllegalStateException expected) {
                // the whole step is rolled back
            }
            assertThat(store.journal().entries(JournalQuery.all())).isEmpty();
            assertThat(store.outbox().find("m-1")).isEmpty();
            var entry = store.atomically("test", tx -> {
                var e = tx.append(draft);
                tx.enqueue(OutboxMessage.fresh("m-1", Optional.of("k"), "TEST", "dba", "email", Optional.empty(),
                        Optional.empty(), "{\"hash\":\"" + e.hash() + "\"}", NOW));
                return e;
            });
            assertThat(store.journal().entries(JournalQuery.all())).singleElement().isEqualTo(entry);
            assertThat(store.outbox().findByDedupKey("k").orElseThrow().payload()).contains(entry.hash());
            boolean first = store.atomically("deliver", tx -> tx.markDelivered("m-1", NOW, Optional.of("<id>")));
            boolean second = store.atomically("deliver", tx -> tx.markDelivered("m-1", NOW, Optional.of("<id>")));
            assertThat(first).isTrue();
            assertThat(second).as("already delivered: not marked (nor journaled) twice").isFalse();
            assertThat(store.outbox().stats(NOW).delivered()).isEqualTo(1);
            assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
        }
    }
}
