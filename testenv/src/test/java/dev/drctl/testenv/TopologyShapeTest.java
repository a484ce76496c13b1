package dev.drctl.testenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shape both kinds of topology are built from: refused requests, node names, ports and links. */
class TopologyShapeTest {

    @Test
    void refusesWhatNoTopologyCanBe() {
        assertThatThrownBy(() -> new TopologyShape(Engine.MYSQL, 0, List.of(), false))
                .isInstanceOfSatisfying(DrctlException.class,
                        e -> assertThat(e.code()).isEqualTo(TestenvErrorCode.BAD_REQUEST))
                .hasMessage("a topology needs at least 1 replica (asked for 0)");
        assertThatThrownBy(() -> new TopologyShape(Engine.POSTGRESQL, 2, List.of("a", "b"), false))
                .hasMessage("regions [a, b] name 2 nodes, the topology has 3 (primary first)");
    }

    @Test
    void unproxiedNodesReplicateFromThePrimarysPortAndHaveNoLinks() {
        var wiring = new TopologyShape(Engine.MARIADB, 2, List.of("eu", "us", "ap"), false).wire();
        var nodes = wiring.nodes();
        assertThat(nodes).extracting(n -> n.name().value()).containsExactly("mdb-1", "mdb-2", "mdb-3");
        assertThat(nodes).extracting(TopologyShape.WiredNode::region).containsExactly("eu", "us", "ap");
        assertThat(nodes).extracting(TopologyShape.WiredNode::role)
                .containsExactly(Role.PRIMARY, Role.REPLICA, Role.REPLICA);
        assertThat(nodes).extracting(TopologyShape.WiredNode::serverId).containsExactly(1, 2, 3);
        assertThat(nodes).allSatisfy(n -> assertThat(n.port()).isEqualTo(n.serverPort()));
        assertThat(nodes.getFirst().upstreamPort()).isZero();
        assertThat(nodes.subList(1, 3)).allSatisfy(n -> assertThat(n.upstreamPort())
                .isEqualTo(nodes.getFirst().serverPort()));
        assertThat(nodes.stream().map(TopologyShape.WiredNode::serverPort).distinct()).hasSize(3);
        assertThatThrownBy(() -> wiring.links().drctlLink(new NodeName("mdb-1")))
                .hasMessage("no drctl link for mdb-1: the topology was started without .proxied(true)");
    }

    @Test
    void proxiedNodesAreReachedThroughTheirLinks() {
        var wiring = new TopologyShape(Engine.POSTGRESQL, 1, List.of(), true).wire();
        try {
            var primary = wiring.nodes().get(0);
            var replica = wiring.nodes().get(1);
            assertThat(wiring.nodes()).extracting(TopologyShape.WiredNode::region).containsOnly("local");
            assertThat(wiring.links().drctlLink(primary.name()).port()).isEqualTo(primary.port())
                    .isNotEqualTo(primary.serverPort());
            assertThat(wiring.links().replicationLink(replica.name(), List.of(replica.name())).port())
                    .isEqualTo(replica.upstreamPort()).isNotEqualTo(primary.serverPort());
            assertThatThrownBy(() -> wiring.links().replicationLink(primary.name(), List.of(replica.name())))
                    .hasMessage("pg-1 is the primary; replication links belong to replicas [pg-2]");
        } finally {
            wiring.links().close();
        }
    }
}
