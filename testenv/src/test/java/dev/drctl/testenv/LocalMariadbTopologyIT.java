package dev.drctl.testenv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalMariadbTopologyIT {
    static final NodeName MDB1 = new NodeName("mdb-1");
    static final NodeName MDB2 = new NodeName("mdb-2");
    static final NodeName MDB3 = new NodeName("mdb-3");

    @TempDir
    static Path dir;
    static LocalTopology topology;

    @BeforeAll
    static void up() {
        // proxied, so the replicas' links to the primary can be cut as well
        topology = LocalTopology.builder(Engine.MARIADB).replicas(2).dir(dir).proxied(true).start();
    }

    @AfterAll
    static void down() {
        var pids = topology.nodes().stream().filter(LocalNode::running).map(n -> n.pid().getAsLong()).toList();
        topology.close();
        assertThat(pids).hasSize(3).allSatisfy(pid -> assertThat(ServerProcess.isRunning(pid)).as("pid " + pid).isFalse());
        assertThat(dir.resolve("servers")).doesNotExist();
    }

    @Test
    @Order(1)
    void startsOnePrimaryAndTwoGtidReplicas() throws Exception {
        var nodes = topology.nodes();
        assertThat(nodes).extracting(n -> n.name().value()).containsExactly("mdb-1", "mdb-2", "mdb-3");
        assertThat(nodes).extracting(LocalNode::region).containsOnly("local");
        assertThat(nodes).extracting(LocalNode::role).containsExactly(Role.PRIMARY, Role.REPLICA, Role.REPLICA);
        assertThat(nodes).allSatisfy(n -> assertThat(n.running()).isTrue());
        try (var c = topology.connect(MDB1); var s = c.createStatement();
             var rs = s.executeQuery("SELECT @@read_only, @@gtid_strict_mode, @@log_bin, @@server_id")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
            assertThat(rs.getInt(2)).isOne();
            assertThat(rs.getInt(3)).isOne();
            assertThat(rs.getInt(4)).isOne();
        }
        for (var replica : List.of(MDB2, MDB3)) {
            try (var c = topology.connect(replica); var s = c.createStatement();
                 var rs = s.executeQuery("SHOW SLAVE STATUS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("Using_Gtid")).isEqualTo("Slave_Pos");
                assertThat(rs.getInt("Master_Port")).isEqualTo(topology.replicationLink(replica).port());
                assertThat(rs.getString("Slave_IO_Running")).isEqualTo("Yes");
            }
            try (var c = topology.connect(replica); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT @@read_only")) {
                rs.next();
                assertThat(rs.getInt(1)).isOne();
            }
        }
        assertThat(Files.readString(topology.configFile())).contains("engine: mariadb", "name: \"testenv-mariadb\"",
                "record: \"testenv-mariadb-rw.testenv.local\", type: A");
        // a first transaction, applied everywhere: a fresh topology has positions to compare, not empty GTID sets
        var positions = new ArrayList<String>();
        for (var node : List.of(MDB1, MDB2, MDB3)) {
            positions.add(gtid(node));
        }
        assertThat(positions).containsOnly(positions.getFirst());
        assertThat(positions.getFirst()).startsWith("0-1-");
        var record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("dns/writer.json").toFile());
        assertThat(record.path("type").asText()).isEqualTo("A");
        assertThat(record.path("values").toString()).isEqualTo("[\"127.0.0.1\"]");
        assertThat(record.path("node").asText()).isEqualTo("mdb-1");
        assertThat(record.path("port").asInt()).isEqualTo(topology.node(MDB1).port());
    }

    @Test
    @Order(2)
    void aRowWrittenOnThePrimaryReachesBothReplicasWithTheSameGtid() throws SQLException {
        try (var c = topology.connect(MDB1); var s = c.createStatement()) {
            s.execute("CREATE DATABASE app");
            s.execute("CREATE TABLE app.probe_rows (id int PRIMARY KEY, note varchar(100))");
            s.execute("INSERT INTO app.probe_rows VALUES (1, 'hello')");
        }
        awaitRow(MDB2, 1);
        awaitRow(MDB3, 1);
        assertThat(gtid(MDB2)).isEqualTo(gtid(MDB1)).startsWith("0-1-");
    }

    @Test
    @Order(3)
    void aKilledReplicaIsGoneAndCatchesUpAfterStart() throws SQLException {
        var pid = topology.node(MDB3).pid().orElseThrow();
        topology.kill(MDB3);
        assertThat(ServerProcess.isRunning(pid)).isFalse();
        assertThat(topology.node(MDB3).running()).isFalse();
        try (var c = topology.connect(MDB1); var s = c.createStatement()) {
            s.execute("INSERT INTO app.probe_rows VALUES (2, 'while mdb-3 was down')");
        }
        topology.start(MDB3);
        topology.awaitStreaming(MDB3);
        awaitRow(MDB3, 2);
    }

    @Test
    @Order(4)
    void aStoppedPrimaryComesBackAndItsReplicasReconnect() throws SQLException {
        var pid = topology.node(MDB1).pid().orElseThrow();
        topology.stop(MDB1);
        assertThat(ServerProcess.isRunning(pid)).isFalse();
        topology.start(MDB1);
        topology.awaitStreaming(MDB2);
        topology.awaitStreaming(MDB3);
        try (var c = topology.connect(MDB1); var s = c.createStatement()) {
            s.execute("INSERT INTO app.probe_rows VALUES (3, 'after restart')");
        }
        awaitRow(MDB2, 3);
        awaitRow(MDB3, 3);
    }

    @Test
    @Order(5)
    void cuttingAReplicationLinkStopsThatReplicasIoThreadUntilLifted() throws SQLException {
        var link = topology.replicationLink(MDB2);
        link.refuse();
        assertThat(link.cutExisting()).isEqualTo(1);
        Deadline.in(Duration.ofSeconds(20)).await("mdb-2 IO thread down", () -> {
            try (var c = topology.connect(MDB2); var s = c.createStatement();
                 var rs = s.executeQuery("SHOW SLAVE STATUS")) {
                rs.next();
                return "Yes".equals(rs.getString("Slave_IO_Running")) ? Deadline.Attempt.notYet("still Yes")
                        : Deadline.Attempt.done();
            } catch (SQLException e) {
                return Deadline.Attempt.notYet(e.getMessage());
            }
        });
        try (var c = topology.connectViaConfigPort(MDB1); var s = c.createStatement()) {
            s.execute("INSERT INTO app.probe_rows VALUES (4, 'while mdb-2 was cut off')");
        }
        awaitRow(MDB3, 4);
        try (var c = topology.connect(MDB2); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM app.probe_rows WHERE id = 4")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        link.pass();
        topology.awaitStreaming(MDB2);
        awaitRow(MDB2, 4);
    }

    static String gtid(NodeName node) throws SQLException {
        try (var c = topology.connect(node); var s = c.createStatement();
             var rs = s.executeQuery("SELECT @@gtid_current_pos")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void awaitRow(NodeName node, int id) {
        Deadline.in(Duration.ofSeconds(30)).await("row " + id + " on " + node, () -> {
            try (var c = topology.connect(node); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM app.probe_rows WHERE id = " + id)) {
                rs.next();
                return rs.getInt(1) == 1 ? Deadline.Attempt.done() : Deadline.Attempt.notYet("row not there");
            } catch (SQLException | RuntimeException e) {
                return Deadline.Attempt.notYet(e.getMessage());
            }
        });
    }

    static List<Long> pids() {
        var pids = new ArrayList<Long>();
        topology.nodes().forEach(n -> n.pid().ifPresent(pids::add));
        return pids;
    }
}
