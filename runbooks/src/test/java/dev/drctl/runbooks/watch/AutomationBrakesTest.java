package dev.drctl.runbooks.watch;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.AutomationTable.AutomaticFailover;
import dev.drctl.compliance.Maintenance;
import dev.drctl.topology.ClusterName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The brakes' pure decision as a table: facts, policy and now in, the holds (in precedence order) out. */
class AutomationBrakesTest {
    static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
    static final ClusterName PAYMENTS = new ClusterName("payments");
    static final ClusterName LEDGER = new ClusterName("ledger");
    static final BreakerPolicy ONE_PER_10M = BreakerPolicy.defaults();
    static final BreakerPolicy TWO_PER_10M = new BreakerPolicy(2, ofMinutes(10));
    static final Duration COOLDOWN = ofMinutes(10);
    static final Maintenance KERNEL = new Maintenance(PAYMENTS, "kernel upgrade", Actor.user("alice"), T.minus(ofMinutes(30)));

    record Case(String name, Optional<Maintenance> maintenance, Optional<Instant> cooldownStart,
                List<Instant> failovers, BreakerPolicy policy, List<AutomationHold> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case row(String name, Optional<Maintenance> m, Optional<Instant> cooldownStart, List<Instant> failovers,
                    BreakerPolicy policy, AutomationHold... expected) {
        return new Case(name, m, cooldownStart, failovers, policy, List.of(expected));
    }

    static Instant ago(Duration d) {
        return T.minus(d);
    }

    static final AutomationHold.Maintenance IN_MAINTENANCE = new AutomationHold.Maintenance(PAYMENTS,
            "kernel upgrade", "user:alice", T.minus(ofMinutes(30)));

    static Stream<Case> cases() {
        var none = Optional.<Maintenance>empty();
        var noCooldown = Optional.<Instant>empty();
        return Stream.of(
                row("nothing holds automation", none, noCooldown, List.of(), ONE_PER_10M),
                row("maintenance", Optional.of(KERNEL), noCooldown, List.of(), ONE_PER_10M, IN_MAINTENANCE),
                row("cooling down 2 minutes after a failover", none, Optional.of(ago(ofMinutes(2))), List.of(),
                        ONE_PER_10M, new AutomationHold.CoolingDown(PAYMENTS, ago(ofMinutes(2)), T.plus(ofMinutes(8)))),
                row("cooldown 1 ms before its end", none, Optional.of(ago(COOLDOWN).plus(ofMillis(1))), List.of(),
                        ONE_PER_10M, new AutomationHold.CoolingDown(PAYMENTS, ago(COOLDOWN).plus(ofMillis(1)),
                                T.plus(ofMillis(1)))),
                row("cooldown ends exactly now", none, Optional.of(ago(COOLDOWN)), List.of(), ONE_PER_10M),
                row("acknowledged: the store gives no cooldown start", none, noCooldown, List.of(), ONE_PER_10M),
                row("breaker: another cluster failed over 5 minutes ago", none, noCooldown, List.of(ago(ofMinutes(5))),
                        ONE_PER_10M, new AutomationHold.BreakerOpen(1, ofMinutes(10), T.plus(ofMinutes(5)))),
                row("breaker: the failover left the window exactly now", none, noCooldown, List.of(ago(ofMinutes(10))),
                        ONE_PER_10M),
                row("breaker: 1 ms before it leaves the window", none, noCooldown,
                        List.of(ago(ofMinutes(10)).plus(ofMillis(1))), ONE_PER_10M,
                        new AutomationHold.BreakerOpen(1, ofMinutes(10), T.plus(ofMillis(1)))),
                row("breaker of 2: one failover leaves room", none, noCooldown, List.of(ago(ofMinutes(1))), TWO_PER_10M),
                row("breaker of 2: two failovers, open until the oldest leaves", none, noCooldown,
                        List.of(ago(ofMinutes(1)), ago(ofMinutes(9))), TWO_PER_10M,
                        new AutomationHold.BreakerOpen(2, ofMinutes(10), T.plus(ofMinutes(1)))),
                row("breaker of 2: three failovers, open until two have left", none, noCooldown,
                        List.of(ago(ofMinutes(9)), ago(ofMinutes(5)), ago(ofMinutes(1))), TWO_PER_10M,
                        new AutomationHold.BreakerOpen(3, ofMinutes(10), T.plus(ofMinutes(5)))),
                row("breaker: failovers older than the window do not count", none, noCooldown,
                        List.of(ago(ofMinutes(11)), ago(ofMinutes(30))), ONE_PER_10M),
                row("breaker: a start after now (a skewed clock) counts", none, noCooldown,
                        List.of(T.plusSeconds(5)), ONE_PER_10M,
                        new AutomationHold.BreakerOpen(1, ofMinutes(10), T.plusSeconds(5).plus(ofMinutes(10)))),
                row("all three: maintenance, then the cooldown, then the breaker", Optional.of(KERNEL),
                        Optional.of(ago(ofMinutes(3))), List.of(ago(ofMinutes(3))), ONE_PER_10M, IN_MAINTENANCE,
                        new AutomationHold.CoolingDown(PAYMENTS, ago(ofMinutes(3)), T.plus(ofMinutes(7))),
                        new AutomationHold.BreakerOpen(1, ofMinutes(10), T.plus(ofMinutes(7)))),
                row("cooldown and breaker: the cluster's own state first", none, Optional.of(ago(ofMinutes(3))),
                        List.of(ago(ofMinutes(1))), ONE_PER_10M,
                        new AutomationHold.CoolingDown(PAYMENTS, ago(ofMinutes(3)), T.plus(ofMinutes(7))),
                        new AutomationHold.BreakerOpen(1, ofMinutes(10), T.plus(ofMinutes(9)))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void holds(Case c) {
        var facts = new AutomationBrakes.Facts(PAYMENTS, c.maintenance(), c.cooldownStart(), COOLDOWN, c.failovers());
        assertThat(AutomationBrakes.holds(facts, c.policy(), T)).isEqualTo(c.expected());
    }

    @Test
    void theBreakerCountsActedRunsAndAdmissionsNoRunAnsweredYet() {
        var runs = List.of(new AutomaticFailover("r1", PAYMENTS, ago(ofMinutes(4)), true),
                new AutomaticFailover("r2", LEDGER, ago(ofMinutes(2)), false));
        var admissions = List.of(
                // answered by r1 (started at or after it): counted once, as the run
                new AutomationBrakes.Admission(PAYMENTS, ago(ofMinutes(4)).minusMillis(5)),
                // answered by r2, refused before it acted: counts for nothing
                new AutomationBrakes.Admission(LEDGER, ago(ofMinutes(2)).minusMillis(5)),
                // admitted a moment ago, its run not in the store yet: counted
                new AutomationBrakes.Admission(LEDGER, ago(ofMillis(10))));
        assertThat(AutomationBrakes.counted(runs, admissions))
                .containsExactlyInAnyOrder(ago(ofMinutes(4)), ago(ofMillis(10)));
    }

    @Test
    void eachHoldSaysWhatHoldsItAndWhatEndsIt() {
        assertThat(IN_MAINTENANCE.sentence()).isEqualTo("in maintenance since 2026-11-28T09:30:00Z by user:alice "
                + "(kernel upgrade): nothing is automated until `drctl maintenance off payments` ends it");
        assertThat(new AutomationHold.CoolingDown(PAYMENTS, ago(ofMinutes(2)), T.plus(ofMinutes(8))).sentence())
                .isEqualTo("cooling down after the failover at 2026-11-28T09:58:00Z until 2026-11-28T10:08:00Z: "
                        + "no automatic failover before then unless `drctl ack payments` clears it");
        assertThat(new AutomationHold.BreakerOpen(1, ofMinutes(10), T.plus(ofMinutes(5))).sentence()).isEqualTo(
                "circuit breaker open: 1 automatic failover across all clusters within 10m (automation.max-failovers); "
                        + "automation only pages until 2026-11-28T10:05:00Z");
    }

    @Test
    void theBreakerStateSaysHowManyAndUntilWhen() {
        var closed = AutomationBrakes.breaker(List.of(), ONE_PER_10M, T);
        assertThat(closed.open()).isFalse();
        assertThat(closed.failovers()).isZero();
        var open = AutomationBrakes.breaker(List.of(ago(ofMinutes(3))), ONE_PER_10M, T);
        assertThat(open.open()).isTrue();
        assertThat(open.openUntil()).contains(T.plus(ofMinutes(7)));
    }
}
