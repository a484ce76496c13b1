package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.drctl.topology.ClusterName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Concurrent writers on one store keep the chain linear: 2 × 1,000 appends give one unbroken chain of 2,000. */
class JournalConcurrencyIT {
    static final int PER_WRITER = 1_000;

    private static List<Long> appendAll(StateStore store, String writer) {
        var seqs = new ArrayList<Long>();
        for (int i = 1; i <= PER_WRITER; i++) {
            var entry = store.journal().append(JournalDraft.of(Actor.daemon(writer), JournalKind.STEP_INTENT,
                    JsonNodeFactory.instance.objectNode().put("writer", writer).put("n", i)).cluster(new ClusterName("payments")));
            seqs.add(entry.seq());
        }
        return seqs;
    }

    private static void assertOneChain(TestStore fresh, StateStore store, List<Long> a, List<Long> b) throws Exception {
        assertThat(a).hasSize(PER_WRITER).isSorted();
        assertThat(b).hasSize(PER_WRITER).isSorted();
        var all = new ArrayList<>(a);
        all.addAll(b);
        assertThat(all).doesNotHaveDuplicates().hasSize(2 * PER_WRITER);
        assertThat(store.verifier().verify()).isInstanceOfSatisfying(Verification.Intact.class, ok -> {
            assertThat(ok.entries()).isEqualTo(2 * PER_WRITER);
            assertThat(ok.headSeq()).isEqualTo(2 * PER_WRITER);
        });
        try (var c = fresh.raw(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(DISTINCT actor), MIN(seq), MAX(seq), COUNT(*) FROM journal_entry")) {
            rs.next();
            assertThat(rs.getInt(1)).as("both writers interleaved in one chain").isEqualTo(2);
            assertThat(rs.getLong(2)).isEqualTo(1);
            assertThat(rs.getLong(3)).isEqualTo(2 * PER_WRITER);
            assertThat(rs.getLong(4)).isEqualTo(2 * PER_WRITER);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void twoStoreInstancesOnSeparateConnections(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var one = fresh.open(); var two = fresh.open();
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            Future<List<Long>> a = pool.submit((Callable<List<Long>>) () -> appendAll(one, "one"));
            Future<List<Long>> b = pool.submit((Callable<List<Long>>) () -> appendAll(two, "two"));
            var seqsA = a.get();
            var seqsB = b.get();
            System.out.printf("%s: 2 instances x %d appends in %d ms%n", kind, PER_WRITER,
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            assertOneChain(fresh, one, seqsA, seqsB);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void thisJvmAndASecondJvmProcess(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind); var store = fresh.open();
             var child = ChildJvm.appending(fresh.url(), "child", PER_WRITER)) {
            child.awaitReady(Duration.ofSeconds(60));
            long start = System.nanoTime();
            var mine = appendAll(store, "parent");
            assertThat(child.exitCode(Duration.ofMinutes(3))).as("child output: %s", child.otherLines()).isZero();
            System.out.printf("%s: this JVM + a child JVM x %d appends in %d ms%n", kind, PER_WRITER,
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            assertOneChain(fresh, store, mine, child.acked());
        }
    }
}
