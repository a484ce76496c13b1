package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NodeName;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Where each kind of run counts in the report: only a promotion is a failover or a switchover. */
class RunCategoryTest {
    static final Instant T = Instant.parse("2026-11-28T08:00:00Z");

    static RunRecord run(RunKind kind, RunStatus status, boolean promoted) {
        var r = RunRecord.started("r-1", kind, new ClusterName("c"), Actor.user("asha"), T).withStatus(status, "s");
        if (promoted) {
            r = r.withNodes(new NodeName("n-1"), new NodeName("n-2"), 1)
                    .withTimeline(T, T.plusSeconds(1), T.plusSeconds(2), null, T.plusSeconds(3), T.plusSeconds(4));
        }
        return r;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(RunKind.FAILOVER, RunStatus.SUCCEEDED, true, RunCategory.FAILOVER, "primary n-1 → n-2"),
                Arguments.of(RunKind.FAILOVER, RunStatus.PROMOTED_DNS_PENDING, true, RunCategory.FAILOVER, "primary n-1 → n-2"),
                Arguments.of(RunKind.FAILOVER, RunStatus.FAILED, true, RunCategory.FAILOVER, "primary n-1 → n-2"),
                Arguments.of(RunKind.FAILOVER, RunStatus.ABORTED, false, RunCategory.REFUSED_OR_ABORTED,
                        "nothing: no node promoted, primary unchanged"),
                Arguments.of(RunKind.FAILOVER, RunStatus.FAILED, false, RunCategory.FAILED_OR_UNFINISHED, "nothing promoted"),
                Arguments.of(RunKind.FAILOVER, RunStatus.RUNNING, false, RunCategory.FAILED_OR_UNFINISHED,
                        "not finished: see its timeline; no promotion recorded"),
                Arguments.of(RunKind.FAILOVER, RunStatus.SUCCEEDED, false, RunCategory.FAILED_OR_UNFINISHED,
                        "nothing promoted"),
                Arguments.of(RunKind.SWITCHOVER, RunStatus.SUCCEEDED, true, RunCategory.SWITCHOVER, "primary n-1 → n-2"),
                Arguments.of(RunKind.SWITCHOVER, RunStatus.ABORTED, false, RunCategory.REFUSED_OR_ABORTED,
                        "nothing: no node promoted, primary unchanged"),
                Arguments.of(RunKind.DRILL, RunStatus.SUCCEEDED, false, RunCategory.DRILL, "primary (not recorded) → (not recorded)"),
                Arguments.of(RunKind.DRILL, RunStatus.FAILED, false, RunCategory.FAILED_OR_UNFINISHED, "nothing promoted"),
                Arguments.of(RunKind.REJOIN, RunStatus.SUCCEEDED, true, RunCategory.REJOIN,
                        "n-1 rejoined as a replica of n-2; primary unchanged"),
                Arguments.of(RunKind.REJOIN, RunStatus.ABORTED, false, RunCategory.REFUSED_OR_ABORTED,
                        "nothing: no node promoted, primary unchanged"),
                Arguments.of(RunKind.REJOIN, RunStatus.FAILED, false, RunCategory.FAILED_OR_UNFINISHED, "nothing promoted"));
    }

    @ParameterizedTest(name = "{0} {1} promoted={2} → {3}")
    @MethodSource("cases")
    void eachRunCountsOnceForWhatItDid(RunKind kind, RunStatus status, boolean promoted, RunCategory expected,
                                       String change) {
        var run = run(kind, status, promoted);
        assertThat(RunCategory.of(run)).isEqualTo(expected);
        assertThat(HtmlReport.change(run, expected)).isEqualTo(change).doesNotContain("?");
        assertThat(expected.changedPrimary()).isEqualTo(expected == RunCategory.FAILOVER
                || expected == RunCategory.SWITCHOVER || expected == RunCategory.DRILL);
    }
}
