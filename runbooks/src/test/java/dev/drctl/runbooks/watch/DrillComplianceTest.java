package dev.drctl.runbooks.watch;

import static java.time.Duration.ofDays;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.notifiers.Outbox;
import dev.drctl.notifiers.Templates;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.NotificationsSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** COMPLIANCE_OVERDUE for drills: the pure due date, then raised once a day through a real outbox. */
class DrillComplianceTest {
    static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
    static final ClusterName PAYMENTS = new ClusterName("payments");
    static final ClusterName LEDGER = new ClusterName("ledger");

    @TempDir
    Path dir;
    private StateStore store;
    private ComplianceSpec compliance;
    private Outbox outbox;

    @BeforeEach
    void open() {
        compliance = new ComplianceSpec("jdbc:sqlite:" + dir.resolve("drctl.db"), ComplianceSpec.Targets.defaults(),
                Period.ofYears(7), ZoneId.of("Asia/Kolkata"));
        store = StateStore.open(compliance, Clock.fixed(T.minus(ofDays(100)), ZoneOffset.UTC), Set.of());
        var notifications = new NotificationsSpec(Optional.of(new NotificationsSpec.EmailSpec("127.0.0.1", 2525,
                false, false, Optional.empty(), Optional.empty(), "dr@example.com")),
                Map.of("dba", List.of("dba@example.com"), "compliance", List.of("risk@example.com")), List.of(), Map.of());
        outbox = new Outbox(store, notifications, new Templates(), Actor.daemon("host-1"), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void dueIsDrillEveryAfterTheLastSuccessOrAfterDrctlFirstKnewTheCluster() {
        var every = ofDays(90);
        assertThat(DrillCompliance.due(Optional.of(T.minus(ofDays(30))), T.minus(ofDays(400)), every, T))
                .isEqualTo(new DrillCompliance.Due.OnTime(T.plus(ofDays(60))));
        assertThat(DrillCompliance.due(Optional.of(T.minus(every)), T.minus(ofDays(400)), every, T))
                .as("exactly drill-every old is not older than it").isEqualTo(new DrillCompliance.Due.OnTime(T));
        assertThat(DrillCompliance.due(Optional.of(T.minus(every).minus(ofSeconds(1))), T, every, T))
                .isEqualTo(new DrillCompliance.Due.Overdue(Optional.of(T.minus(every).minus(ofSeconds(1))),
                        T.minus(ofSeconds(1))));
        assertThat(DrillCompliance.due(Optional.empty(), T.minus(ofDays(89)), every, T))
                .as("never drilled, known for 89 days").isEqualTo(new DrillCompliance.Due.OnTime(T.plus(ofDays(1))));
        assertThat(DrillCompliance.due(Optional.empty(), T.minus(ofDays(91)), every, T))
                .as("never drilled, known for 91 days")
                .isEqualTo(new DrillCompliance.Due.Overdue(Optional.empty(), T.minus(ofDays(1))));
    }

    @Test
    void anOverdueClusterIsToldOnceADayAndARestartDoesNotTellItTwice() {
        // drctl has known payments for 100 days (a journal entry of that time); its last drill was 95 days ago
        store.automation().maintenanceOn(PAYMENTS, "first contact", Actor.user("alice"));
        store.automation().maintenanceOff(PAYMENTS, Optional.empty(), Actor.user("alice"));
        store.runs().save(RunRecord.started("drill-1", RunKind.DRILL, PAYMENTS, Actor.daemon("host-1"),
                T.minus(ofDays(95))).withStatus(RunStatus.SUCCEEDED, "passed"));
        var check = new DrillCompliance(store, outbox, compliance);

        var raised = check.check(List.of(PAYMENTS, LEDGER), T);
        assertThat(raised).singleElement().satisfies(r -> {
            assertThat(r.cluster()).isEqualTo(PAYMENTS);
            assertThat(r.overdue().since()).isEqualTo(T.minus(ofDays(5)));
            assertThat(r.enqueued().messages()).hasSize(2).allSatisfy(m ->
                    assertThat(m.kind()).isEqualTo("COMPLIANCE_OVERDUE"));
        });
        assertThat(check.check(List.of(PAYMENTS, LEDGER), T.plusSeconds(60))).as("the same day").isEmpty();
        var restarted = new DrillCompliance(store, outbox, compliance);
        assertThat(restarted.check(List.of(PAYMENTS), T.plusSeconds(120))).as("a restart, the same day").isEmpty();
        assertThat(store.outbox().pending(100)).hasSize(2);

        assertThat(check.check(List.of(PAYMENTS), T.plus(ofDays(1)))).as("still overdue the next day").hasSize(1);
        assertThat(store.outbox().pending(100)).hasSize(4);

        store.runs().save(RunRecord.started("drill-2", RunKind.DRILL, PAYMENTS, Actor.daemon("host-1"),
                T.plus(ofDays(1))).withStatus(RunStatus.SUCCEEDED, "passed"));
        assertThat(check.check(List.of(PAYMENTS), T.plus(ofDays(2)))).as("drilled again").isEmpty();
        assertThat(check.status(PAYMENTS, T.plus(ofDays(2)))).isEqualTo(
                new DrillCompliance.Due.OnTime(T.plus(ofDays(91))));
        assertThat(check.status(LEDGER, T)).as("never journaled: known from now")
                .isEqualTo(new DrillCompliance.Due.OnTime(T.plus(ofDays(90))));
    }

    @Test
    void aDrillRecordedByTheRunnerIsTheLastSuccessAndAMissedOneIsNot() {
        // the drill runner's own records (not a hand-made run row): what drctl drill run and the daemon journal
        store.automation().maintenanceOn(PAYMENTS, "first contact", Actor.user("alice"));
        store.automation().maintenanceOff(PAYMENTS, Optional.empty(), Actor.user("alice"));
        var check = new DrillCompliance(store, outbox, compliance);
        assertThat(check.status(PAYMENTS, T)).as("known for 100 days, never drilled")
                .isInstanceOf(DrillCompliance.Due.Overdue.class);
        var drill = new dev.drctl.topology.DrillSpec("weekly", PAYMENTS, Optional.empty(),
                dev.drctl.topology.DrillSpec.Environment.LOCAL, dev.drctl.topology.DrillSpec.Failure.KILL_PRIMARY);
        dev.drctl.runbooks.drill.DrillRecords.missed(store, Actor.daemon("host-1"), drill, T.minus(ofDays(2)),
                "in maintenance", T.minus(ofDays(2)));
        assertThat(check.status(PAYMENTS, T)).as("a missed drill is no drill").isInstanceOf(DrillCompliance.Due.Overdue.class);

        var run = RunRecord.started("drill-20261127", RunKind.DRILL, PAYMENTS, Actor.user("alice"), T.minus(ofDays(1)))
                .withDrill("weekly");
        dev.drctl.runbooks.drill.DrillRecords.started(store, run);
        dev.drctl.runbooks.drill.DrillRecords.finished(store, Optional.of(outbox), compliance, run.withTimeline(null,
                null, null, null, null, T.minus(ofDays(1)).plusSeconds(90)).withStatus(RunStatus.SUCCEEDED, "passed"),
                Optional.empty());
        assertThat(check.status(PAYMENTS, T)).isEqualTo(new DrillCompliance.Due.OnTime(
                T.minus(ofDays(1)).plusSeconds(90).plus(ofDays(90))));
        assertThat(check.check(List.of(PAYMENTS), T)).as("no COMPLIANCE_OVERDUE after a passed drill").isEmpty();
        assertThat(check.check(List.of(PAYMENTS), T.plus(ofDays(90)))).as("but 90 days later, once").hasSize(1);
        assertThat(store.runs().unfinished(PAYMENTS)).as("nothing to resume").isEmpty();
    }
}
