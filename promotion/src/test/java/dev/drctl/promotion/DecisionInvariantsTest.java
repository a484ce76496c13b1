package dev.drctl.promotion;

import static dev.drctl.promotion.Observations.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.Comparison;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;

/**
 * Property-style invariants over generated clusters (plain loops, fixed seed, so a failure reproduces):
 * whatever the cluster looks like, these never happen.
 */
class DecisionInvariantsTest {
    private static final int CASES = 3000;
    private static final String[] REGIONS = {"ap-south-1", "ap-south-2", "eu-west-1"};
    /**
     * Four kinds each, every kind covered by one of them: the generator draws the same random sequence as when there
     * were four kinds, so the share of cases reaching the promotion branch stays what the threshold below expects.
     */
    private static final FailureKind[] KINDS = {FailureKind.REFUSED, FailureKind.TIMEOUT, FailureKind.AUTH,
            FailureKind.OTHER};
    private static final FailureKind[] FAILING_KINDS = {FailureKind.REFUSED, FailureKind.TIMEOUT, FailureKind.BUSY,
            FailureKind.OTHER};

    static Observations generate(Random rnd) {
        var f = cluster("gen");
        if (rnd.nextBoolean()) {
            f.allowedRegions("ap-south-1", "ap-south-2");
        }
        if (rnd.nextBoolean()) {
            f.preferRegions(REGIONS[rnd.nextInt(REGIONS.length)]);
        }
        f.primary("p1").at("0/" + Integer.toHexString(0x3000000 + rnd.nextInt(0x2000000)));
        switch (rnd.nextInt(4)) {
            case 0 -> { }
            case 1 -> f.failing(1 + rnd.nextInt(5), Duration.ofMillis(500 + rnd.nextInt(5000)), FAILING_KINDS[rnd.nextInt(FAILING_KINDS.length)]);
            case 2 -> f.failing(3 + rnd.nextInt(3), Duration.ofSeconds(3 + rnd.nextInt(4)));
            default -> f.readOnly();
        }
        if (rnd.nextInt(10) == 0) {
            f.primary("p2");
        }
        int replicas = rnd.nextInt(5);
        for (int i = 0; i < replicas; i++) {
            f.replica("r" + i).region(REGIONS[rnd.nextInt(REGIONS.length)]).priority(rnd.nextInt(3) * 50)
                    .timeline(rnd.nextInt(8) == 0 ? 2 : 1)
                    .at("0/" + Integer.toHexString(0x2000000 + rnd.nextInt(0x3000000)));
            if (rnd.nextInt(4) == 0) f.noFailover();
            if (rnd.nextInt(5) == 0) f.lagUnknown();
            if (rnd.nextInt(5) == 0) f.lag(Duration.ofSeconds(rnd.nextInt(30)));
            if (rnd.nextInt(8) == 0) f.positionUnknown();
            switch (rnd.nextInt(6)) {
                case 0 -> f.unreachable(KINDS[rnd.nextInt(KINDS.length)]);
                case 1, 2 -> f.notStreaming();
                case 3 -> f.noStream();
                default -> { }
            }
            if (rnd.nextInt(10) == 0) f.staleBy(Duration.ofSeconds(5));
        }
        if (rnd.nextInt(5) == 0) {
            f.failedOverAgo(Duration.ofMinutes(rnd.nextInt(20)));
        }
        return f;
    }

