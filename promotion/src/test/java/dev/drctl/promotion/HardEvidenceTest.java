package dev.drctl.promotion;

import static dev.drctl.promotion.ClusterDecisionTest.describe;
import static dev.drctl.promotion.ClusterDecisionTest.run;
import static dev.drctl.promotion.Observations.cluster;
import static dev.drctl.promotion.Observations.over;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.drctl.topology.FailureKind;

/**
 * Hard evidence before the failure window (safety rule 1, issue 15): failure-threshold refusals of the primary,
 * confirmed by a majority of the replicas, declare it dead before failure-window has passed; a timeout never does, and
 * neither does anything short of the replicas' majority. Every row runs the whole pure pipeline.
 */
class HardEvidenceTest {

    record Case(String name, Observations fixture, Class<? extends ClusterVerdict> verdict, String decision) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case row(String name, Observations fixture, Class<? extends ClusterVerdict> verdict, String decision) {
        return new Case(name, fixture, verdict, decision);
    }

    /** The fast policy of docs/BENCHMARKS.md: 250 ms probes, 2 failures over 500 ms. */
    static Observations fast() {
        return cluster("payments").interval(ofMillis(250)).threshold(2, ofMillis(500));
    }

    static Stream<Case> fires() {
        return Stream.of(
                row("fast: refused twice in 30 ms, both replicas lost it",
                        fast().primary("pg1").failing(2, over(ofMillis(30)))
                                .replica("pg2").notStreaming().replica("pg3").noStream(),
                        ClusterVerdict.PrimaryDead.class, "Promote pg2"),
                row("default: three refusals over 1.1 s, both replicas lost it",
                        cluster("payments").primary("pg1").failing(3, over(ofMillis(1100)))
                                .replica("pg2").notStreaming().replica("pg3").notStreaming(),
                        ClusterVerdict.PrimaryDead.class, "Promote pg2"),
                row("fast: two of three replicas lost it, the third unreachable",
                        fast().primary("pg1").failing(2, over(ofMillis(30)))
                                .replica("pg2").notStreaming().replica("pg3").notStreaming()
                                .replica("pg4").unreachable(),
                        ClusterVerdict.PrimaryDead.class, "Promote pg2"),
                row("killed between the probes of one round: the replicas' loss beside the primary's last answer counts",
                        fast().primary("pg1").failing(2, over(ofMillis(30)))
                                .replica("pg2").notStreaming().lostStreamAgo(ofMillis(30))
                                .replica("pg3").notStreaming().lostStreamAgo(ofMillis(30)),
                        ClusterVerdict.PrimaryDead.class, "Promote pg2"));
    }

    static Stream<Case> holds() {
        return Stream.of(
                row("timeouts only, even with every replica's stream down",
                        fast().primary("pg1").failing(2, over(ofMillis(30)), FailureKind.TIMEOUT)
                                .replica("pg2").notStreaming().replica("pg3").notStreaming(),
                        ClusterVerdict.PrimarySuspect.class, "Wait"),
                row("a refusal then a timeout (a session cut, then a black hole: the blip)",
                        fast().primary("pg1").failing(ofMillis(30), FailureKind.REFUSED, FailureKind.TIMEOUT)
                                .replica("pg2").notStreaming().replica("pg3").notStreaming(),
                        ClusterVerdict.PrimarySuspect.class, "Wait"),
                row("unexplained errors (OTHER) only",
                        fast().primary("pg1").failing(2, over(ofMillis(30)), FailureKind.OTHER)
                                .replica("pg2").notStreaming().replica("pg3").notStreaming(),
                        ClusterVerdict.PrimarySuspect.class, "Wait"),
                row("one refusal is below failure-threshold",
                        fast().primary("pg1").failing(1, over(ofMillis(30)))
                                .replica("pg2").notStreaming().replica("pg3").notStreaming(),
                        ClusterVerdict.PrimarySuspect.class, "Wait"),
                row("default: two refusals are below its threshold of 3",
                        cluster("payments").primary("pg1").failing(2, over(ofMillis(30)))
                                .replica("pg2").notStreaming().replica("pg3").notStreaming(),
                        ClusterVerdict.PrimarySuspect.class, "Wait"),
                row("one replica of three confirms, two are unreachable",
                        fast().primary("pg1").failing(2, over(ofMillis(30)))
                                .replica("pg2").notStreaming().replica("pg3").unreachable()
                                .replica("pg4").unreachable(FailureKind.REFUSED),
                        ClusterVerdict.PrimarySuspect.class, "Wait"),
                row("one replica of three confirms, two still stream",
                        fast().primary("pg1").failing(2, over(ofMillis(30)))
                                .replica("pg2").notStreaming().replica("pg3").replica("pg4"),
                        ClusterVerdict.PrimarySuspect.class, "Wait"),
                row("partition of drctl alone: refused, but every replica still streams from it",
                        fast().primary("pg1").failing(2, over(ofMillis(30)))
                                .replica("pg2").replica("pg3"),
                        ClusterVerdict.PrimarySuspect.class, "Wait"),
                row("replicas that had lost their stream before the primary's last answer are no evidence",
                        fast().primary("pg1").failing(2, over(ofMillis(30)))
                                .replica("pg2").notStreaming().lostStreamAgo(ofMillis(200))
                                .replica("pg3").notStreaming().lostStreamAgo(ofMillis(200)),
                        ClusterVerdict.PrimarySuspect.class, "Wait"),
                row("the replicas' latest word is older than the primary's failures",
                        fast().primary("pg1").failing(2, over(ofMillis(30)))
                                .replica("pg2").notStreaming().staleBy(ofMillis(100))
                                .replica("pg3").notStreaming().staleBy(ofMillis(100)),
                        ClusterVerdict.PrimarySuspect.class, "Wait"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fires")
    void refusalsConfirmedByTheReplicasDecideBeforeTheWindow(Case c) {
        var out = run(c.fixture());
        assertThat(out.verdict()).as(out.verdict().summary()).isInstanceOf(c.verdict());
        assertThat(describe(out.decision())).as(out.decision().reason()).isEqualTo(c.decision());
        assertThat(out.verdict().evidence().getFirst().said()).contains("every one refused (nothing listens)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holds")
    void nothingShortOfThatDecidesBeforeTheWindow(Case c) {
        var out = run(c.fixture());
        assertThat(out.verdict()).as(out.verdict().summary()).isInstanceOf(c.verdict());
        // the plain "failing" of before the rule: not UNCONFIRMED (which pages) and not partitioned
        assertThat(((ClusterVerdict.PrimarySuspect) out.verdict()).why()).isEqualTo(ClusterVerdict.Suspicion.FAILING);
        assertThat(describe(out.decision())).as(out.decision().reason()).isEqualTo(c.decision());
    }
}
