package dev.drctl.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.ClusterName;
import java.util.HashMap;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Rendezvous hashing spreads clusters over daemons, agrees everywhere, and moves only a leaving daemon's clusters. */
class PreferenceTest {
    static final List<String> DAEMONS = List.of("mum-1", "hyd-1", "sgp-1");
    static final List<ClusterName> CLUSTERS = IntStream.range(0, 60).mapToObj(i -> new ClusterName("c" + i)).toList();

    @Test
    void everyDaemonGetsAShareAndTheAnswerDoesNotDependOnOrder() {
        var share = new HashMap<String, Integer>();
        for (var c : CLUSTERS) {
            var p = Preference.preferred(c, DAEMONS).orElseThrow();
            assertThat(Preference.preferred(c, DAEMONS.reversed())).contains(p);
            share.merge(p, 1, Integer::sum);
        }
        // 60 clusters over 3 daemons: each gets some (a daemon with none would make spreading pointless).
        assertThat(share.keySet()).containsExactlyInAnyOrderElementsOf(DAEMONS);
        assertThat(share.values()).allMatch(n -> n >= 10);
    }

    @Test
    void aLeavingDaemonMovesOnlyItsOwnClusters() {
        for (var c : CLUSTERS) {
            var before = Preference.preferred(c, DAEMONS).orElseThrow();
            var after = Preference.preferred(c, List.of("mum-1", "sgp-1")).orElseThrow();
            if (!before.equals("hyd-1")) {
                assertThat(after).as(c.value()).isEqualTo(before);
            }
        }
    }

    @Test
    void noDaemonNoPreference() {
        assertThat(Preference.preferred(new ClusterName("payments"), List.of())).isEmpty();
    }
}
