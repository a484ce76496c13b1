package dev.drctl.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NotificationsSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every kind renders from its resources; figures, targets, times and the journal hash are in both bodies. */
class TemplatesTest {
    private static final JournalStamp STAMP = new JournalStamp(42, "ab".repeat(32));
    private final Notifications notifications = new Notifications(Fixtures.compliance(Path.of("/tmp")));
    private final Templates templates = new Templates();

    @Test
    void timesShowUtcAndTheConfiguredZoneWithItsOffset() {
        var times = new MessageTimes(ZoneId.of("Asia/Kolkata"));
        assertThat(times.format(Instant.parse("2026-11-22T02:14:05Z")))
                .isEqualTo("2026-11-22 02:14:05 UTC · 07:44:05 IST (+05:30)");
        // the local date is repeated when it is not the UTC date
        assertThat(times.format(Instant.parse("2026-11-22T22:00:00Z")))
                .isEqualTo("2026-11-22 22:00:00 UTC · 2026-11-23 03:30:00 IST (+05:30)");
        assertThat(new MessageTimes(ZoneId.of("UTC")).format(Instant.parse("2026-11-22T02:14:05Z")))
                .isEqualTo("2026-11-22 02:14:05 UTC");
        assertThat(MessageTimes.duration(Duration.ofMillis(31_400))).isEqualTo("31.400 s");
        assertThat(MessageTimes.duration(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(MessageTimes.duration(Duration.ofMinutes(5))).isEqualTo("5 m");
        assertThat(MessageTimes.duration(Duration.ofSeconds(10))).isEqualTo("10 s");
        assertThat(MessageTimes.duration(Duration.ofSeconds(67, 250_000_000))).isEqualTo("1 m 07.250 s");
    }

    @Test
    void failoverCompletedCarriesTheFiguresAgainstTargets() {
        var m = templates.render(Fixtures.failoverCompleted(notifications, "run-1"), STAMP);
        assertThat(m.subject()).isEqualTo("[drctl] payments: failover completed, pg-mum-1 → pg-mum-2 (RTO 31.400 s, target met)");
        for (var body : List.of(m.text(), m.html())) {
            assertThat(body).contains("pg-mum-1", "pg-mum-2", "31.400 s", "5.700 s", "4.200 s", "19.200 s", "run-1",
                    "2026-11-22 02:14:36 UTC · 07:44:36 IST (+05:30)", "#42", "ab".repeat(32), "INSYNC");
        }
        assertThat(m.text()).contains("Epoch: 7", "RTO: 31.400 s  [within target 5 m]", "RPO (estimate): 0 ms, 0 bytes");
        assertThat(m.html()).startsWith("<!DOCTYPE html>").contains("✔ within target 5 m");
    }

    @Test
    void everyKindRendersBothBodies() {
        var run = Fixtures.completedFailover("run-2");
        var all = List.of(
                Fixtures.failoverStarted(notifications, "run-2"),
                Fixtures.failoverCompleted(notifications, "run-2"),
                notifications.failoverFailed(run.withStatus(RunStatus.FAILED, "promotion timed out"), "promote",
                        "pg_promote() did not return within 60 s", "pg-mum-1 fenced, pg-mum-2 still a replica, DNS unchanged",
                        "Promote by hand: drctl failover payments --to pg-hyd-1"),
                notifications.failoverVerificationFailed(run, "pg-mum-2 still answers transaction_read_only = on",
                        "Check pg-mum-2, then drctl failover payments --to pg-mum-2"),
                notifications.failoverBlocked(Fixtures.PAYMENTS, "inc-9", Fixtures.T0, "RPO guard (rule 3)",
                        "best candidate pg-hyd-1 is 48 MB behind, more than max-lag 16 MB", List.of("pg-hyd-1 lag 48 MB"),
                        "drctl failover payments --accept-data-loss (journaled as a manual override)"),
                notifications.switchoverCompleted(run.withMeasures(Duration.ofMillis(2_300), Duration.ZERO, 0L, false),
                        "payments-rw → pg-mum-2 (INSYNC)"),
                notifications.drillResult(run.withDrill("payments-quarterly")),
                notifications.drillResult(run.withDrill("payments-quarterly")
                        .withMeasures(Duration.ofMinutes(9), Duration.ZERO, 0L, false)),
                notifications.drillOverdue(Fixtures.PAYMENTS, Fixtures.T0, Optional.of(run)),
                notifications.incidentOverdue(Fixtures.PAYMENTS, "inc-9", Fixtures.T0.minus(Duration.ofHours(3)),
                        Fixtures.T0, "failover blocked by the RPO guard"),
                notifications.exception(Optional.of(Fixtures.PAYMENTS), "inc-10", Fixtures.T0, "state store unwritable",
                        "disk full on /var/lib/drctl", "free space on /var/lib/drctl"),
                notifications.test("test-1", Fixtures.T0, "user:alice"),
                notifications.replicaProblem(Fixtures.PAYMENTS, "replica-11", Fixtures.T0,
                        new dev.drctl.topology.NodeName("pg-hyd-1"), true, "not streaming (WAL receiver stopped)"));
        assertThat(all).extracting(Notification::kind).containsExactly(NotificationKind.FAILOVER_STARTED,
                NotificationKind.FAILOVER_COMPLETED, NotificationKind.FAILOVER_FAILED,
                NotificationKind.FAILOVER_VERIFICATION_FAILED, NotificationKind.FAILOVER_BLOCKED,
                NotificationKind.SWITCHOVER_COMPLETED, NotificationKind.DRILL_PASSED, NotificationKind.DRILL_FAILED,
                NotificationKind.COMPLIANCE_OVERDUE, NotificationKind.COMPLIANCE_OVERDUE, NotificationKind.EXCEPTION,
                NotificationKind.TEST, NotificationKind.REPLICA_PROBLEM);
        for (var n : all) {
            var m = templates.render(n, STAMP);
            assertThat(m.text()).as(n.kind() + " text").contains(n.incidentId(), STAMP.hash(), "UTC").doesNotContain("{{");
            assertThat(m.html()).as(n.kind() + " html").contains(n.incidentId(), STAMP.hash(), "</html>")
                    .doesNotContain("{{");
        }
        var blocked = templates.render(all.get(4), STAMP);
        assertThat(blocked.text()).contains("RPO guard (rule 3)", "What to do next:", "--accept-data-loss");
        var drillFailed = templates.render(all.get(7), STAMP);
        assertThat(drillFailed.text()).contains("RTO: 9 m  [TARGET 5 m MISSED]");
    }

    @Test
    void htmlEscapesValuesAndTextDoesNot() {
        var n = notifications.exception(Optional.of(new ClusterName("payments")), "inc-<1>", Fixtures.T0,
                "<script>alert(1)</script>", "a & b", "retry");
        var m = templates.render(n, STAMP);
        assertThat(m.html()).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "a &amp; b").doesNotContain("<script>");
        assertThat(m.text()).contains("<script>alert(1)</script>", "a & b");
    }

    @Test
    void routingDefaultsAndOverrides() {
        var spec = new NotificationsSpec(Optional.of(Fixtures.email(25)), Fixtures.AUDIENCES, List.of(), Map.of());
        var routing = new Routing(spec);
        assertThat(routing.recipients(NotificationKind.FAILOVER_COMPLETED)).containsOnlyKeys("dba", "compliance", "management");
        assertThat(routing.recipients(NotificationKind.FAILOVER_STARTED)).containsOnlyKeys("dba");
        assertThat(routing.recipients(NotificationKind.DRILL_FAILED)).containsOnlyKeys("dba", "compliance");
        assertThat(routing.recipients(NotificationKind.COMPLIANCE_OVERDUE)).containsOnlyKeys("dba", "compliance");
        assertThat(routing.recipients(NotificationKind.SWITCHOVER_COMPLETED)).containsOnlyKeys("dba");
        assertThat(routing.recipients(NotificationKind.TEST)).containsOnlyKeys("dba", "compliance", "management");
        var routed = new Routing(new NotificationsSpec(spec.email(), spec.audiences(), List.of(),
                Map.of("FAILOVER_STARTED", List.of("management", "dba"))));
        assertThat(routed.recipients(NotificationKind.FAILOVER_STARTED).keySet()).containsExactly("management", "dba");
        // an audience the config does not define is skipped, not an error at send time
        var small = new Routing(new NotificationsSpec(spec.email(), Map.of("dba", List.of("dba@example.com")), List.of(),
                Map.of()));
        assertThat(small.recipients(NotificationKind.FAILOVER_COMPLETED)).containsOnlyKeys("dba");
    }

    @Test
    void drillPassesOnlyWhenItSucceededWithinBothTargets() {
        RunRecord run = Fixtures.completedFailover("d-1").withDrill("q");
        assertThat(notifications.drillResult(run).kind()).isEqualTo(NotificationKind.DRILL_PASSED);
        assertThat(notifications.drillResult(run.withStatus(RunStatus.FAILED, "x")).kind())
                .isEqualTo(NotificationKind.DRILL_FAILED);
        assertThat(notifications.drillResult(run.withMeasures(null, Duration.ofSeconds(3), null, false)).kind())
                .isEqualTo(NotificationKind.DRILL_FAILED);
    }
}
