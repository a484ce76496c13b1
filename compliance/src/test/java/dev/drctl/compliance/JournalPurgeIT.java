package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Verification.Breach;
import java.time.Instant;
import java.time.Period;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Retention: purges inside the retention period are refused; older purges leave a chain that still verifies. */
class JournalPurgeIT {
    static final Period SEVEN_YEARS = Period.ofYears(7);
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private static void append(StateStore store, SettableClock clock, String at, int n) {
        clock.set(Instant.parse(at));
        for (int i = 0; i < n; i++) {
            store.journal().append(JournalDraft.of(Actor.daemon("d1"), JournalKind.DECISION, Map.of("reason", "r" + i)));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void refusesInsideRetentionAndKeepsTheChainVerifiableAfterAPurge(StoreKind kind) throws Exception {
        var clock = new SettableClock(NOW);
        try (var fresh = TestStore.fresh(kind); var store = fresh.open(clock, Set.of())) {
            append(store, clock, "2017-03-01T00:00:00Z", 5);
            append(store, clock, "2018-06-01T00:00:00Z", 3);
            append(store, clock, "2026-11-01T00:00:00Z", 2);
            clock.set(NOW);

            var refused = store.purge().purge(Instant.parse("2025-01-01T00:00:00Z"), SEVEN_YEARS, Actor.user("auditor"));
            assertThat(refused).isInstanceOfSatisfying(PurgeOutcome.RefusedRetention.class, r -> {
                assertThat(r.latestAllowed()).isEqualTo(Instant.parse("2019-11-22T10:00:00Z"));
                assertThat(r.summary()).contains("use --before 2019-11-22 or earlier");
            });
            assertThat(store.verifier().verify()).isInstanceOfSatisfying(Verification.Intact.class,
                    ok -> assertThat(ok.entries()).isEqualTo(10));

            var purged = store.purge().purge(Instant.parse("2018-01-01T00:00:00Z"), SEVEN_YEARS, Actor.user("auditor"));
            assertThat(purged).isInstanceOfSatisfying(PurgeOutcome.Purged.class, p -> {
                assertThat(p.count()).isEqualTo(5);
                assertThat(p.checkpoint().purgedThroughSeq()).isEqualTo(5);
                assertThat(p.checkpoint().announcedBy()).isEqualTo(11);
            });
            assertThat(store.verifier().verify()).isInstanceOfSatisfying(Verification.Intact.class, ok -> {
                assertThat(ok.entries()).isEqualTo(6);
                assertThat(ok.headSeq()).isEqualTo(11);
                assertThat(ok.checkpoint()).isPresent();
            });
            var announcement = store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.PURGE_CHECKPOINT)));
            assertThat(announcement).singleElement().satisfies(e -> {
                assertThat(e.payloadTree().path("purgedThroughSeq").asLong()).isEqualTo(5);
                assertThat(e.actor()).isEqualTo(Actor.user("auditor"));
            });

            // a second purge moves the checkpoint on; the chain keeps verifying
            assertThat(store.purge().purge(Instant.parse("2019-01-01T00:00:00Z"), SEVEN_YEARS, Actor.user("auditor")))
                    .isInstanceOfSatisfying(PurgeOutcome.Purged.class, p -> assertThat(p.count()).isEqualTo(3));
            assertThat(store.verifier().verify()).isInstanceOfSatisfying(Verification.Intact.class,
                    ok -> assertThat(ok.entries()).isEqualTo(4));
            assertThat(store.purge().purge(Instant.parse("2019-01-01T00:00:00Z"), SEVEN_YEARS, Actor.user("auditor")))
                    .isInstanceOf(PurgeOutcome.NothingToPurge.class);

            // hiding more deleted entries behind an edited checkpoint is detected
            try (var c = fresh.raw(); var st = c.createStatement()) {
                st.executeUpdate("DELETE FROM journal_entry WHERE seq = 9");
                st.executeUpdate("UPDATE journal_checkpoint SET purged_through_seq = 9 WHERE id = 12");
            }
            assertThat(store.verifier().verify()).isInstanceOfSatisfying(Verification.Broken.class, b -> {
                assertThat(b.breach()).isEqualTo(Breach.CHECKPOINT_MISMATCH);
            });
            assertThat(store.purge().purge(Instant.parse("2019-01-01T00:00:00Z"), SEVEN_YEARS, Actor.user("auditor")))
                    .as("a broken chain is never purged").isInstanceOf(PurgeOutcome.RefusedBrokenChain.class);
        }
    }
}
