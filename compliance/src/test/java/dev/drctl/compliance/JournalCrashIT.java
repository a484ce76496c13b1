package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A writer killed with SIGKILL mid-append loses no entry it acknowledged, and the chain still verifies. */
class JournalCrashIT {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyAcknowledgedEntrySurvivesSigkill(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind)) {
            fresh.open().close();
            try (var child = ChildJvm.appending(fresh.url(), "doomed", 0)) {
                child.awaitReady(Duration.ofSeconds(60));
                child.awaitAcks(300, Duration.ofMinutes(2));
                child.kill();
                var acked = child.acked();
                assertThat(acked).hasSizeGreaterThanOrEqualTo(300);
                try (var store = fresh.open()) {
                    assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
                    var present = new HashSet<Long>();
                    try (var c = fresh.raw(); var st = c.createStatement();
                         var rs = st.executeQuery("SELECT seq FROM journal_entry")) {
                        while (rs.next()) {
                            present.add(rs.getLong(1));
                        }
                    }
                    // one sequential writer: it acknowledged 1..k in order, and no acknowledged entry is missing
                    assertThat(acked).isEqualTo(java.util.stream.LongStream.rangeClosed(1, acked.size()).boxed().toList());
                    assertThat(present).containsAll(acked);
                    // at most the one entry committed in the instant before its ACK could be printed is extra
                    assertThat(present.size()).isBetween(acked.size(), acked.size() + 1);
                    // the store accepts appends again after the crash
                    var next = store.journal().append(JournalDraft.of(Actor.user("tester"), JournalKind.MANUAL_OVERRIDE,
                            java.util.Map.of("note", "after crash")));
                    assertThat(next.seq()).isEqualTo(present.size() + 1L);
                    assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
                }
            }
        }
    }
}
