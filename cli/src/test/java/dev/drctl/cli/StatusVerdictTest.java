package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict line of {@code drctl status}, as a table of cases over rows of one probe round. */
class StatusVerdictTest {

    static StatusCommand.Row primary(String node, boolean writable) {
        return new StatusCommand.Row("pay", node, "r1", "primary", true, null, null, writable, "0/3000000", null,
                null, null, null, null, null, 3, "15", "2026-11-28T07:00:00Z");
    }

    static StatusCommand.Row replica(String node, String stream) {
        return new StatusCommand.Row("pay", node, "r1", "replica", true, null, null, false, "0/3000000", "0/3000000",
                0L, 0.0, stream, "127.0.0.1:5432", null, 3, "15", "2026-11-28T07:00:00Z");
    }

    static StatusCommand.Row down(String node) {
        return new StatusCommand.Row("pay", node, "r1", null, false, "timeout", "no answer in 800 ms", null, null,
                null, null, null, null, null, null, 800, null, "2026-11-28T07:00:00Z");
    }

    static final StatusVerdict.UnfinishedRun RUN = new StatusVerdict.UnfinishedRun("failover-pay-1", "failover",
            "drctl failover pay -c drctl.yaml");

    @Test
    void oneWritablePrimaryAndStreamingReplicasIsHealthy() {
        var v = StatusVerdict.of("pay", List.of(primary("pg-1", true), replica("pg-2", "streaming"),
                replica("pg-3", "streaming")), List.of());
        assertThat(v).isInstanceOf(StatusVerdict.Healthy.class);
        assertThat(v.line()).isEqualTo("HEALTHY: pay — primary pg-1, 2 replicas streaming");
        assertThat(v.code()).isEqualTo("healthy");
    }

    @Test
    void oneReplicaIsSingular() {
        var v = StatusVerdict.of("pay", List.of(primary("pg-1", true), replica("pg-2", "streaming")), List.of());
        assertThat(v.detail()).isEqualTo("primary pg-1, 1 replica streaming");
    }

    @Test
    void twoWritableNodesAreASplitBrainNamingBoth() {
        var v = StatusVerdict.of("pay", List.of(primary("pg-1", true), primary("pg-2", true),
                replica("pg-3", "stopped")), List.of());
        assertThat(v).isInstanceOf(StatusVerdict.SplitBrain.class);
        assertThat(v.line()).startsWith("SPLIT BRAIN: pay — pg-1, pg-2 writable");
        assertThat(v.code()).isEqualTo("split_brain");
        assertThat(v.healthy()).isFalse();
    }

    @Test
    void aDownReplicaOrAStoppedStreamIsDegradedWithTheNode() {
        var v = StatusVerdict.of("pay", List.of(primary("pg-1", true), down("pg-2"),
                replica("pg-3", "receiving, apply stopped")), List.of());
        assertThat(v).isInstanceOf(StatusVerdict.Degraded.class);
        assertThat(v.detail()).contains("pg-2 did not answer (timeout)")
                .contains("pg-3 replication receiving, apply stopped");
        assertThat(v.detail()).doesNotContain("pg-1");
    }

    @Test
    void aReadOnlyFormerPrimaryBesideTheWritableOneIsDegradedNotSplit() {
        var v = StatusVerdict.of("pay", List.of(primary("pg-1", false), primary("pg-2", true),
                replica("pg-3", "streaming")), List.of());
        assertThat(v).isInstanceOf(StatusVerdict.Degraded.class);
        assertThat(v.detail()).contains("pg-1 is a read-only primary").contains("drctl rejoin pay pg-1");
    }

    @Test
    void noWritableNodeWithAnUnfinishedRunSaysWhichAndHowToFinish() {
        var v = StatusVerdict.of("pay", List.of(down("pg-1"), replica("pg-2", "not receiving")), List.of(RUN));
        assertThat(v).isInstanceOf(StatusVerdict.NoPrimary.class);
        assertThat(v.line()).isEqualTo("NO PRIMARY: pay — run failover-pay-1 (failover) unfinished — rerun "
                + "drctl failover pay -c drctl.yaml to finish it");
        assertThat(v.code()).isEqualTo("no_primary");
    }

    @Test
    void noWritableNodeWithoutARunPointsAtCandidates() {
        var v = StatusVerdict.of("pay", List.of(down("pg-1"), replica("pg-2", "not receiving")), List.of());
        assertThat(v.detail()).contains("drctl candidates pay");
    }

    @Test
    void noNodeAnsweringPointsAtDrctlsOwnSide() {
        var v = StatusVerdict.of("pay", List.of(down("pg-1"), down("pg-2")), List.of());
        assertThat(v).isInstanceOf(StatusVerdict.NoPrimary.class);
        assertThat(v.detail()).contains("no node answered").contains("drctl's network and credentials");
    }

    @Test
    void anUnfinishedRunBesideAHealthyPrimaryIsDegraded() {
        var v = StatusVerdict.of("pay", List.of(primary("pg-1", true), replica("pg-2", "streaming")), List.of(RUN));
        assertThat(v).isInstanceOf(StatusVerdict.Degraded.class);
        assertThat(v.detail()).contains("failover-pay-1").contains("drctl failover pay -c drctl.yaml");
    }
}
