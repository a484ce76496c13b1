package dev.drctl.promotion;

import static dev.drctl.promotion.Observations.cluster;
import static dev.drctl.promotion.Observations.over;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.drctl.topology.DataSize;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverMode;
import dev.drctl.topology.FailureKind;

/**
 * The safety rules as a table: one row per incident, asserting the verdict, its sentence and the decision
 * (Patroni's sentence oracle). Every row runs the whole pure pipeline: analyze → rank → decide.
 */
class ClusterDecisionTest {

    record Case(String name, Observations fixture, Class<? extends ClusterVerdict> verdict, String summary,
                String decision) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case row(String name, Observations fixture, Class<? extends ClusterVerdict> verdict, String summary,
                    String decision) {
        return new Case(name, fixture, verdict, summary, decision);
    }

    /** "Wait", "Promote pg2", "Refuse RPO_GUARD". */
    static String describe(FailoverDecision d) {
        return switch (d) {
            case FailoverDecision.Wait w -> "Wait";
            case FailoverDecision.Promote p -> "Promote " + p.candidate();
            case FailoverDecision.Refuse r -> "Refuse " + r.refusal();
        };
    }

    record Outcome(ClusterVerdict verdict, ReplicaRanking ranking, FailoverDecision decision) {
    }

    static Outcome run(Observations f) {
        var a = DecisionPipeline.assess(f.history(), f.memory(), new Request.Automatic(), f.now());
        return new Outcome(a.verdict(), a.ranking(), a.decision());
    }