    @Test
    void invariantsHoldForGeneratedClusters() {
        var rnd = new Random(20260101);
        int promotions = 0;
        int manualPromotions = 0;
        for (int i = 0; i < CASES; i++) {
            var f = generate(rnd);
            var history = f.history();
            var out = ClusterDecisionTest.run(f);
            var ctx = "case " + i + ":\n" + DecisionReport.render(out.verdict(), out.ranking(), out.decision());

            // The chosen (first ranked) candidate is never BEHIND another ranked one.
            out.ranking().best().ifPresent(best -> out.ranking().ranked().forEach(other ->
                    assertThat(best.position().compareWith(other.position())).as(ctx).isNotEqualTo(Comparison.BEHIND)));
            // An unknown loss, or any known missing transaction, always blocks that candidate (rule 3).
            out.ranking().ranked().forEach(c -> {
                if (c.loss() instanceof DataLoss.Unknown
                        || c.loss() instanceof DataLoss.Bounded b && b.amount().unit() == DataPosition.Shortfall.Unit.TRANSACTIONS) {
                    assertThat(c.rpoBlock()).as(ctx).isPresent();
                }
            });
            out.ranking().best().ifPresent(best -> assertThat(out.ranking().rpoBlock()).as(ctx).isEqualTo(best.rpoBlock()));
            // Every node appears exactly once in the ranking.
            if (out.verdict().primaryNode().isPresent()) {
                assertThat(out.ranking().ranked().size() + out.ranking().excluded().size()).as(ctx)
                        .isEqualTo(history.cluster().nodes().size());
            }
            if (out.decision() instanceof FailoverDecision.Promote p) {
                promotions++;
                var spec = history.cluster().node(p.candidate()).orElseThrow();
                // Never promote a no-failover node, or outside allowed-regions.
                assertThat(spec.noFailover()).as(ctx).isFalse();
                assertThat(history.cluster().failover().regionAllowed(spec.region())).as(ctx).isTrue();
                // Never promote while a writable primary answered in the latest round.
                assertThat(writableNow(history)).as(ctx).isFalse();
                // Never promote a node whose latest probe failed, or inside the cooldown.
                assertThat(history.latest(p.candidate()).orElseThrow().reached()).as(ctx).isTrue();
                assertThat(f.cooldown().active(f.now())).as(ctx).isFalse();
                // Never promote without a majority of the replicas confirming the primary's death.
                assertThat(out.verdict()).as(ctx).isInstanceOf(ClusterVerdict.PrimaryDead.class);
                var dead = (ClusterVerdict.PrimaryDead) out.verdict();
                // (the generator makes no cascaded replicas: every other node counts in the majority's base)
                assertThat(dead.replicasAgreeing().size() * 2).as(ctx).isGreaterThan(history.cluster().nodes().size() - 1);
                assertThat(out.ranking().rpoBlock()).as(ctx).isEmpty();
                // What is promoted automatically has a known loss within max-lag.
                assertThat(knownWithinMaxLag(p.loss(), history)).as(ctx).isTrue();
            }
            // What a person's plain `drctl failover` would do: never a second writer, never an unknown loss unasked.
            var manual = DecisionPipeline.assess(history, f.memory(), Request.ManualFailover.plain(), f.now());
            if (manual.decision() instanceof FailoverDecision.Promote p) {
                manualPromotions++;
                var mctx = "manual " + ctx;
                assertThat(writableNow(history)).as(mctx).isFalse();
                assertThat(p.lossAccepted()).as(mctx).isFalse();
                assertThat(p.deathAsserted()).as(mctx).isFalse();
                assertThat(knownWithinMaxLag(p.loss(), history)).as(mctx).isTrue();
                assertThat(manual.verdict()).as(mctx).isInstanceOfAny(ClusterVerdict.PrimaryDead.class,
                        ClusterVerdict.NoPrimary.class);
                assertThat(history.cluster().node(p.candidate()).orElseThrow().noFailover()).as(mctx).isFalse();
            }
            if (manual.verdict() instanceof ClusterVerdict.DrctlPartitioned) {
                assertThat(manual.decision()).as(ctx).isInstanceOfSatisfying(FailoverDecision.Refuse.class,
                        r -> assertThat(r.refusal()).isEqualTo(Refusal.DRCTL_PARTITIONED));
            }
            // A partition of drctl is never a failover.
            if (out.verdict() instanceof ClusterVerdict.DrctlPartitioned) {
                assertThat(out.decision()).as(ctx).isInstanceOf(FailoverDecision.Wait.class);
            }
        }
        // The generator must actually reach the interesting branch, or the invariants prove nothing.
        // (the majority rule makes a confirmed death rarer among random clusters than one lost stream used to).
        assertThat(promotions).isGreaterThan(CASES / 100);
        assertThat(manualPromotions).isGreaterThan(CASES / 100);
    }

    private static boolean knownWithinMaxLag(DataLoss loss, ClusterHistory history) {
        return switch (loss) {
            case DataLoss.None n -> true;
            case DataLoss.Bounded b -> b.amount().unit() == DataPosition.Shortfall.Unit.BYTES
                    && b.amount().amount() <= history.cluster().failover().maxLagBytes().bytes();
            case DataLoss.Unknown u -> false;
        };
    }

    private static boolean writableNow(ClusterHistory history) {
        return history.cluster().nodes().stream().map(n -> history.latest(n.name()))
                .anyMatch(o -> o.isPresent() && o.get().outcome() instanceof ProbeOutcome.Reached r
                        && r.role() == Role.PRIMARY && r.writable());
    }
}
