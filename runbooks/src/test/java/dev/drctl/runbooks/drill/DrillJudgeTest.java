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

    static DrillObservation withSides(Optional<DrillObservation.MailAfterOutage> mail,
                                      Optional<DrillObservation.DnsAfterErrors> dns) {
        return new DrillObservation(OLD, T, List.of(promoted(RunStatus.SUCCEEDED)), 0, FIRST, 100, List.of(),
                Optional.empty(), Optional.empty(), mail, dns, Optional.empty());
    }

    /** A row: the side channel as measured, whether the drill passes, and a finding it must carry. */
    record SideCase(String name, DrillObservation seen, boolean passes, String finding) {
    }

    @Test
    void sideChannelsDownDuringTheFailoverAreJudgedByWhetherTheyCaughtUp() {
        var back = T.plusSeconds(20);
        var mailed = new DrillObservation.MailAfterOutage.Delivered(back.plusMillis(900), "failover started");
        var early = new DrillObservation.MailAfterOutage.Delivered(back.minusSeconds(5), "sent while down?");
        var ok = List.of("127.0.0.1");
        var cases = List.of(
                new SideCase("mail delivered once SMTP was back", withSides(Optional.of(
                        new DrillObservation.MailAfterOutage(back, List.of(mailed))), Optional.empty()), true,
                        "1 notification delivered once SMTP was back (first: \"failover started\", 900 ms after)"),
                new SideCase("no mail after SMTP came back", withSides(Optional.of(
                        new DrillObservation.MailAfterOutage(back, List.of())), Optional.empty()), false,
                        "no notification was delivered after SMTP came back"),
                new SideCase("a mail from before it came back does not count", withSides(Optional.of(
                        new DrillObservation.MailAfterOutage(back, List.of(early))), Optional.empty()), false,
                        "no notification was delivered after SMTP came back"),
                new SideCase("Route53 errors retried, record correct", withSides(Optional.empty(), Optional.of(
                        new DrillObservation.DnsAfterErrors(3, 4, ok, ok))), true, "the writer record ends correct"),
                new SideCase("never retried past the errors", withSides(Optional.empty(), Optional.of(
                        new DrillObservation.DnsAfterErrors(3, 3, List.of(), ok))), false,
                        "never retried past the errors"),
                new SideCase("retried, but the record names another node", withSides(Optional.empty(), Optional.of(
                        new DrillObservation.DnsAfterErrors(3, 5, List.of("127.0.0.9"), ok))), false,
                        "the writer record ends 127.0.0.9, expected 127.0.0.1"));
        for (var c : cases) {
            var v = DrillJudge.judge(Expectation.PROMOTED, c.seen(), TARGETS);
            assertThat(v.passed()).as(c.name()).isEqualTo(c.passes());
            assertThat(v.expectedOutcome()).as(c.name()).isEqualTo(c.passes());
            assertThat(v.findings()).as(c.name()).anySatisfy(f -> {
                assertThat(f.sentence()).contains(c.finding());
                assertThat(f.met()).isEqualTo(c.passes());
            });
        }
    }
}
