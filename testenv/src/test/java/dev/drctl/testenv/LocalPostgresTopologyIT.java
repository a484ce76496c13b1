package dev.drctl.testenv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
class LocalPostgresTopologyIT {
    static final NodeName PG1 = new NodeName("pg-1");
    static final NodeName PG2 = new NodeName("pg-2");
    static final NodeName PG3 = new NodeName("pg-3");

    @TempDir
    static Path dir;
    static LocalTopology topology;

    @BeforeAll
    static void up() {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2)
                .regions("ap-south-1", "ap-south-1", "ap-south-2").dir(dir).start();
    }

    @AfterAll
    static void down() {
        var pids = serverPids(topology);
        topology.close();
        assertThat(pids).isNotEmpty().allSatisfy(pid -> assertThat(ServerProcess.isRunning(pid)).as("pid " + pid).isFalse());
        assertThat(topology.serverRoot()).doesNotExist();
        assertThat(dir.resolve("testenv.json")).doesNotExist();
    }

    /** Every server process, postmasters and their children. */
    static List<Long> serverPids(Topology t) {
        var pids = new ArrayList<Long>();
        for (var n : t.nodes()) {
            n.pid().ifPresent(pid -> {
                pids.add(pid);
                ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
            });
        }
        return pids;
    }

    @Test
    @Order(1)
    void startsOnePrimaryAndTwoStreamingReplicasWithTheirRegions() throws SQLException {
        var nodes = topology.nodes();
        assertThat(nodes).extracting(n -> n.name().value()).containsExactly("pg-1", "pg-2", "pg-3");
        assertThat(nodes).extracting(LocalNode::region).containsExactly("ap-south-1", "ap-south-1", "ap-south-2");
        assertThat(nodes).extracting(LocalNode::role).containsExactly(Role.PRIMARY, Role.REPLICA, Role.REPLICA);
        assertThat(nodes).allSatisfy(n -> {
            assertThat(n.running()).isTrue();
            assertThat(n.host()).isEqualTo("127.0.0.1");
            assertThat(n.port()).isEqualTo(n.serverPort()); // not proxied
        });
        try (var c = topology.connect(PG1); var s = c.createStatement();
             var rs = s.executeQuery("SELECT application_name, state FROM pg_stat_replication ORDER BY 1")) {
            var seen = new ArrayList<String>();
            while (rs.next()) {
                seen.add(rs.getString(1) + "/" + rs.getString(2));
            }
            assertThat(seen).containsExactly("pg-2/streaming", "pg-3/streaming");
        }
        try (var c = topology.connect(PG2); var s = c.createStatement();
             var rs = s.executeQuery("SELECT pg_is_in_recovery(), current_setting('wal_log_hints')")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getString(2)).isEqualTo("on");
        }
    }

    @Test
    @Order(2)
    void writesTheConfigTheSecretAndTheState() throws Exception {
        var yaml = Files.readString(topology.configFile());
        var password = topology.passwordFile();
        assertThat(yaml).contains("name: \"testenv-pg\"", "engine: postgresql",
                "password: \"${file:" + password + "}\"",
                "{ name: \"pg-3\", host: \"127.0.0.1\", port: " + topology.node(PG3).port() + ", region: \"ap-south-2\" }",
                "probe-interval: 1s", "probe-timeout: 800ms", "failure-threshold: 3", "failure-window: 3s",
                "max-lag: { bytes: 16MB, seconds: 10 }", "cooldown: 10m",
                "dns: { provider: file, file: \"" + dir.resolve("dns/writer.json")
                        + "\", record: \"testenv-pg-rw.testenv.local\", type: A, ttl: 30 }",
                "store: \"jdbc:sqlite:" + dir.resolve("drctl.db") + "\"", "time-zone: UTC");
        assertThat(yaml).doesNotContain(Files.readString(password).strip());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");
        var spec = topology.clusterSpec();
        assertThat(spec.nodes()).extracting(n -> n.port()).containsExactlyElementsOf(
                topology.nodes().stream().map(LocalNode::port).toList());
        assertThat(spec.credentials().password().orElseThrow().resolve(java.util.Map.of()))
                .isEqualTo(Files.readString(password).strip());
        // the config loader reads the written file back into the very records the topology hands tests
        var loaded = dev.drctl.topology.ConfigLoader.load(topology.configFile());
        assertThat(loaded.clusters()).containsExactly(spec);
        assertThat(loaded.compliance().store()).isEqualTo(topology.drctlConfig().compliance().store());
        assertThat(loaded.compliance().timeZone()).isEqualTo(topology.drctlConfig().compliance().timeZone());
        var attached = LocalTopology.attach(dir);
        assertThat(attached.nodes()).isEqualTo(topology.nodes());
    }

    @Test
    @Order(3)
    void aRowWrittenOnThePrimaryReachesBothReplicas() throws SQLException {
        try (var c = topology.connect(PG1); var s = c.createStatement()) {
            s.execute("CREATE TABLE probe_rows (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO probe_rows VALUES (1, 'hello')");
        }
        awaitRow(PG2, 1);
        awaitRow(PG3, 1);
    }

    @Test
    @Order(4)
    void aKilledReplicaIsGoneAndComesBackStreaming() throws SQLException {
        var before = serverPids(topology).size();
        var pid = topology.node(PG3).pid().orElseThrow();
        var tree = new ArrayList<Long>();
        tree.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> tree.add(d.pid())));
        topology.kill(PG3);
        assertThat(tree).allSatisfy(p -> assertThat(ServerProcess.isRunning(p)).isFalse());
        assertThat(topology.node(PG3).running()).isFalse();
        try (var c = topology.connect(PG1); var s = c.createStatement()) {
            s.execute("INSERT INTO probe_rows VALUES (2, 'while pg-3 was down')");
        }
        topology.start(PG3);
        assertThat(topology.node(PG3).pid()).isPresent().isNotEqualTo(java.util.OptionalLong.of(pid));
        topology.awaitStreaming(PG3);
        awaitRow(PG3, 2);
        assertThat(serverPids(topology)).isNotEmpty().hasSizeGreaterThan(before / 2);
    }

    @Test
    @Order(5)
    void aStoppedPrimaryComesBackAndItsReplicasResume() throws SQLException {
        topology.stop(PG1);
        assertThat(topology.node(PG1).running()).isFalse();
        topology.start(PG1);
        topology.awaitStreaming(PG2);
        topology.awaitStreaming(PG3);
        try (var c = topology.connect(PG1); var s = c.createStatement()) {
            s.execute("INSERT INTO probe_rows VALUES (3, 'after restart')");
        }
        awaitRow(PG2, 3);
        awaitRow(PG3, 3);
    }

    static void awaitRow(NodeName node, int id) {
        awaitRow(topology, node, id);
    }

    /** Waits until row {@code id} of {@code probe_rows} is on {@code node}. */
    static void awaitRow(Topology on, NodeName node, int id) {
        Deadline.in(Duration.ofSeconds(30)).await("row " + id + " on " + node, () -> {
            try (var c = on.connect(node); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM probe_rows WHERE id = " + id)) {
                rs.next();
                return rs.getInt(1) == 1 ? Deadline.Attempt.done() : Deadline.Attempt.notYet("row not there");
            } catch (SQLException | RuntimeException e) {
                return Deadline.Attempt.notYet(e.getMessage());
            }
        });
    }
}
