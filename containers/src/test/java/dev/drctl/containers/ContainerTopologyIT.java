package dev.drctl.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.testenv.Deadline;
import dev.drctl.testenv.LocalNode;
import dev.drctl.testenv.Topology;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * A 1+2 topology per engine in containers (podman here, see {@code .ci/container-engine}): the replicas stream, a
 * write on the primary reaches them, a killed server's container is down and starts again on its data, and
 * {@code close()} leaves none of its containers behind. Skipped, with the reason, where no engine answers; the MySQL
 * 8.4 case also where its official image cannot be pulled.
 */
class ContainerTopologyIT {
    @TempDir
    Path dir;

    static ContainerEngine.Check engine;

    @BeforeAll
    static void engine() {
        engine = ContainerEngine.check();
        System.out.println(engine.sentence());
    }

    /** Per test, so each one is reported skipped with the reason. */
    @BeforeEach
    void engineReachable() {
        Assumptions.assumeTrue(engine instanceof ContainerEngine.Check.Reachable, engine::sentence);
    }

    @Test
    void postgresqlPrimaryAndTwoStreamingReplicas() throws Exception {
        exercise(Engine.POSTGRESQL, "CREATE TABLE t (id int primary key)", "INSERT INTO t VALUES (42)",
                "SELECT id FROM t");
    }

    @Test
    void mariadbPrimaryAndTwoGtidReplicas() throws Exception {
        exercise(Engine.MARIADB, "CREATE TABLE drctl_testenv.t (id int primary key)",
                "INSERT INTO drctl_testenv.t VALUES (42)", "SELECT id FROM drctl_testenv.t");
    }

    @Test
    void mysql84PrimaryAndTwoGtidReplicasWherePullable() throws Exception {
        var image = ContainerSettings.officialImage(Engine.MYSQL);
        var missing = ContainerEngine.obtain(image, Duration.ofSeconds(60));
        Assumptions.assumeTrue(missing.isEmpty(), () -> "MySQL 8.4 skipped: " + missing.orElse("") + " (MariaDB runs)");
        exercise(Engine.MYSQL, "CREATE TABLE drctl_testenv.t (id int primary key)",
                "INSERT INTO drctl_testenv.t VALUES (42)", "SELECT id FROM drctl_testenv.t");
    }

    @Test
    void proxiedPostgresqlReplicaStreamsThroughItsLinkAndDrctlThroughItsOwn() throws Exception {
        try (var topology = ContainerTopology.builder(Engine.POSTGRESQL).replicas(1).dir(dir).proxied(true).start()) {
            var replica = topology.replicas().getFirst();
            var link = topology.replicationLink(replica);
            assertThat(topology.node(replica).port()).as("drctl's port is its link's")
                    .isEqualTo(topology.drctlLink(replica).port()).isNotEqualTo(topology.node(replica).serverPort());
            try (var c = topology.connectViaConfigPort(replica); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                assertThat(rs.next() && rs.getBoolean(1)).isTrue();
            }
            link.refuse();
            assertThat(link.cutExisting()).as("the replica's stream went through its link").isEqualTo(1);
            Deadline.in(Duration.ofSeconds(30)).await(replica + " stops streaming", () -> {
                try (var c = topology.connect(replica); var s = c.createStatement(); var rs = s.executeQuery(
                        "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")) {
                    rs.next();
                    return rs.getInt(1) == 0 ? Deadline.Attempt.done() : Deadline.Attempt.<Boolean>notYet("streaming");
                } catch (SQLException e) {
                    return Deadline.Attempt.notYet(e.getMessage());
                }
            });
            link.pass();
            topology.awaitStreaming(replica);
        }
    }

    private void exercise(Engine engine, String create, String insert, String select) throws Exception {
        var topology = ContainerTopology.builder(engine).replicas(2).dir(dir).start();
        List<String> ids;
        try {
            System.out.println(engine + " in " + topology.settings());
            var nodes = topology.nodes();
            assertThat(nodes).extracting(LocalNode::role).containsExactly(Role.PRIMARY, Role.REPLICA, Role.REPLICA);
            assertThat(nodes).allSatisfy(n -> assertThat(n.running()).as(n.name() + " running").isTrue());
            assertThat(nodes).extracting(LocalNode::serverPort).doesNotHaveDuplicates();
            assertThat(Files.readString(topology.configFile())).contains("engine: " + engine.configName())
                    .contains("port: " + nodes.getFirst().port());
            ids = nodes.stream().map(n -> topology.containerId(n.name())).toList();

            var primary = topology.primary();
            try (var c = topology.connect(primary); var s = c.createStatement()) {
                s.execute(create);
                s.execute(insert);
            }
            for (var replica : topology.replicas()) {
                awaitRow(topology, replica, select);
                try (var c = topology.connect(replica); var s = c.createStatement()) {
                    assertThatThrownBy(() -> s.execute(insert)).as("a replica refuses writes")
                            .isInstanceOf(SQLException.class);
                }
            }

            var replica = topology.replicas().getFirst();
            topology.kill(replica);
            assertThat(topology.node(replica).running()).isFalse();
            assertThatThrownBy(() -> topology.kill(replica)).isInstanceOf(DrctlException.class)
                    .hasMessageContaining("not running");
            topology.start(replica);
            topology.awaitStreaming(replica);
            awaitRow(topology, replica, select);

            topology.stop(primary);
            assertThat(topology.node(primary).running()).isFalse();
            topology.start(primary);
            try (var c = topology.connect(primary); var s = c.createStatement(); var rs = s.executeQuery(select)) {
                assertThat(rs.next()).as("the primary's data survives a stop and start").isTrue();
            }
        } finally {
            topology.close();
        }
        var client = DockerClientFactory.instance().client();
        var left = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(java.util.Map.of(ContainerTopology.LABEL, topology.clusterName().value())).exec();
        assertThat(left).as("containers of " + ids + " left after close").isEmpty();
    }

    private static void awaitRow(Topology topology, NodeName node, String select) {
        Deadline.in(Duration.ofSeconds(30)).await(node + " has the row", () -> {
            try (var c = topology.connect(node); var s = c.createStatement(); var rs = s.executeQuery(select)) {
                return rs.next() && rs.getInt(1) == 42 ? Deadline.Attempt.done()
                        : Deadline.Attempt.<Boolean>notYet("no row yet");
            } catch (SQLException e) {
                return Deadline.Attempt.notYet(e.getMessage());
            }
        });
    }
}
