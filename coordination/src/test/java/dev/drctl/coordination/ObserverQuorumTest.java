package dev.drctl.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.ClusterName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The observer quorum as a table: live daemons, what each published and when, and whether a failover may go on. */
class ObserverQuorumTest {
    static final ClusterName PAYMENTS = new ClusterName("payments");
    static final Instant NOW = Instant.parse("2026-11-28T11:00:00Z");
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    /** {@code seen} entries are "daemon=Verdict@secondsAgo". */
    record Case(String name, Set<String> live, List<String> seen, boolean reached, List<String> seeingDead) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("all three see it dead", Set.of("a", "b", "c"),
                        List.of("a=PrimaryDead@1", "b=PrimaryDead@1", "c=PrimaryDead@2"), true, List.of("a", "b", "c")),
                new Case("two of three: a majority", Set.of("a", "b", "c"),
                        List.of("a=PrimaryDead@1", "b=PrimaryDead@1", "c=Healthy@1"), true, List.of("a", "b")),
                new Case("one daemon cut off from the primary: no failover", Set.of("a", "b", "c"),
                        List.of("a=PrimaryDead@1", "b=Healthy@1", "c=Healthy@1"), false, List.of("a")),
                new Case("a partitioned view is not a dead one", Set.of("a", "b", "c"),
                        List.of("a=PrimaryDead@1", "b=DrctlPartitioned@1", "c=PrimarySuspect@1"), false, List.of("a")),
                new Case("silence counts against: only one of three published", Set.of("a", "b", "c"),
                        List.of("a=PrimaryDead@1"), false, List.of("a")),
                new Case("a stale observation is no evidence", Set.of("a", "b", "c"),
                        List.of("a=PrimaryDead@1", "b=PrimaryDead@6", "c=Healthy@1"), false, List.of("a")),
                new Case("exactly at the age limit still counts", Set.of("a", "b", "c"),
                        List.of("a=PrimaryDead@1", "b=PrimaryDead@5"), true, List.of("a", "b")),
                new Case("a dead daemon's observation does not count", Set.of("a", "b"),
                        List.of("a=PrimaryDead@1", "c=PrimaryDead@1", "b=Healthy@1"), false, List.of("a")),
                new Case("two live daemons need both", Set.of("a", "b"),
                        List.of("a=PrimaryDead@1", "b=PrimaryDead@1"), true, List.of("a", "b")),
                new Case("a lone daemon is its own majority", Set.of("a"), List.of("a=PrimaryDead@1"), true,
                        List.of("a")),
                new Case("four live daemons need three", Set.of("a", "b", "c", "d"),
                        List.of("a=PrimaryDead@1", "b=PrimaryDead@1", "c=Healthy@1", "d=Healthy@1"), false,
                        List.of("a", "b")),
                new Case("no live daemon: never", Set.of(), List.of("a=PrimaryDead@1"), false, List.of()),
                new Case("the newest observation of a daemon is its view", Set.of("a", "b", "c"),
                        List.of("a=PrimaryDead@1", "b=Healthy@3", "b=PrimaryDead@1", "c=Healthy@1"), true,
                        List.of("a", "b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void assesses(Case c) {
        var observations = new ArrayList<Observation>();
        for (var s : c.seen()) {
            var daemon = s.substring(0, s.indexOf('='));
            var verdict = s.substring(s.indexOf('=') + 1, s.indexOf('@'));
            var ago = Long.parseLong(s.substring(s.indexOf('@') + 1));
            observations.add(new Observation(daemon, PAYMENTS, verdict, verdict + " seen", NOW.minusSeconds(ago)));
        }
        var assessment = ObserverQuorum.assess(c.live(), observations, NOW, MAX_AGE);
        assertThat(assessment instanceof ObserverQuorum.Assessment.Reached).as(assessment.sentence())
                .isEqualTo(c.reached());
        assertThat(assessment.seeingDead()).containsExactlyElementsOf(c.seeingDead());
    }

    @org.junit.jupiter.api.Test
    void theSentenceNamesWhoseViewDidNotCount() {
        var a = ObserverQuorum.assess(Set.of("mum-1", "hyd-1", "sgp-1"), List.of(
                new Observation("mum-1", PAYMENTS, "PrimaryDead", "x", NOW),
                new Observation("hyd-1", PAYMENTS, "Healthy", "x", NOW)), NOW, MAX_AGE);
        assertThat(a.sentence()).isEqualTo("1 of 3 live daemons see the primary dead, 2 needed: no quorum for a "
                + "failover (hyd-1: Healthy; sgp-1: nothing published)");
    }

    @org.junit.jupiter.api.Test
    void anObservationSurvivesItsNodeDataAndOtherDataIsIgnored() {
        var o = new Observation("mum-1", PAYMENTS, "PrimaryDead", "pg-1 refused 3 probes over 3.1s", NOW);
        assertThat(Observation.fromBytes(o.toBytes())).contains(o);
        assertThat(Observation.fromBytes("not json".getBytes())).isEmpty();
    }
}
