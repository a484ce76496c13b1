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
}
