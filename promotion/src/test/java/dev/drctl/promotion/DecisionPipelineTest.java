package dev.drctl.promotion;

import static dev.drctl.promotion.Observations.cluster;
import static dev.drctl.promotion.Observations.over;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.ReplicationStream;
import dev.drctl.topology.Role;

/**
 * The one decision path as a table: the same observations, different requests (the daemon, a person's failover with
 * its options, a switchover, a look). These rows replace the checks the runbooks used to make themselves.
 */
class DecisionPipelineTest {
    static final NodeName PG1 = new NodeName("pg1");
    static final NodeName PG2 = new NodeName("pg2");
    static final NodeName PG3 = new NodeName("pg3");
    static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");

    /**
     * A command's probe burst: {@code rounds} rounds one second apart ending now, with nothing seen before (the
     * primary may have died long ago). Each node is {@code down} (every probe refused), a replica that {@code lost}
     * its stream, one still {@code streaming} (from an unreported address, as PostgreSQL says when the sender is
     * gone: assumed the primary), or a writable {@code primary}.
     */
    static final class Burst {
        private final ClusterSpec spec;
        private final LinkedHashMap<NodeName, List<NodeObservation>> byNode = new LinkedHashMap<>();
        private final int rounds = 4;

        Burst(ClusterSpec spec) {
            this.spec = spec;
        }

        static Burst of(String... names) {
            var o = cluster("payments");
            o.primary(names[0]);
            for (int i = 1; i < names.length; i++) {
                o.replica(names[i]);
            }
            return new Burst(o.spec());
        }

        static Burst of(Observations o) {
            return new Burst(o.spec());
        }

        private Instant at(int round) {
            return NOW.minusSeconds(rounds - 1 - round);
        }

        Burst down(String node) {
            return each(node, r -> new ProbeOutcome.Failed(FailureKind.REFUSED, "connection refused"));
        }

        Burst lost(String node, String lsn) {
            return lost(node, lsn, Optional.empty());
        }

        Burst lost(String node, String lsn, Optional<Instant> lastContact) {
            return each(node, r -> replica(lsn, new ReplicationStream(false, true, Optional.empty(), Optional.empty(),
                    Optional.empty(), lastContact)));
        }

        Burst streaming(String node, String lsn) {
            return each(node, r -> replica(lsn, new ReplicationStream(true, true, Optional.empty(), Optional.empty(),
                    Optional.empty())));
        }

        Burst primary(String node, String lsn) {
            return each(node, r -> new ProbeOutcome.Reached(Role.PRIMARY, true, Optional.of(pos(lsn)),
                    Optional.of(pos(lsn)), Lag.none(), Optional.empty(), "16.4"));
        }

        private static DataPosition pos(String lsn) {
            return DataPosition.PgLsn.parse(1, lsn);
        }

        private static ProbeOutcome replica(String lsn, ReplicationStream s) {
            return new ProbeOutcome.Reached(Role.REPLICA, false, Optional.of(pos(lsn)), Optional.of(pos(lsn)),
                    new Lag(Optional.of(0L), Optional.of(Duration.ZERO)), Optional.of(s), "16.4");
        }

        private Burst each(String node, java.util.function.IntFunction<ProbeOutcome> outcome) {
            var list = new ArrayList<NodeObservation>();
            for (int r = 0; r < rounds; r++) {
                list.add(new NodeObservation(new NodeName(node), at(r), Duration.ofMillis(3), outcome.apply(r)));
            }
            byNode.put(new NodeName(node), list);
            return this;
        }

        ClusterHistory history() {
            return new ClusterHistory(spec, byNode);
        }
    }

    static ClusterMemory remembers(String primary) {
        return new ClusterMemory(Optional.of(new NodeName(primary)), Optional.empty(), Optional.empty(),
                Optional.empty(), 1, Optional.empty());
    }

    static Request.ManualFailover failover() {
        return Request.ManualFailover.plain();
    }

    static Request.ManualFailover failover(String to, boolean accept, String formerPrimary) {
        return new Request.ManualFailover(Optional.ofNullable(to).map(NodeName::new), accept,
                Optional.ofNullable(formerPrimary).map(NodeName::new));
    }

