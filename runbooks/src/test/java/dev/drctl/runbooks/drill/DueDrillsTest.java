package dev.drctl.runbooks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrillSchedule;
import dev.drctl.topology.DrillSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DueDrillsTest {
    static final ClusterName PAY = new ClusterName("payments");
    static final ZoneId UTC = ZoneId.of("UTC");
    // Sunday 2026-11-29 02:00 UTC is a scheduled time of "0 2 * * SUN"
    static final Instant SUNDAY_2AM = Instant.parse("2026-11-29T02:00:00Z");

    static DrillSpec drill(String name, ClusterName cluster, String cron) {
        var fields = cron.split(" ").length;
        return new DrillSpec(name, cluster, Optional.of(new DrillSchedule(cron,
                DrillSchedule.Flavour.ofFields(fields).orElseThrow())), DrillSpec.Environment.LOCAL,
                DrillSpec.Failure.KILL_PRIMARY);
    }

    static List<DueDrills.Due> due(List<DrillSpec> drills, Map<String, Instant> last, Map<ClusterName, String> held,
                                   Instant now) {
        return DueDrills.due(drills, last, c -> Optional.ofNullable(held.get(c)), UTC, now, DueDrills.DEFAULT_GRACE);
    }

    @Test
    void aDrillIsDueAtItsTimeAndNotAgainOnceHandled() {
        var d = drill("weekly", PAY, "0 2 * * SUN");
        var now = SUNDAY_2AM.plusSeconds(30);
        assertThat(due(List.of(d), Map.of(), Map.of(), now))
                .containsExactly(new DueDrills.Due.Run(d, SUNDAY_2AM));
        assertThat(due(List.of(d), Map.of("weekly", SUNDAY_2AM.plusSeconds(1)), Map.of(), now.plusSeconds(600)))
                .isEmpty();
        assertThat(due(List.of(d), Map.of(), Map.of(), SUNDAY_2AM.minusSeconds(1))).isEmpty();
    }

    @Test
    void quartzSchedulesWorkToo() {
        var d = drill("quartz", PAY, "0 0 2 ? * SUN");
        assertThat(due(List.of(d), Map.of(), Map.of(), SUNDAY_2AM.plusSeconds(5)))
                .containsExactly(new DueDrills.Due.Run(d, SUNDAY_2AM));
    }

    @Test
    void aHeldClusterMissesItsDrillWithTheReason() {
        var d = drill("weekly", PAY, "0 2 * * SUN");
        var out = due(List.of(d), Map.of(), Map.of(PAY, "in maintenance (by alice: kernel upgrade)"),
                SUNDAY_2AM.plusSeconds(30));
        assertThat(out).singleElement().isInstanceOfSatisfying(DueDrills.Due.Missed.class, m -> {
            assertThat(m.scheduledFor()).isEqualTo(SUNDAY_2AM);
            assertThat(m.why()).contains("in maintenance");
        });
    }

    @Test
    void oneDrillAtATimePerCluster() {
        var a = drill("a", PAY, "0 2 * * SUN");
        var b = drill("b", PAY, "0 2 * * SUN");
        var c = drill("c", new ClusterName("ledger"), "0 2 * * SUN");
        var out = due(List.of(a, b, c), Map.of(), Map.of(), SUNDAY_2AM.plusSeconds(30));
        assertThat(out).containsExactly(new DueDrills.Due.Run(a, SUNDAY_2AM),
                new DueDrills.Due.Missed(b, SUNDAY_2AM, "another drill of cluster payments runs at the same time "
                        + "(one at a time per cluster)"),
                new DueDrills.Due.Run(c, SUNDAY_2AM));
    }

    @Test
    void timesPassedWhileDrctlWasDownAreMissedNotRunLate() {
        var d = drill("daily", PAY, "0 2 * * *");
        var lastHandled = SUNDAY_2AM.minus(Duration.ofDays(3));
        var now = SUNDAY_2AM.plus(Duration.ofHours(5));
        var out = due(List.of(d), Map.of("daily", lastHandled), Map.of(), now);
        assertThat(out).hasSize(3).allMatch(x -> x instanceof DueDrills.Due.Missed);
        assertThat(out.getLast().scheduledFor()).isEqualTo(SUNDAY_2AM);
        assertThat(((DueDrills.Due.Missed) out.getLast()).why()).contains("drctl was not running");
    }

    @Test
    void aDrillWithoutScheduleIsNeverDue() {
        var d = new DrillSpec("by-hand", PAY, Optional.empty(), DrillSpec.Environment.LOCAL,
                DrillSpec.Failure.KILL_PRIMARY);
        assertThat(due(List.of(d), Map.of(), Map.of(), SUNDAY_2AM)).isEmpty();
    }

    @Test
    void nextRunsFollowTheComplianceZone() {
        var cron = new DrillCron(new DrillSchedule("0 2 * * SUN", DrillSchedule.Flavour.UNIX), ZoneId.of("Asia/Kolkata"));
        var next = cron.next(Instant.parse("2026-11-28T00:00:00Z"), 3);
        // 02:00 in Kolkata (UTC+5:30) is 20:30 UTC on the Saturday before
        assertThat(next).containsExactly(Instant.parse("2026-11-28T20:30:00Z"), Instant.parse("2026-12-05T20:30:00Z"),
                Instant.parse("2026-12-12T20:30:00Z"));
    }

    /** One row of the hold table: the cluster's facts, and the hold they make (null: may be drilled). */
    record HoldCase(String name, DueDrills.ClusterFacts facts, String holdContains) {
    }

    @Test
    void whatHoldsAClusterFromBeingDrilled() {
        var now = SUNDAY_2AM;
        Optional<String> none = Optional.empty();
        var cases = List.of(
                new HoldCase("nothing holds it", DueDrills.ClusterFacts.free(), null),
                new HoldCase("maintenance", new DueDrills.ClusterFacts(false, Optional.of("kernel upgrade, by alice"),
                        Optional.empty(), none), "in maintenance (kernel upgrade, by alice)"),
                new HoldCase("failing over", new DueDrills.ClusterFacts(true, Optional.empty(), Optional.empty(), none),
                        "failing over"),
                new HoldCase("cooling down", new DueDrills.ClusterFacts(false, Optional.empty(),
                        Optional.of(now.plusSeconds(60)), none), "cooling down after its last failover until"),
                new HoldCase("cooldown over", new DueDrills.ClusterFacts(false, Optional.empty(), Optional.of(now),
                        none), null),
                new HoldCase("a drill running", new DueDrills.ClusterFacts(false, Optional.empty(), Optional.empty(),
                        Optional.of("weekly")), "drill weekly of this cluster is still running"),
                new HoldCase("maintenance first of all", new DueDrills.ClusterFacts(true, Optional.of("by bob"),
                        Optional.of(now.plusSeconds(60)), Optional.of("weekly")), "in maintenance"),
                new HoldCase("failing over before the cooldown", new DueDrills.ClusterFacts(true, Optional.empty(),
                        Optional.of(now.plusSeconds(60)), none), "failing over"));
        for (var c : cases) {
            var hold = DueDrills.hold(c.facts(), now);
            if (c.holdContains() == null) {
                assertThat(hold).as(c.name()).isEmpty();
            } else {
                assertThat(hold).as(c.name()).hasValueSatisfying(h -> assertThat(h).contains(c.holdContains()));
            }
        }
    }

    /** One row of the schedule table: when the drill was last handled, now, and the decisions expected. */
    record DueCase(String name, String cron, Instant lastHandled, Instant now, String held, List<String> expected) {
    }

    @Test
    void dueDecisionsForEveryMinuteDrills() {
        var t = Instant.parse("2026-11-28T14:00:00Z");
        var grace = Duration.ofMinutes(2);
        var cases = List.of(
                new DueCase("never handled, its minute just passed", "* * * * *", null, t.plusSeconds(20), null,
                        List.of("run 14:00")),
                new DueCase("handled at its time: nothing until the next", "* * * * *", t.plusSeconds(1),
                        t.plusSeconds(50), null, List.of()),
                new DueCase("the next minute", "* * * * *", t.plusSeconds(1), t.plusSeconds(61), null,
                        List.of("run 14:01")),
                new DueCase("down for 3 minutes: the older ones missed, the latest run", "* * * * *", t.plusSeconds(1),
                        t.plusSeconds(4 * 60 + 5), null, List.of("missed 14:01", "missed 14:02", "missed 14:03",
                                "run 14:04")),
                new DueCase("down for 10 minutes, every 5: the latest is past grace too", "*/5 * * * *",
                        t.plusSeconds(1), t.plusSeconds(9 * 60), null, List.of("missed 14:05")),
                new DueCase("in maintenance at its time: missed, not run later", "* * * * *", null, t.plusSeconds(20),
                        "in maintenance (x)", List.of("missed 14:00")),
                new DueCase("a daily one whose time is 30 s ago", "0 14 * * *", null, t.plusSeconds(30), null,
                        List.of("run 14:00")),
                new DueCase("a daily one whose time is 10 min ago, never handled", "0 14 * * *", null,
                        t.plusSeconds(600), null, List.of()));
        for (var c : cases) {
            var d = drill("d", PAY, c.cron());
            var last = c.lastHandled() == null ? Map.<String, Instant>of() : Map.of("d", c.lastHandled());
            var out = DueDrills.due(List.of(d), last, x -> Optional.ofNullable(c.held()), UTC, c.now(), grace);
            var got = out.stream().map(x -> (x instanceof DueDrills.Due.Run ? "run " : "missed ")
                    + x.scheduledFor().toString().substring(11, 16)).toList();
            assertThat(got).as(c.name()).isEqualTo(c.expected());
        }
    }

    @Test
    void aGameDayOnTheRealClusterIsScheduledOnlyWhereTheDrillAllowsIt() {
        var schedule = Optional.of(new DrillSchedule("0 2 * * SUN", DrillSchedule.Flavour.UNIX));
        var byHand = new DrillSpec("game-day", PAY, schedule, DrillSpec.Environment.CLUSTER,
                DrillSpec.Failure.KILL_PRIMARY, DrillSpec.Workload.defaults(), Optional.empty(), Optional.empty());
        assertThat(byHand.daemonMayRun()).as("environment cluster: not unless said").isFalse();
        assertThat(due(List.of(byHand), Map.of(), Map.of(), SUNDAY_2AM.plusSeconds(5))).isEmpty();
        var allowed = new DrillSpec("game-day", PAY, schedule, DrillSpec.Environment.CLUSTER,
                DrillSpec.Failure.KILL_PRIMARY, DrillSpec.Workload.defaults(), Optional.empty(), Optional.empty(), true);
        assertThat(due(List.of(allowed), Map.of(), Map.of(), SUNDAY_2AM.plusSeconds(5)))
                .containsExactly(new DueDrills.Due.Run(allowed, SUNDAY_2AM));
    }
}
