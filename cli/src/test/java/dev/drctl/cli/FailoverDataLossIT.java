package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import java.nio.file.Path;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's command-level acceptance: {@code drctl failover} refuses with exit 3 to promote a replica whose data loss
 * is unknown (its stream broke while the primary kept writing, then the primary was killed), saying so in the words
 * {@code candidates} uses, and promotes it only with {@code --accept-data-loss}, recorded as such.
 */
class FailoverDataLossIT {
    @TempDir
    Path dir;

    @Test
    void unknownLossIsRefusedUnlessAccepted() throws Exception {
        try (var topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir).start()) {
            var s = new BrokenStreamScenario(topology).run();
            s.noFailover(s.a);

            var refused = CliRun.of("failover", s.cluster(), "-c", s.config());
            assertThat(refused.exit()).as(refused.all()).isEqualTo(3);
            assertThat(refused.err()).contains("data loss unknown").contains(s.b.value()).contains("--accept-data-loss");

            var accepted = CliRun.of("failover", s.cluster(), "--accept-data-loss", "-c", s.config(), "-o", "json");
            var json = accepted.json();
            assertThat(json.at("/facts/newPrimary").asText()).as(accepted.all()).isEqualTo(s.b.value());
            assertThat(json.at("/record/dataLossAccepted").asBoolean()).as(accepted.all()).isTrue();
            assertThat(StreamSupport.stream(json.at("/steps").spliterator(), false)
                    .filter(st -> st.path("step").asText().equals("promote")).map(st -> st.path("status").asText()))
                    .as(accepted.all()).containsExactly("succeeded");
            // A received what B never did, so it cannot stream from B without a rewind: re-pointing it fails, and
            // the run says so (exit 1) until issue 10 item 8 (fencing branch) ends such a run as promoted with A
            // pending. Every other ending is wrong.
            if (accepted.exit() != 0) {
                assertThat(accepted.exit()).as(accepted.all()).isEqualTo(1);
                assertThat(json.at("/summary").asText()).as(accepted.all()).contains("repoint-replicas")
                        .contains(s.a + " does not stream from " + s.b);
            }
        }
    }
}