    record Case(String name, ClusterHistory history, ClusterMemory memory, Request request, Instant now,
                String decision, Consumer<Assessment> also) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case row(String name, ClusterHistory history, ClusterMemory memory, Request request, String decision) {
        return new Case(name, history, memory, request, NOW, decision, a -> { });
    }

    static Case row(String name, Observations o, Request request, String decision) {
        return new Case(name, o.history(), o.memory(), request, o.now(), decision, a -> { });
    }

    static Case row(String name, Observations o, Request request, String decision, Consumer<Assessment> also) {
        return new Case(name, o.history(), o.memory(), request, o.now(), decision, also);
    }

    static Case row(String name, ClusterHistory history, ClusterMemory memory, Request request, String decision,
                    Consumer<Assessment> also) {
        return new Case(name, history, memory, request, NOW, decision, also);
    }

    /** "Promote pg2", "Promote pg2 (loss accepted, death asserted)", "Refuse UNCONFIRMED", "Wait". */
    static String describe(FailoverDecision d) {
        return switch (d) {
            case FailoverDecision.Wait w -> "Wait";
            case FailoverDecision.Refuse r -> "Refuse " + r.refusal();
            case FailoverDecision.Promote p -> {
                var notes = new ArrayList<String>();
                if (p.lossAccepted()) {
                    notes.add("loss accepted");
                }
                if (p.deathAsserted()) {
                    notes.add("death asserted");
                }
                yield "Promote " + p.candidate() + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")");
            }
        };
    }

    static Observations deadWithMajority() {
        return cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                .replica("pg2").notStreaming().replica("pg3").notStreaming();
    }

    static Observations oneOfTwoConfirms() {
        return cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                .replica("pg2").notStreaming().replica("pg3").unreachable();
    }

    static Stream<Case> cases() {
        var killedBurst = Burst.of("pg1", "pg2", "pg3").down("pg1").lost("pg2", "0/3000000").lost("pg3", "0/3000000")
                .history();
        var dcLoss = Burst.of("pg1", "pg2", "pg3").down("pg1").down("pg2").lost("pg3", "0/3000000").history();
        return Stream.of(
                // Majority rule
                row("manual: a majority of the replicas confirm", deadWithMajority(), failover(), "Promote pg2"),
                row("manual: one of two confirming is no majority (an unreachable replica is no evidence)",
                        oneOfTwoConfirms(), failover(), "Refuse UNCONFIRMED"),
                row("manual: the operator asserts the death the replicas cannot confirm",
                        oneOfTwoConfirms(), failover(null, false, "pg1"), "Promote pg2 (death asserted)"),
                row("manual: asserting another node than the one that failed promotes nothing",
                        oneOfTwoConfirms(), failover(null, false, "pg3"), "Refuse UNCONFIRMED"),
                row("automatic: the daemon can assert nothing", oneOfTwoConfirms(), new Request.Automatic(), "Wait"),
                // Partition
                row("manual: a replica still streaming means drctl is partitioned",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)), FailureKind.TIMEOUT)
                                .replica("pg2").notStreaming().replica("pg3"),
                        failover(), "Refuse DRCTL_PARTITIONED"),
                row("manual: no assertion overrides a replica streaming from the primary",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)), FailureKind.TIMEOUT)
                                .replica("pg2").notStreaming().replica("pg3"),
                        failover("pg2", true, "pg1"), "Refuse DRCTL_PARTITIONED"),
                row("burst: drctl cut from the primary while replicas stream",
                        Burst.of("pg1", "pg2", "pg3").down("pg1").streaming("pg2", "0/3000000")
                                .streaming("pg3", "0/3000000").history(),
                        remembers("pg1"), failover(), "Refuse DRCTL_PARTITIONED"),
                // Alive, blind
                row("manual: a writable primary is alive", cluster("payments").primary("pg1").replica("pg2"), failover(),
                        "Refuse PRIMARY_ALIVE"),
                row("manual: drctl reaching no node refuses as drctl's fault",
                        Burst.of("pg1", "pg2").down("pg1").down("pg2").history(), remembers("pg1"), failover(),
                        "Refuse DRCTL_BLIND"),
                // Data loss known or refused
                row("burst after a kill: the primary by elimination, its last position unknown: refused",
                        killedBurst, ClusterMemory.none(), failover(), "Refuse DATA_LOSS_UNKNOWN"),
                row("burst after a kill: unknown loss accepted", killedBurst, ClusterMemory.none(),
                        failover(null, true, null), "Promote pg2 (loss accepted)",
                        a -> assertThat(((FailoverDecision.Promote) a.decision()).loss()).isInstanceOf(DataLoss.Unknown.class)),
                row("manual: over max-lag refused", cluster("payments").primary("pg1").at("0/5000000")
                                .failing(3, over(ofSeconds(3))).replica("pg2").at("0/3000000").notStreaming(),
                        failover(), "Refuse RPO_GUARD"),
                row("manual: over max-lag accepted", cluster("payments").primary("pg1").at("0/5000000")
                                .failing(3, over(ofSeconds(3))).replica("pg2").at("0/3000000").notStreaming(),
                        failover(null, true, null), "Promote pg2 (loss accepted)"),
                // The ranker's estimate for the --to node decides, as for the best: bounded and within max-lag.
                row("manual: --to a replica behind the best promotes it with its loss stated", cluster("payments")
                                .primary("pg1").at("0/3000000").failing(3, over(ofSeconds(3)))
                                .replica("pg2").at("0/3000000").notStreaming()
                                .replica("pg3").at("0/2FFFF00").notStreaming(),
                        failover("pg3", false, null), "Promote pg3",
                        a -> assertThat(((FailoverDecision.Promote) a.decision()).loss().bytes()).contains(256L)),
                row("manual: --to a replica behind the best by more than max-lag is a loss to accept",
                        cluster("payments").primary("pg1").at("0/5000000").failing(3, over(ofSeconds(3)))
                                .replica("pg2").at("0/5000000").notStreaming()
                                .replica("pg3").at("0/3000000").notStreaming(),
                        failover("pg3", false, null), "Refuse RPO_GUARD"),
                row("automatic: unknown lag is never accepted", cluster("payments").primary("pg1")
                                .failing(3, over(ofSeconds(3))).replica("pg2").lagUnknown().notStreaming(),
                        new Request.Automatic(), "Refuse DATA_LOSS_UNKNOWN"),
                // Cooldown only for the daemon
                row("automatic: inside the cooldown", deadWithMajority().failedOverAgo(ofMinutes(4)),
                        new Request.Automatic(), "Refuse COOLDOWN"),
                row("manual: the cooldown binds only the daemon", deadWithMajority().failedOverAgo(ofMinutes(4)),
                        failover(), "Promote pg2"),
                row("automatic: mode manual", deadWithMajority().mode(dev.drctl.topology.FailoverMode.MANUAL),
                        new Request.Automatic(), "Refuse MODE_MANUAL"),
                row("manual: mode manual is a person acting", deadWithMajority().mode(dev.drctl.topology.FailoverMode.MANUAL),
                        failover(), "Promote pg2"),
                // --to
                row("manual: --to a no-failover node", cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").notStreaming().replica("pg3").noFailover().notStreaming(),
                        failover("pg3", false, null), "Refuse TARGET_NOT_ELIGIBLE"),
                row("manual: --to the failed primary", deadWithMajority(), failover("pg1", false, null),
                        "Refuse TARGET_NOT_ELIGIBLE"),
                row("manual: --to an unreachable replica", cluster("payments").primary("pg1")
                                .failing(3, over(ofSeconds(3))).replica("pg2").notStreaming().replica("pg3")
                                .notStreaming().replica("pg4").unreachable(),
                        failover("pg4", false, null), "Refuse TARGET_NOT_ELIGIBLE"),
                row("manual: --to the second best within max-lag", cluster("payments")
                                .primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").priority(100).notStreaming().replica("pg3").notStreaming(),
                        failover("pg3", false, null), "Promote pg3"),
                // DC loss
                row("DC loss, nothing remembered: cannot tell the primary", dcLoss, ClusterMemory.none(),
                        failover("pg3", false, null), "Refuse NO_PRIMARY",
                        a -> assertThat(((FailoverDecision.Refuse) a.decision()).next()).hasValueSatisfying(
                                n -> assertThat(n).contains("--former-primary"))),
                row("DC loss, the store remembers pg1: no majority", dcLoss, remembers("pg1"),
                        failover("pg3", false, null), "Refuse UNCONFIRMED",
                        a -> assertThat(((FailoverDecision.Refuse) a.decision()).next())
                                .contains("drctl failover payments --to NODE --former-primary pg1")),
                row("DC loss, asserted by the operator (loss still to accept)", dcLoss, ClusterMemory.none(),
                        failover("pg3", false, "pg1"), "Refuse DATA_LOSS_UNKNOWN"),
                row("DC loss, asserted and accepted", dcLoss, ClusterMemory.none(),
                        failover("pg3", true, "pg1"), "Promote pg3 (loss accepted, death asserted)"),
                row("DC loss, the assertion names a replica the store does not know as primary", dcLoss,
                        remembers("pg1"), failover("pg3", true, "pg2"), "Refuse ASSERTION_CONTRADICTED"),
                // Switchover
                row("switchover: healthy cluster, best replica", cluster("payments").primary("pg1").replica("pg2")
                        .replica("pg3").priority(100), new Request.Switchover(Optional.empty()), "Promote pg3"),
                row("switchover: --to the primary", cluster("payments").primary("pg1").replica("pg2"),
                        new Request.Switchover(Optional.of(PG1)), "Refuse TARGET_NOT_ELIGIBLE"),
                row("switchover: candidate lagging", cluster("payments").primary("pg1").replica("pg2")
                        .lag(ofSeconds(30)), new Request.Switchover(Optional.empty()), "Refuse RPO_GUARD"),
                row("switchover: candidate not streaming", cluster("payments").primary("pg1").replica("pg2")
                        .notStreaming(), new Request.Switchover(Optional.empty()), "Refuse CANDIDATE_NOT_STREAMING"),
                row("switchover: candidate with replay paused", cluster("payments").primary("pg1").replica("pg2")
                        .replayPaused(), new Request.Switchover(Optional.empty()), "Refuse CANDIDATE_NOT_STREAMING"),
                row("switchover: the primary is down", deadWithMajority(), new Request.Switchover(Optional.empty()),
                        "Refuse NO_PRIMARY"),
                row("switchover: split brain", cluster("payments").primary("pg1").primary("pg2").replica("pg3"),
                        new Request.Switchover(Optional.empty()), "Refuse SPLIT_BRAIN"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(Case c) {
        var a = DecisionPipeline.assess(c.history(), c.memory(), c.request(), c.now());
        assertThat(describe(a.decision())).as(a.decision().reason()).isEqualTo(c.decision());
        c.also().accept(a);
        if (a.decision() instanceof FailoverDecision.Refuse r) {
            assertThat(r.next()).as("a refusal names what a person may do: " + r.reason()).isPresent();
        }
    }

    /** What {@code drctl candidates} shows is what {@code drctl failover} would do: the same decision, every row. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lookDecidesExactlyAsAPlainFailover(Case c) {
        var look = DecisionPipeline.assess(c.history(), c.memory(), new Request.Look(), c.now());
        var failover = DecisionPipeline.assess(c.history(), c.memory(), Request.ManualFailover.plain(), c.now());
        assertThat(look.decision()).isEqualTo(failover.decision());
        assertThat(look.verdict()).isEqualTo(failover.verdict());
    }

    @Test
    void refusalsSayWhatAPersonMayDo() {
        var partitioned = DecisionPipeline.assess(Burst.of("pg1", "pg2").down("pg1").streaming("pg2", "0/3000000")
                .history(), remembers("pg1"), failover(), NOW).decision();
        assertThat(partitioned.reason()).contains("drctl is partitioned from pg1").contains("pg2 still streams");
        var unknown = DecisionPipeline.assess(Burst.of("pg1", "pg2").down("pg1").lost("pg2", "0/3000000").history(),
                ClusterMemory.none(), failover(), NOW).decision();
        assertThat(unknown.reason()).contains("data loss unknown")
                .contains("drctl failover payments --accept-data-loss promotes it anyway and is journaled as accepted"
                        + " data loss");
        var blind = DecisionPipeline.assess(Burst.of("pg1", "pg2").down("pg1").down("pg2").history(),
                ClusterMemory.none(), failover(), NOW).decision();
        assertThat(blind.reason()).contains("every node is unreachable").contains("check drctl's network path")
                .doesNotContain("cannot tell which node was the primary");
    }

    @Test
    void outageStartsAtTheEarliestKnownMoment() {
        var contact = NOW.minus(ofMinutes(20));
        var burst = Burst.of("pg1", "pg2").down("pg1").lost("pg2", "0/3000000", Optional.of(contact)).history();
        var fromReplicas = DecisionPipeline.assess(burst, remembers("pg1"), failover(null, true, null), NOW);
        assertThat(fromReplicas.outage()).contains(new OutageStart(contact, OutageStart.Basis.REPLICA_LAST_CONTACT));

        var stored = NOW.minus(ofMinutes(25));
        var memory = new ClusterMemory(Optional.of(PG1), Optional.empty(), Optional.empty(), Optional.of(stored), 1,
                Optional.empty());
        var fromStore = DecisionPipeline.assess(burst, memory, failover(null, true, null), NOW);
        assertThat(fromStore.outage()).contains(new OutageStart(stored, OutageStart.Basis.STORE_FIRST_FAILURE));

        var bare = Burst.of("pg1", "pg2").down("pg1").lost("pg2", "0/3000000").history();
        var fromProbe = DecisionPipeline.assess(bare, remembers("pg1"), failover(null, true, null), NOW);
        assertThat(fromProbe.outage()).contains(new OutageStart(NOW.minusSeconds(3),
                OutageStart.Basis.FIRST_FAILED_PROBE));

        var refused = DecisionPipeline.assess(bare, remembers("pg1"), failover(), NOW);
        assertThat(refused.outage()).as("no promotion, no outage to time").isEmpty();
    }

    @Test
    void theStoresRememberedPositionBoundsTheLossForTheCommandAndTheDaemonAlike() {
        var killed = Burst.of("pg1", "pg2", "pg3").down("pg1").lost("pg2", "0/3000000").lost("pg3", "0/3000000")
                .history();
        // Recorded a second before the burst's first failed round: a daemon or a status look just before the kill.
        var memory = new ClusterMemory(Optional.of(PG1), Optional.of(DataPosition.PgLsn.parse(1, "0/3000000")),
                Optional.of(NOW.minusSeconds(4)), Optional.of(NOW.minusSeconds(3)), 1, Optional.empty());
        var manual = DecisionPipeline.assess(killed, memory, Request.ManualFailover.plain(), NOW);
        assertThat(manual.decision()).isInstanceOfSatisfying(FailoverDecision.Promote.class, p -> {
            assertThat(p.loss()).isInstanceOf(DataLoss.None.class);
            assertThat(p.lossAccepted()).isFalse();
        });
        var unknown = DecisionPipeline.assess(killed, ClusterMemory.none(), Request.ManualFailover.plain(), NOW);
        assertThat(unknown.decision()).isInstanceOfSatisfying(FailoverDecision.Refuse.class,
                r -> assertThat(r.refusal()).isEqualTo(Refusal.DATA_LOSS_UNKNOWN));
        // The daemon's path takes the same memory, and without it refuses the same way.
        assertThat(new Detector(List.of()).accept(killed, memory, NOW).decision())
                .isInstanceOf(FailoverDecision.Promote.class);
        assertThat(new Detector(List.of()).accept(killed, NOW).decision()).isInstanceOfSatisfying(
                FailoverDecision.Refuse.class, r -> assertThat(r.refusal()).isEqualTo(Refusal.DATA_LOSS_UNKNOWN));
    }

    @Test
    void theAssertionAndTheAcceptanceAreInTheDecision() {
        var dcLoss = Burst.of("pg1", "pg2", "pg3").down("pg1").down("pg2").lost("pg3", "0/3000000").history();
        var a = DecisionPipeline.assess(dcLoss, ClusterMemory.none(), failover("pg3", true, "pg1"), NOW);
        var p = (FailoverDecision.Promote) a.decision();
        assertThat(p.candidate()).isEqualTo(PG3);
        assertThat(p.fenced()).isEqualTo(PG1);
        assertThat(p.deathAsserted()).isTrue();
        assertThat(p.lossAccepted()).isTrue();
        assertThat(p.loss()).isInstanceOf(DataLoss.Unknown.class);
        assertThat(p.acceptedBlock()).hasValueSatisfying(b -> assertThat(b).contains("data loss unknown"));
        assertThat(p.reason()).contains("the operator asserts pg1 is dead (--former-primary)")
                .contains("accepted with --accept-data-loss");
        assertThat(PG2).isNotEqualTo(p.candidate());
    }
}
