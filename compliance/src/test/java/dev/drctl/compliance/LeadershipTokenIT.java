package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.topology.ClusterName;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The highest fencing token per cluster (issue 13), on both vendors: a newer or equal token is recorded, an older one
 * is refused and nothing of its transaction commits (the intent it would have journaled is not there).
 */
class LeadershipTokenIT {
    static final ClusterName PAYMENTS = new ClusterName("payments");
    static final ClusterName LEDGER = new ClusterName("ledger");
    static final Actor DAEMON = new Actor("daemon:mum-1");

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aNewerTermIsRecordedAndAnOlderOneRefused(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            var tokens = store.leadershipTokens();
            assertThat(tokens.newest(PAYMENTS)).isEmpty();
            var first = new LeadershipToken(4_294_967_301L, "daemon:mum-1");
            assertThat(tokens.checkAndRecord(PAYMENTS, first)).isEqualTo(new LeadershipToken.Check.Accepted(first));
            // The same term acts again: accepted.
            assertThat(tokens.checkAndRecord(PAYMENTS, first)).isInstanceOf(LeadershipToken.Check.Accepted.class);
            var second = new LeadershipToken(4_294_967_320L, "daemon:hyd-1");
            assertThat(tokens.checkAndRecord(PAYMENTS, second)).isEqualTo(new LeadershipToken.Check.Accepted(second));

            var stale = tokens.checkAndRecord(PAYMENTS, first);
            assertThat(stale).isInstanceOfSatisfying(LeadershipToken.Check.Stale.class, s -> {
                assertThat(s.newest()).isEqualTo(second);
                assertThat(s.sentence()).startsWith("leadership token 4294967301 of daemon:mum-1 is older than token "
                        + "4294967320 of daemon:hyd-1 recorded at ");
            });
            assertThat(tokens.newest(PAYMENTS).orElseThrow().token()).isEqualTo(second);
            // Per cluster: another cluster's history does not refuse it.
            assertThat(tokens.checkAndRecord(LEDGER, first)).isInstanceOf(LeadershipToken.Check.Accepted.class);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStaleTokenCommitsNothingOfItsTransaction(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open()) {
            var newer = new LeadershipToken(20, "daemon:hyd-1");
            var older = new LeadershipToken(10, "daemon:mum-1");
            store.leadershipTokens().checkAndRecord(PAYMENTS, newer);
            int before = store.journal().entries(JournalQuery.all()).size();

            assertThatThrownBy(() -> store.atomically("intent with a stale token", tx -> {
                if (tx.checkLeadership(PAYMENTS, older) instanceof LeadershipToken.Check.Stale s) {
                    throw new IllegalStateException(s.sentence());
                }
                return tx.append(JournalDraft.of(DAEMON, JournalKind.STEP_INTENT, Map.of("step", "promote"))
                        .cluster(PAYMENTS));
            })).hasMessageContaining("is older than token 20");
            assertThat(store.journal().entries(JournalQuery.all())).hasSize(before);
            assertThat(store.leadershipTokens().newest(PAYMENTS).orElseThrow().token()).isEqualTo(newer);

            var entry = store.atomically("intent with the current token", tx -> {
                assertThat(tx.checkLeadership(PAYMENTS, new LeadershipToken(21, "daemon:mum-1")))
                        .isInstanceOf(LeadershipToken.Check.Accepted.class);
                return tx.append(JournalDraft.of(DAEMON, JournalKind.STEP_INTENT, Map.of("step", "promote"))
                        .cluster(PAYMENTS));
            });
            assertThat(store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.STEP_INTENT))))
                    .extracting(JournalEntry::seq).containsExactly(entry.seq());
        }
    }
}
