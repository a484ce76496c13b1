package dev.drctl.testenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A proxied PostgreSQL topology: drctl's links and the replicas' links to the primary can fail independently. */
class ProxiedPostgresTopologyIT {
    static final NodeName PG1 = new NodeName("pg-1");
    static final NodeName PG2 = new NodeName("pg-2");
    static final NodeName PG3 = new NodeName("pg-3");
    static LocalTopology topology;

    @BeforeAll
    static void up() {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).proxied(true).start();
    }

    @AfterAll
    static void down() {
        var dir = topology.dir();
        topology.close();
        assertThat(dir).doesNotExist(); // testenv made the directory, so it goes entirely
    }

    @AfterEach
    void heal() {
        for (var n : topology.nodes()) {
            topology.drctlLink(n.name()).pass();
        }
        topology.replicas().forEach(r -> topology.replicationLink(r).pass());
        topology.replicas().forEach(topology::awaitStreaming);
    }

    /** A connection the way drctl makes one: to the port in the config, i.e. through the drctl link. */
    static Connection viaConfig(NodeName node, int timeoutSeconds) throws SQLException {
        var props = new Properties();
        props.setProperty("user", "drctl");
        props.setProperty("password", topology.password());
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("socketTimeout", Integer.toString(timeoutSeconds));
        return new org.postgresql.Driver().connect(
                "jdbc:postgresql://127.0.0.1:" + topology.node(node).port() + "/postgres", props);
    }

    @Test
    void theConfigPortsAreTheDrctlLinksAndTheReplicasStreamThroughTheirLinks() throws SQLException {
        for (var n : topology.nodes()) {
            assertThat(n.port()).isEqualTo(topology.drctlLink(n.name()).port()).isNotEqualTo(n.serverPort());
        }
        assertThat(topology.clusterSpec().nodes()).extracting(s -> s.port())
                .containsExactlyElementsOf(topology.nodes().stream().map(LocalNode::port).toList());
        long before = topology.drctlLink(PG1).acceptedConnections();
        try (var c = topology.connectViaConfigPort(PG1); var s = c.createStatement();
             var rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
        assertThat(topology.drctlLink(PG1).acceptedConnections()).isEqualTo(before + 1);
        assertThat(topology.replicationLink(PG2).openConnections()).isEqualTo(1);
        assertThat(topology.replicationLink(PG3).openConnections()).isEqualTo(1);
    }

    @Test
    void aBlackholedDrctlLinkHangsDrctlWhileTheReplicasStillStream() throws SQLException {
        topology.drctlLink(PG1).blackhole();
        long start = System.nanoTime();
        assertThatThrownBy(() -> viaConfig(PG1, 1).close()).isInstanceOf(SQLException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        try (var c = topology.connect(PG1); var s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY)");
            s.execute("INSERT INTO t VALUES (1)");
        }
        awaitRow(PG2, 1);
        awaitRow(PG3, 1);
        topology.awaitStreaming(PG2);
    }

    @Test
    void cuttingAReplicationLinkStopsThatReplicasStreamOnly() throws SQLException {
        var link = topology.replicationLink(PG2);
        link.refuse();
        assertThat(link.cutExisting()).isEqualTo(1);
        Deadline.in(Duration.ofSeconds(20)).await("pg-2 stream down", () -> {
            try (var c = topology.connect(PG2); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")) {
                rs.next();
                return rs.getInt(1) == 0 ? Deadline.Attempt.done() : Deadline.Attempt.notYet("still streaming");
            } catch (SQLException e) {
                return Deadline.Attempt.notYet(e.getMessage());
            }
        });
        try (var c = topology.connect(PG1); var s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY)");
            s.execute("INSERT INTO t VALUES (2)");
        }
        awaitRow(PG3, 2);
        assertThat(hasRow(PG2, 2)).isFalse();
        link.pass();
        topology.awaitStreaming(PG2);
        awaitRow(PG2, 2);
    }

    static boolean hasRow(NodeName node, int id) throws SQLException {
        try (var c = topology.connect(node); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM t WHERE id = " + id)) {
            rs.next();
            return rs.getInt(1) == 1;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return false; // the table itself has not arrived
            }
            throw e;
        }
    }

    static void awaitRow(NodeName node, int id) {
        Deadline.in(Duration.ofSeconds(30)).await("row " + id + " on " + node, () -> {
            try {
                return hasRow(node, id) ? Deadline.Attempt.done() : Deadline.Attempt.notYet("row not there");
            } catch (SQLException e) {
                return Deadline.Attempt.notYet(e.getMessage());
            }
        });
    }
}