    static Stream<Case> cases() {
        return Stream.of(
                row("healthy cluster",
                        cluster("payments").primary("pg1").replica("pg2").replica("pg3"),
                        ClusterVerdict.Healthy.class,
                        "payments: pg1 is the writable primary and every replica streams from it",
                        "Wait"),
                row("primary dead, all replicas agree",
                        cluster("payments").primary("pg1").at("0/3000000").failing(3, over(ofSeconds(3)))
                                .replica("pg2").at("0/3000000").notStreaming()
                                .replica("pg3").at("0/2FFFF00").notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replicas pg2, pg3 lost"
                                + " their stream from it",
                        "Promote pg2"),
                row("replica whose receiver row is gone counts as stream down",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").noStream(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replica pg2 lost its"
                                + " stream from it",
                        "Promote pg2"),
                row("hung primary (TIMEOUT) counts as failed",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)), FailureKind.TIMEOUT)
                                .replica("pg2").notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replica pg2 lost its"
                                + " stream from it",
                        "Promote pg2"),
                row("drctl partitioned from a live primary",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)), FailureKind.TIMEOUT)
                                .replica("pg2").replica("pg3"),
                        ClusterVerdict.DrctlPartitioned.class,
                        "payments: drctl cannot reach primary pg1 (3 failed probes over 3s) but pg2, pg3 still stream"
                                + " from it: drctl is cut off, the primary is alive; no promotion",
                        "Wait"),
                row("only one of three replicas lost the stream: not dead",
                        cluster("payments").primary("pg1").failing(4, over(ofSeconds(4)))
                                .replica("pg2").notStreaming().replica("pg3").replica("pg4"),
                        ClusterVerdict.DrctlPartitioned.class,
                        "payments: drctl cannot reach primary pg1 (4 failed probes over 4s) but pg3, pg4 still stream"
                                + " from it: drctl is cut off, the primary is alive; no promotion",
                        "Wait"),
                row("one of three replicas lost the stream, primary answers",
                        cluster("payments").primary("pg1").replica("pg2").notStreaming().replica("pg3").replica("pg4"),
                        ClusterVerdict.ReplicaProblems.class,
                        "payments: primary pg1 is writable; replica problems: pg2: stream down (could not receive data"
                                + " from WAL stream)",
                        "Wait"),
                row("replica streaming through a proxy still proves the primary alive",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").streamingVia("127.0.0.1", 16001),
                        ClusterVerdict.DrctlPartitioned.class,
                        "payments: drctl cannot reach primary pg1 (3 failed probes over 3s) but pg2 still streams from"
                                + " it: drctl is cut off, the primary is alive; no promotion",
                        "Wait"),
                row("a brief blip (two failed probes) is no failover",
                        cluster("payments").primary("pg1").failing(2, over(ofSeconds(2)))
                                .replica("pg2").notStreaming(),
                        ClusterVerdict.PrimarySuspect.class,
                        "payments: primary pg1 failed 2 consecutive probes over 2s; suspect, not dead (needs 3 over 3s"
                                + " and the replicas' agreement)",
                        "Wait"),
                // timeouts: only the window confirms them (refusals may confirm earlier: HardEvidenceTest)
                row("three quick failures inside the window are no failover",
                        cluster("payments").threshold(3, ofSeconds(5)).primary("pg1")
                                .failing(3, over(ofSeconds(3)), FailureKind.TIMEOUT)
                                .replica("pg2").notStreaming(),
                        ClusterVerdict.PrimarySuspect.class,
                        "payments: primary pg1 failed 3 consecutive probes over 3s; suspect, not dead (needs 3 over 5s"
                                + " and the replicas' agreement)",
                        "Wait"),
                row("timestamp jitter: three failures spanning 2.95s meet a 3s window",
                        cluster("payments").primary("pg1").failing(3, over(Duration.ofMillis(2950)))
                                .replica("pg2").notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 2.9s and replica pg2 lost its"
                                + " stream from it",
                        "Promote pg2"),
                row("three failures spanning 2.8s do not meet a 3s window",
                        cluster("payments").primary("pg1").failing(3, over(Duration.ofMillis(2800)), FailureKind.TIMEOUT)
                                .replica("pg2").notStreaming(),
                        ClusterVerdict.PrimarySuspect.class,
                        "payments: primary pg1 failed 3 consecutive probes over 2.8s; suspect, not dead (needs 3 over 3s"
                                + " and the replicas' agreement)",
                        "Wait"),
                row("AUTH failures are not death",
                        cluster("payments").primary("pg1").failing(5, over(ofSeconds(5)), FailureKind.AUTH)
                                .replica("pg2").notStreaming(),
                        ClusterVerdict.PrimarySuspect.class,
                        "payments: primary pg1 answers but rejects drctl's credentials; it is up, not dead",
                        "Wait"),
                row("OTHER failures count, but the replicas still decide",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)), FailureKind.OTHER)
                                .replica("pg2"),
                        ClusterVerdict.DrctlPartitioned.class,
                        "payments: drctl cannot reach primary pg1 (3 failed probes over 3s) but pg2 still streams from"
                                + " it: drctl is cut off, the primary is alive; no promotion",
                        "Wait"),
                row("no node reachable: the fault is most likely drctl's network, never death",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").unreachable().replica("pg3").unreachable(FailureKind.REFUSED),
                        ClusterVerdict.DrctlBlind.class,
                        "payments: drctl reaches no node: every node is unreachable; the fault is most likely drctl's"
                                + " own: check drctl's network path to the nodes (routes, firewall, DNS)",
                        "Refuse DRCTL_BLIND"),
                row("every node rejects drctl's credentials: the fault is drctl's login",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)), FailureKind.AUTH)
                                .replica("pg2").unreachable(FailureKind.AUTH),
                        ClusterVerdict.DrctlBlind.class,
                        "payments: drctl reaches no node: every node rejects drctl's credentials; the nodes are up and"
                                + " the fault is most likely drctl's: check the credentials in its config",
                        "Refuse DRCTL_BLIND"),
                row("an unreachable replica is no evidence: one of two confirming is no majority",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").notStreaming().replica("pg3").unreachable(),
                        ClusterVerdict.PrimarySuspect.class,
                        "payments: primary pg1 failed 3 consecutive probes over 3s but only 1 of 2 replicas confirm it"
                                + " lost its stream (a majority needs 2; unreachable replicas are no evidence); not"
                                + " declared dead",
                        "Wait"),
                row("two of three replicas confirming is a majority",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").notStreaming().replica("pg3").noStream().replica("pg4").unreachable(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replicas pg2, pg3 lost"
                                + " their stream from it",
                        "Promote pg2"),
                row("two of four replicas confirming is no majority",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").notStreaming().replica("pg3").notStreaming()
                                .replica("pg4").unreachable().replica("pg5").unreachable(FailureKind.REFUSED),
                        ClusterVerdict.PrimarySuspect.class,
                        "payments: primary pg1 failed 3 consecutive probes over 3s but only 2 of 4 replicas confirm it"
                                + " lost its stream (a majority needs 3; unreachable replicas are no evidence); not"
                                + " declared dead",
                        "Wait"),
                row("one replica still streaming outweighs any number confirming: drctl partitioned",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").notStreaming().replica("pg3").notStreaming().replica("pg4"),
                        ClusterVerdict.DrctlPartitioned.class,
                        "payments: drctl cannot reach primary pg1 (3 failed probes over 3s) but pg4 still streams from"
                                + " it: drctl is cut off, the primary is alive; no promotion",
                        "Wait"),
                row("a stale replica observation is no evidence",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").notStreaming().staleBy(ofSeconds(4)),
                        ClusterVerdict.PrimarySuspect.class,
                        "payments: primary pg1 failed 3 consecutive probes over 3s but only 0 of 1 replica confirm it"
                                + " lost its stream (a majority needs 1; unreachable replicas are no evidence); not"
                                + " declared dead",
                        "Wait"),
                row("a replica that had no stream while the primary still answered is no witness",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").neverStreaming(),
                        ClusterVerdict.PrimarySuspect.class,
                        "payments: primary pg1 failed 3 consecutive probes over 3s but only 0 of 1 replica confirm it"
                                + " lost its stream (a majority needs 1; unreachable replicas are no evidence); not"
                                + " declared dead",
                        "Wait"),
                row("a cascaded replica speaks only for its own upstream",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").notStreaming().replica("pg3").streamingFrom("pg2"),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replica pg2 lost its"
                                + " stream from it",
                        "Promote pg2"),
                row("flapping primary inside the cooldown",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").notStreaming().failedOverAgo(ofMinutes(4)),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replica pg2 lost its"
                                + " stream from it",
                        "Refuse COOLDOWN"),
                row("cooldown over: failover allowed again",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").notStreaming().failedOverAgo(ofMinutes(10)),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replica pg2 lost its"
                                + " stream from it",
                        "Promote pg2"),
                row("two writable primaries",
                        cluster("payments").primary("pg1").primary("pg2").replica("pg3"),
                        ClusterVerdict.SplitBrain.class,
                        "payments: split brain: pg1, pg2 both answer as writable primaries",
                        "Refuse SPLIT_BRAIN"),
                row("no node ever seen writable",
                        cluster("payments").replica("pg2").replica("pg3"),
                        ClusterVerdict.NoPrimary.class,
                        "payments: no node has been seen as a writable primary",
                        "Refuse NO_PRIMARY"),
                row("old primary answers read-only (fenced)",
                        cluster("payments").primary("pg1").readOnly().replica("pg2"),
                        ClusterVerdict.NoPrimary.class,
                        "payments: no writable primary: pg1, the last one, now answers as a read-only primary",
                        "Refuse NO_PRIMARY"),
                row("MySQL: the GTID superset wins",
                        cluster("orders").engine(Engine.MYSQL)
                                .primary("db1").at("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100").failing(3, over(ofSeconds(3)))
                                .replica("db2").at("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-90").notStreaming()
                                .replica("db3").at("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100").notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "orders: primary db1 is dead: 3 consecutive failed probes over 3s and replicas db2, db3 lost"
                                + " their stream from it",
                        "Promote db3"),
                row("MySQL: an errant GTID set ranks after the comparable leader",
                        cluster("orders").engine(Engine.MYSQL)
                                .primary("db1").at("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100").failing(3, over(ofSeconds(3)))
                                .replica("db2").at("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100").notStreaming().priority(1)
                                .replica("db3").at("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-90,"
                                        + "aaaaaaaa-0000-0000-0000-000000000000:1-3").notStreaming().priority(100),
                        ClusterVerdict.PrimaryDead.class,
                        "orders: primary db1 is dead: 3 consecutive failed probes over 3s and replicas db2, db3 lost"
                                + " their stream from it",
                        "Promote db2"),
                row("MariaDB: domains compared one by one",
                        cluster("ledger").engine(Engine.MARIADB)
                                .primary("m1").at("0-1-100,1-1-50").failing(3, over(ofSeconds(3)))
                                .replica("m2").at("0-1-100,1-1-49").notStreaming()
                                .replica("m3").at("0-2-100,1-1-50").notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "ledger: primary m1 is dead: 3 consecutive failed probes over 3s and replicas m2, m3 lost"
                                + " their stream from it",
                        "Promote m3"),
                row("LSN across a timeline change: the old timeline is not ahead",
                        cluster("payments").primary("pg1").timeline(2).at("0/5000000").failing(3, over(ofSeconds(3)))
                                .replica("pg2").timeline(1).at("0/5800000").notStreaming().priority(100)
                                .replica("pg3").timeline(2).at("0/4F00000").notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replicas pg2, pg3 lost"
                                + " their stream from it",
                        "Promote pg3"),
                row("tie broken by region, then priority",
                        cluster("payments").preferRegions("ap-south-1")
                                .primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").region("ap-south-2").priority(100).notStreaming()
                                .replica("pg3").priority(10).notStreaming()
                                .replica("pg4").priority(50).notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replicas pg2, pg3, pg4"
                                + " lost their stream from it",
                        "Promote pg4"),
                row("data outweighs region and priority",
                        cluster("payments").preferRegions("ap-south-1")
                                .primary("pg1").at("0/3000000").failing(3, over(ofSeconds(3)))
                                .replica("pg2").at("0/3000000").region("ap-south-2").notStreaming()
                                .replica("pg3").at("0/2000000").priority(100).notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replicas pg2, pg3 lost"
                                + " their stream from it",
                        "Promote pg2"),
                row("best candidate over max-lag: RPO guard",
                        cluster("payments").primary("pg1").at("0/5000000").failing(3, over(ofSeconds(3)))
                                .replica("pg2").at("0/3000000").notStreaming()
                                .replica("pg3").at("0/2000000").notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replicas pg2, pg3 lost"
                                + " their stream from it",
                        "Refuse RPO_GUARD"),
                row("best candidate's replay lag over max-lag seconds: RPO guard",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").lag(ofSeconds(30)).notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replica pg2 lost its"
                                + " stream from it",
                        "Refuse RPO_GUARD"),
                row("lag unknown is not zero: it ranks last",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").lagUnknown().priority(100).notStreaming()
                                .replica("pg3").lag(ofSeconds(2)).priority(100).notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replicas pg2, pg3 lost"
                                + " their stream from it",
                        "Promote pg3"),
                row("lag unknown on the only candidate: the loss cannot be bounded",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").lagUnknown().notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replica pg2 lost its"
                                + " stream from it",
                        "Refuse DATA_LOSS_UNKNOWN"),
                row("every replica no-failover",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").noFailover().notStreaming()
                                .replica("pg3").noFailover().notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replicas pg2, pg3 lost"
                                + " their stream from it",
                        "Refuse NO_CANDIDATE"),
                row("the most advanced replica is outside allowed-regions",
                        cluster("payments").allowedRegions("ap-south-1")
                                .primary("pg1").at("0/3000000").failing(3, over(ofSeconds(3)))
                                .replica("pg2").at("0/3000000").region("eu-west-1").priority(100).notStreaming()
                                .replica("pg3").at("0/2F00000").notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replicas pg2, pg3 lost"
                                + " their stream from it",
                        "Promote pg3"),
                row("no eligible replica: one no-failover, one without a position",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").noFailover().notStreaming()
                                .replica("pg3").positionUnknown().notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replicas pg2, pg3 lost"
                                + " their stream from it",
                        "Refuse NO_CANDIDATE"),
                row("mode manual: humans promote",
                        cluster("payments").mode(FailoverMode.MANUAL).primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replica pg2 lost its"
                                + " stream from it",
                        "Refuse MODE_MANUAL"),
                row("mode dry-run: planned, nothing changed",
                        cluster("payments").mode(FailoverMode.DRY_RUN).primary("pg1").failing(3, over(ofSeconds(3)))
                                .replica("pg2").notStreaming(),
                        ClusterVerdict.PrimaryDead.class,
                        "payments: primary pg1 is dead: 3 consecutive failed probes over 3s and replica pg2 lost its"
                                + " stream from it",
                        "Refuse MODE_DRY_RUN"),
                row("replica lagging past max-lag while the primary is fine",
                        cluster("payments").maxLag(new DataSize(16L << 20), ofSeconds(10))
                                .primary("pg1").replica("pg2").lag(ofSeconds(30)).replica("pg3").lagUnknown(),
                        ClusterVerdict.ReplicaProblems.class,
                        "payments: primary pg1 is writable; replica problems: pg2: lag 30s over max-lag 10s; pg3: lag"
                                + " unknown",
                        "Wait"),
                row("after a failover the old primary is just an unreachable node",
                        cluster("payments").primary("pg1").failing(3, over(ofSeconds(3)))
                                .primary("pg2").replica("pg3").streamingFrom("pg2"),
                        ClusterVerdict.ReplicaProblems.class,
                        "payments: primary pg2 is writable; replica problems: pg1: unreachable (REFUSED: connection"
                                + " refused)",
                        "Wait"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdictSentenceAndDecision(Case c) {
        var out = run(c.fixture());
        if (Boolean.getBoolean("decide.print")) {
            System.err.println("### " + c.name() + "\n" + DecisionReport.render(out.verdict(), out.ranking(), out.decision()));
        }
        assertThat(out.verdict()).isInstanceOf(c.verdict());
        assertThat(out.verdict().summary()).isEqualTo(c.summary());
        assertThat(describe(out.decision())).as(out.decision().reason()).isEqualTo(c.decision());
        assertThat(out.decision().reason()).startsWith(c.summary());
    }
}
