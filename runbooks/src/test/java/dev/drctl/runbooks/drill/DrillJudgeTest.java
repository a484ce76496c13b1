package dev.drctl.runbooks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.NodeName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrillJudgeTest {
    static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
    static final NodeName OLD = new NodeName("pg-1");
    static final NodeName NEW = new NodeName("pg-2");
    static final ComplianceSpec.Targets TARGETS = new ComplianceSpec.Targets(Duration.ofSeconds(30), Duration.ZERO,
            Duration.ofDays(90), Duration.ofHours(2));

    static RunRecord promoted(RunStatus status) {
        return RunRecord.started("f-1", RunKind.FAILOVER, new ClusterName("payments"), new Actor("daemon:x"), T.plusSeconds(3))
                .withNodes(OLD, NEW, 2)
                .withTimeline(T.plusMillis(100), T.plusSeconds(3), T.plusSeconds(4), T.plusMillis(4200), null,
                        T.plusSeconds(5))
                .withStatus(status, "done");
    }

    static RunRecord refused() {
        return RunRecord.started("f-2", RunKind.FAILOVER, new ClusterName("payments"), new Actor("daemon:x"), T.plusSeconds(3))
                .withTimeline(T.plusMillis(100), null, null, null, null, T.plusSeconds(4))
                .withStatus(RunStatus.ABORTED, "RPO guard: data loss unknown");
    }

    static DrillObservation seen(List<RunRecord> runs, int pages, Optional<WriterWorkload.Ack> first, List<Long> lost,
                                 Optional<Boolean> oldWritable) {
        return new DrillObservation(OLD, T, runs, pages, first, 100, lost,
                lost.isEmpty() ? Optional.empty() : Optional.of(T.minusMillis(250)), oldWritable);
    }

    static final Optional<WriterWorkload.Ack> FIRST = Optional.of(new WriterWorkload.Ack(90, T.plusMillis(4500), NEW));

    @Test
    void aFailoverWithinTheTargetsPasses() {
        var v = DrillJudge.judge(Expectation.PROMOTED, seen(List.of(promoted(RunStatus.SUCCEEDED)), 0, FIRST, List.of(),
                Optional.empty()), TARGETS);
        assertThat(v.passed()).isTrue();
        assertThat(v.rto()).contains(Duration.ofMillis(4500));
        assertThat(v.rpo()).contains(Duration.ZERO);
    }

    @Test
    void anImpossibleRtoFailsAlthoughTheOutcomeWasRight() {
        var tight = new ComplianceSpec.Targets(Duration.ofMillis(1), Duration.ZERO, Duration.ofDays(90), Duration.ofHours(2));
        var v = DrillJudge.judge(Expectation.PROMOTED, seen(List.of(promoted(RunStatus.SUCCEEDED)), 0, FIRST, List.of(),
                Optional.empty()), tight);
        assertThat(v.expectedOutcome()).isTrue();
        assertThat(v.passed()).isFalse();
        assertThat(v.summary()).contains("RTO 4500 ms over the target of 1 ms");
    }

    @Test
    void lostAcknowledgedWritesAreNamedAndMissTheRpo() {
        var v = DrillJudge.judge(Expectation.PROMOTED, seen(List.of(promoted(RunStatus.SUCCEEDED)), 0, FIRST,
                List.of(41L, 42L), Optional.empty()), TARGETS);
        assertThat(v.passed()).isFalse();
        assertThat(v.lostWrites()).isEqualTo(2);
        assertThat(v.rpo()).contains(Duration.ofMillis(250));
        assertThat(v.summary()).contains("2 acknowledged writes lost (ids 41, 42)");
    }

    @Test
    void noFailoverPassesOnlyWithoutAPromotion() {
        assertThat(DrillJudge.judge(Expectation.NO_FAILOVER, seen(List.of(), 0, Optional.empty(), List.of(),
                Optional.empty()), TARGETS).passed()).isTrue();
        var promotedAnyway = DrillJudge.judge(Expectation.NO_FAILOVER, seen(List.of(promoted(RunStatus.SUCCEEDED)), 0,
                FIRST, List.of(), Optional.empty()), TARGETS);
        assertThat(promotedAnyway.passed()).isFalse();
        assertThat(promotedAnyway.summary()).contains("where none was called for");
    }

    @Test
    void aRefusalPassesOnlyWhenHumansWerePaged() {
        assertThat(DrillJudge.judge(Expectation.REFUSED, seen(List.of(refused()), 1, Optional.empty(), List.of(),
                Optional.empty()), TARGETS).passed()).isTrue();
        var silent = DrillJudge.judge(Expectation.REFUSED, seen(List.of(refused()), 0, Optional.empty(), List.of(),
                Optional.empty()), TARGETS);
        assertThat(silent.passed()).isFalse();
        assertThat(silent.summary()).contains("nobody was paged");
    }

    @Test
    void aReturningPrimaryThatTakesWritesIsTwoWriters() {
        var v = DrillJudge.judge(Expectation.PROMOTED_AND_FENCED, seen(List.of(promoted(RunStatus.SUCCEEDED)), 0, FIRST,
                List.of(), Optional.of(true)), TARGETS);
        assertThat(v.passed()).isFalse();
        assertThat(v.summary()).contains("two writers");
        assertThat(DrillJudge.judge(Expectation.PROMOTED_AND_FENCED, seen(List.of(promoted(RunStatus.SUCCEEDED)), 0,
                FIRST, List.of(), Optional.of(false)), TARGETS).passed()).isTrue();
    }

    @Test
    void twoFailoversWhileFlappingAreAStorm() {
        var v = DrillJudge.judge(Expectation.AT_MOST_ONE_FAILOVER, seen(List.of(promoted(RunStatus.SUCCEEDED),
                promoted(RunStatus.SUCCEEDED)), 0, FIRST, List.of(), Optional.empty()), TARGETS);
        assertThat(v.passed()).isFalse();
        assertThat(v.summary()).contains("a storm");
    }
}
