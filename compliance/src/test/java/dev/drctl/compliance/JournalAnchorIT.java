package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.drctl.compliance.Verification.Breach;
import dev.drctl.topology.DrctlException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tamper evidence that survives a store administrator (issue 12): a keyed chain cannot be recomputed without the key,
 * and a head anchored outside the store exposes a chain recomputed from its first entry.
 */
class JournalAnchorIT {
    static final JournalKey KEY = JournalKey.of("0123456789abcdef0123456789abcdef-test-key");
    static final JournalKey OTHER_KEY = JournalKey.of("fedcba9876543210fedcba9876543210-other-key");

    private static void append(StateStore store, int n) {
        for (int i = 1; i <= n; i++) {
            store.journal().append(JournalDraft.of(Actor.daemon("d1"), JournalKind.DECISION,
                    JsonNodeFactory.instance.objectNode().put("reason", "r" + i)));
        }
    }

    private static HeadAnchor anchorOf(StateStore store) {
        var head = store.journal().head();
        return HeadAnchor.parse(head.toString()).orElseThrow();
    }

    /**
     * What someone who can write the store but not read the key does: edits entry 1, then recomputes every hash with
     * plain SHA-256 from the first entry on, and moves the head row. {@code keepKeyIds} leaves the chain_key column.
     */
    private static void rewriteFromFirstEntry(TestStore fresh, boolean keepKeyIds) throws Exception {
        try (var c = fresh.raw()) {
            c.setAutoCommit(false);
            record Row(long seq, String at, String cluster, String node, String actor, String kind, String runId, Long epoch,
                       String payload, String chainKey) {
            }
            var rows = new ArrayList<Row>();
            try (var st = c.prepareStatement("SELECT seq, at, cluster, node, actor, kind, run_id, epoch, payload, chain_key "
                    + "FROM journal_entry ORDER BY seq"); var rs = st.executeQuery()) {
                while (rs.next()) {
                    long epoch = rs.getLong(8);
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.wasNull() ? null : epoch, rs.getString(9),
                            rs.getString(10)));
                }
            }
            var prev = ChainHash.GENESIS;
            long seq = 0;
            for (var r : rows) {
                var actor = r.seq() == rows.getFirst().seq() ? "user:someone-else" : r.actor();
                var hash = ChainHash.of(r.seq(), r.at(), r.cluster(), r.node(), actor, r.kind(), r.runId(), r.epoch(),
                        r.payload(), prev);
                try (var st = c.prepareStatement("UPDATE journal_entry SET actor = ?, prev_hash = ?, hash = ?, chain_key = ? "
                        + "WHERE seq = ?")) {
                    st.setString(1, actor);
                    st.setString(2, prev);
                    st.setString(3, hash);
                    if (keepKeyIds && r.chainKey() != null) {
                        st.setString(4, r.chainKey());
                    } else {
                        st.setNull(4, Types.VARCHAR);
                    }
                    st.setLong(5, r.seq());
                    st.executeUpdate();
                }
                prev = hash;
                seq = r.seq();
            }
            try (var st = c.prepareStatement("UPDATE journal_head SET seq = ?, hash = ? WHERE id = 1")) {
                st.setLong(1, seq);
                st.setString(2, prev);
                st.executeUpdate();
            }
            c.commit();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUntouchedKeyedJournalVerifiesAndExtendsItsAnchoredHead(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open(Clock.systemUTC(), KEY)) {
            append(store, 5);
            var anchor = anchorOf(store);
            append(store, 5);
            assertThat(store.verifier().verify(Optional.of(anchor))).isInstanceOfSatisfying(Verification.Intact.class, ok -> {
                assertThat(ok.entries()).isEqualTo(11);
                assertThat(ok.keyedFrom()).contains(1L);
                assertThat(ok.anchor()).hasValueSatisfying(a -> assertThat(a.seq()).isEqualTo(6));
                assertThat(ok.summary()).contains("keyed from entry 1").contains("extends the anchored head, entry 6");
            });
            var keyed = store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.JOURNAL_KEYED)));
            assertThat(keyed).singleElement().satisfies(e -> {
                assertThat(e.seq()).isEqualTo(1);
                assertThat(e.payloadTree().path("summary").asText()).startsWith("journal keyed from entry 1");
                assertThat(e.payload()).contains(KEY.id()).doesNotContain(KEY.value());
            });
            var hashOnly = new HeadAnchor(Optional.empty(), anchor.hash());
            assertThat(store.verifier().verify(Optional.of(hashOnly))).isInstanceOf(Verification.Intact.class);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aChainRewrittenFromTheFirstEntryFailsKeyedVerifyAndTheAnchoredHead(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind)) {
            HeadAnchor anchor;
            try (var store = fresh.open(Clock.systemUTC(), KEY)) {
                append(store, 8);
                anchor = anchorOf(store);
                append(store, 2);
            }
            rewriteFromFirstEntry(fresh, false);
            try (var keyed = fresh.open(Clock.systemUTC(), KEY)) {
                assertThat(keyed.verifier().verify()).isInstanceOfSatisfying(Verification.Broken.class, b -> {
                    assertThat(b.breach()).isEqualTo(Breach.NOT_KEYED);
                    assertThat(b.detail()).contains("no entry up to the head (entry 11) is keyed");
                });
            }
            try (var plain = fresh.open()) {
                assertThat(plain.verifier().verify()).as("without the key or an anchor the rewrite passes: the threat")
                        .isInstanceOf(Verification.Intact.class);
                assertThat(plain.verifier().verify(Optional.of(anchor))).isInstanceOfSatisfying(Verification.Broken.class,
                        b -> {
                            assertThat(b.breach()).isEqualTo(Breach.ANCHOR_DIFFERS);
                            assertThat(b.seq()).isEqualTo(9);
                            assertThat(b.detail()).contains("entry 9 has hash").contains("the anchor says "
                                    + anchor.hash().substring(0, 16)).contains("rewritten at or before entry 9");
                        });
                assertThat(plain.verifier().verify(Optional.of(new HeadAnchor(Optional.empty(), anchor.hash()))))
                        .isInstanceOfSatisfying(Verification.Broken.class,
                                b -> assertThat(b.breach()).isEqualTo(Breach.ANCHOR_MISSING));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void recomputedPlainHashesUnderKeyIdsFailAtTheFirstEntry(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind)) {
            try (var store = fresh.open(Clock.systemUTC(), KEY)) {
                append(store, 4);
            }
            rewriteFromFirstEntry(fresh, true);
            try (var keyed = fresh.open(Clock.systemUTC(), KEY)) {
                assertThat(keyed.verifier().verify()).isInstanceOfSatisfying(Verification.Broken.class, b -> {
                    assertThat(b.seq()).isEqualTo(1);
                    assertThat(b.breach()).isEqualTo(Breach.CONTENT_EDITED);
                });
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUnkeyedJournalRewrittenFromTheFirstEntryFailsOnlyAgainstItsAnchor(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind)) {
            HeadAnchor anchor;
            try (var store = fresh.open()) {
                append(store, 6);
                anchor = anchorOf(store);
                assertThat(store.verifier().verify(Optional.of(anchor))).isInstanceOf(Verification.Intact.class);
            }
            rewriteFromFirstEntry(fresh, false);
            try (var store = fresh.open()) {
                assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
                assertThat(store.verifier().verify(Optional.of(anchor))).isInstanceOfSatisfying(Verification.Broken.class,
                        b -> assertThat(b.breach()).isEqualTo(Breach.ANCHOR_DIFFERS));
                var beyond = new HeadAnchor(Optional.of(40L), anchor.hash());
                assertThat(store.verifier().verify(Optional.of(beyond))).isInstanceOfSatisfying(Verification.Broken.class,
                        b -> {
                            assertThat(b.breach()).isEqualTo(Breach.ANCHOR_BEYOND_END);
                            assertThat(b.detail()).startsWith("the anchored head is entry 40 but the journal ends at entry 6");
                        });
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aKeyedJournalWithoutItsKeyIsNotAPassAndIsNotExtended(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind)) {
            try (var store = fresh.open(Clock.systemUTC(), KEY)) {
                append(store, 3);
            }
            try (var plain = fresh.open()) {
                assertThat(plain.verifier().verify()).isInstanceOfSatisfying(Verification.Unverifiable.class, u -> {
                    assertThat(u.seq()).isEqualTo(1);
                    assertThat(u.summary()).contains("entries 1..4 are keyed").contains("no compliance.journal-key");
                });
                assertThatThrownBy(() -> append(plain, 1)).isInstanceOfSatisfying(DrctlException.class, e -> {
                    assertThat(e.code()).isEqualTo(ComplianceErrorCode.JOURNAL_KEY_REQUIRED);
                    assertThat(e.code().exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("the journal is keyed");
                });
            }
            try (var other = fresh.open(Clock.systemUTC(), OTHER_KEY)) {
                assertThat(other.verifier().verify()).isInstanceOfSatisfying(Verification.Unverifiable.class,
                        u -> assertThat(u.detail()).contains("keyed with key id " + KEY.id())
                                .contains("has id " + OTHER_KEY.id()));
                assertThatThrownBy(() -> append(other, 1)).isInstanceOf(DrctlException.class)
                        .hasMessageContaining("rotation is not supported");
            }
            try (var store = fresh.open(Clock.systemUTC(), KEY)) {
                assertThat(store.verifier().verify()).as("the refused appends wrote nothing")
                        .isInstanceOfSatisfying(Verification.Intact.class, ok -> assertThat(ok.headSeq()).isEqualTo(4));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aKeyIntroducedLaterStartsAKeyedSegmentThatNeverFallsBackToPlain(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind)) {
            try (var store = fresh.open()) {
                append(store, 3);
            }
            try (var store = fresh.open(Clock.systemUTC(), KEY)) {
                append(store, 3);
                assertThat(store.verifier().verify()).isInstanceOfSatisfying(Verification.Intact.class, ok -> {
                    assertThat(ok.entries()).isEqualTo(7);
                    assertThat(ok.keyedFrom()).contains(4L);
                });
                assertThat(store.journal().latest(JournalKind.JOURNAL_KEYED)).hasValueSatisfying(e -> {
                    assertThat(e.seq()).isEqualTo(4);
                    assertThat(e.payloadTree().path("keyedFrom").asLong()).isEqualTo(4);
                });
            }
            // the last entry made plain again, its hash recomputed: a downgrade
            try (var c = fresh.raw(); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT at, actor, kind, payload, prev_hash FROM journal_entry WHERE seq = 7")) {
                rs.next();
                var hash = ChainHash.of(7, rs.getString(1), null, null, rs.getString(2), rs.getString(3), null, null,
                        rs.getString(4), rs.getString(5));
                try (var up = c.createStatement()) {
                    up.executeUpdate("UPDATE journal_entry SET chain_key = NULL, hash = '" + hash + "' WHERE seq = 7");
                    up.executeUpdate("UPDATE journal_head SET hash = '" + hash + "' WHERE id = 1");
                }
            }
            try (var store = fresh.open(Clock.systemUTC(), KEY)) {
                assertThat(store.verifier().verify()).isInstanceOfSatisfying(Verification.Broken.class, b -> {
                    assertThat(b.seq()).isEqualTo(7);
                    assertThat(b.breach()).isEqualTo(Breach.KEYING_ALTERED);
                });
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAnchorIsProvenAcrossAPurgeWhileTheCheckpointCoversIt(StoreKind kind) throws Exception {
        var clock = new SettableClock(Instant.parse("2017-03-01T00:00:00Z"));
        try (var fresh = TestStore.fresh(kind); var store = fresh.open(clock, KEY)) {
            append(store, 4);                                   // 1 JOURNAL_KEYED + 4: entries 1..5, in 2017
            var atBoundary = anchorOf(store);
            var older = new HeadAnchor(Optional.of(3L), store.journal().entries(JournalQuery.all()).get(2).hash());
            clock.set(Instant.parse("2026-11-01T00:00:00Z"));
            append(store, 3);                                   // entries 6..8
            var retained = anchorOf(store);
            clock.set(Instant.parse("2026-11-22T10:00:00Z"));
            assertThat(store.purge().purge(Instant.parse("2018-01-01T00:00:00Z"), Period.ofYears(7), Actor.user("auditor")))
                    .isInstanceOfSatisfying(PurgeOutcome.Purged.class,
                            p -> assertThat(p.checkpoint().purgedThroughSeq()).isEqualTo(5));

            assertThat(store.verifier().verify(Optional.of(retained))).isInstanceOfSatisfying(Verification.Intact.class,
                    ok -> assertThat(ok.anchor()).hasValueSatisfying(a -> assertThat(a.via()).isEqualTo("in the chain")));
            assertThat(store.verifier().verify(Optional.of(atBoundary))).isInstanceOfSatisfying(Verification.Intact.class,
                    ok -> assertThat(ok.anchor()).hasValueSatisfying(a -> {
                        assertThat(a.seq()).isEqualTo(5);
                        assertThat(a.via()).isEqualTo("the purge checkpoint");
                    }));
            assertThat(store.verifier().verify(Optional.of(older))).isInstanceOfSatisfying(Verification.Broken.class, b -> {
                assertThat(b.breach()).isEqualTo(Breach.ANCHOR_PURGED);
                assertThat(b.detail()).contains("entry 3 was purged (the checkpoint covers entries up to 5)");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void twoKeyedWritersOnAnUnkeyedJournalStartOneKeyedSegment(StoreKind kind) throws Exception {
        int perWriter = 200;
        try (var fresh = TestStore.fresh(kind)) {
            try (var store = fresh.open()) {
                append(store, 2);
            }
            try (var one = fresh.open(Clock.systemUTC(), KEY); var two = fresh.open(Clock.systemUTC(), KEY);
                 var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                long start = System.nanoTime();
                var a = pool.submit(() -> append(one, perWriter));
                var b = pool.submit(() -> append(two, perWriter));
                a.get();
                b.get();
                long appendMs = (System.nanoTime() - start) / 1_000_000;
                start = System.nanoTime();
                var result = one.verifier().verify();
                long verifyMs = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("%s: 2 keyed writers x %d appends in %d ms; keyed verify of %d entries in %d ms%n",
                        kind, perWriter, appendMs, 2 * perWriter + 3, verifyMs);
                assertThat(result).isInstanceOfSatisfying(Verification.Intact.class, ok -> {
                    assertThat(ok.entries()).isEqualTo(2 * perWriter + 3);
                    assertThat(ok.keyedFrom()).contains(3L);
                });
                assertThat(one.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.JOURNAL_KEYED))))
                        .as("one marker, however many writers raced to key the chain").hasSize(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theKeyIsNeverWrittenToTheJournal(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open(Clock.systemUTC(), KEY)) {
            assertThatThrownBy(() -> store.journal().append(JournalDraft.of(Actor.daemon("d1"), JournalKind.DECISION,
                    Map.of("oops", KEY.value())))).isInstanceOfSatisfying(DrctlException.class,
                    e -> assertThat(e.code()).isEqualTo(ComplianceErrorCode.SECRET_IN_JOURNAL));
        }
    }
}
