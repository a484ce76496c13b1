package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.drctl.compliance.Verification.Breach;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NodeName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Edits made directly in the database, behind drctl's back, are each pinpointed by verification. */
class JournalTamperIT {

    private static void appendTen(StateStore store) {
        for (int i = 1; i <= 10; i++) {
            store.journal().append(JournalDraft.of(Actor.daemon("d1"), JournalKind.STEP_OUTCOME,
                            JsonNodeFactory.instance.objectNode().put("step", "step-" + i).put("outcome", "ok"))
                    .cluster(new ClusterName("payments")).node(new NodeName("pg-" + i)).run("run-1").epoch(3));
        }
    }

    private static void sql(TestStore fresh, String... statements) throws Exception {
        try (var c = fresh.raw(); var st = c.createStatement()) {
            for (var s : statements) {
                st.executeUpdate(s);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUntouchedChainIsIntact(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            assertThat(store.verifier().verify()).isEqualTo(
                    new Verification.Intact(0, 0, ChainHash.GENESIS, java.util.Optional.empty()));
            appendTen(store);
            var result = store.verifier().verify();
            assertThat(result).isInstanceOfSatisfying(Verification.Intact.class, ok -> {
                assertThat(ok.entries()).isEqualTo(10);
                assertThat(ok.headSeq()).isEqualTo(10);
                assertThat(ok.headHash()).hasSize(64);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEditedPayloadIsPinpointed(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            appendTen(store);
            sql(fresh, "UPDATE journal_entry SET payload = '{\"outcome\":\"failed\",\"step\":\"step-4\"}' WHERE seq = 4");
            assertThat(store.verifier().verify()).isInstanceOfSatisfying(Verification.Broken.class, b -> {
                assertThat(b.seq()).isEqualTo(4);
                assertThat(b.breach()).isEqualTo(Breach.CONTENT_EDITED);
                assertThat(b.summary()).startsWith("journal broken at entry 4 (content edited)");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDeletedEntryIsPinpointed(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            appendTen(store);
            sql(fresh, "DELETE FROM journal_entry WHERE seq = 6");
            assertThat(store.verifier().verify()).isInstanceOfSatisfying(Verification.Broken.class, b -> {
                assertThat(b.seq()).isEqualTo(6);
                assertThat(b.breach()).isEqualTo(Breach.ENTRIES_MISSING);
                assertThat(b.detail()).isEqualTo("entries 6 are missing between entry 5 and entry 7");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDeletedAndRenumberedEntryIsPinpointed(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            appendTen(store);
            sql(fresh, "DELETE FROM journal_entry WHERE seq = 6",
                    "UPDATE journal_entry SET seq = seq + 1000 WHERE seq > 6",
                    "UPDATE journal_entry SET seq = seq - 1001 WHERE seq > 1000",
                    "UPDATE journal_head SET seq = 9");
            assertThat(store.verifier().verify()).isInstanceOfSatisfying(Verification.Broken.class, b -> {
                assertThat(b.seq()).isEqualTo(6);
                assertThat(b.breach()).isEqualTo(Breach.LINK_BROKEN);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void swappedEntriesArePinpointed(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            appendTen(store);
            sql(fresh, "UPDATE journal_entry SET seq = -3 WHERE seq = 3",
                    "UPDATE journal_entry SET seq = 3 WHERE seq = 7",
                    "UPDATE journal_entry SET seq = 7 WHERE seq = -3");
            assertThat(store.verifier().verify()).isInstanceOfSatisfying(Verification.Broken.class, b -> {
                assertThat(b.seq()).isEqualTo(3);
                assertThat(b.breach()).isEqualTo(Breach.REORDERED);
                assertThat(b.detail()).contains("entry 3 was written after the entry now at seq 6");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void entriesCutOffTheEndArePinpointed(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            appendTen(store);
            sql(fresh, "DELETE FROM journal_entry WHERE seq >= 9");
            assertThat(store.verifier().verify()).isInstanceOfSatisfying(Verification.Broken.class, b -> {
                assertThat(b.seq()).isEqualTo(9);
                assertThat(b.breach()).isEqualTo(Breach.TAIL_MISSING);
            });
        }
    }
}
