package dev.drctl.promotion.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.promotion.ActionOutcome;
import dev.drctl.promotion.ErrantCheck;
import dev.drctl.promotion.Eventually;
import dev.drctl.promotion.PositionReading;
import dev.drctl.promotion.Promoter;
import dev.drctl.promotion.Promoters;
import dev.drctl.promotion.RejoinContext;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Comparison;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MariaDB promoter against a real 1+2 GTID topology: fence, failover after kill -9, the old primary's return
 * (fenced again: MariaDB cannot persist read_only), its GTID rejoin, a switchover back with every acknowledged row
 * kept, and the refusal to rejoin a node with errant transactions. Writes come from an application account without
 * admin privileges, the way clients write (drctl's own account may write through read_only).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariadbPromoterIT {
    static final NodeName MDB1 = new NodeName("mdb-1");
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static LocalTopology topology;
    static Promoter promoter;
    static NodeSpec newPrimary;
    static NodeSpec otherReplica;

    @BeforeAll
    static void up() throws SQLException {
        topology = LocalTopology.builder(Engine.MARIADB).replicas(2).dir(dir).start();
        promoter = Promoters.forCluster(topology.clusterSpec(), Map.of());
        try (var c = topology.connect(MDB1); var s = c.createStatement()) {
            s.execute("CREATE DATABASE app");
            s.execute("CREATE TABLE app.t (id BIGINT PRIMARY KEY, v VARCHAR(16))");
            s.execute("CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY 'app-pw'");
            s.execute("GRANT SELECT, INSERT ON app.* TO 'app'@'127.0.0.1'");
            for (int i = 1; i <= 100; i++) {
                s.executeUpdate("INSERT INTO app.t VALUES (" + i + ", 'before')");
            }
        }
    }

    @AfterAll
    static void down() {
        if (promoter != null) {
            promoter.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    static NodeSpec spec(NodeName name) {
        return topology.clusterSpec().node(name).orElseThrow();
    }

    static Connection app(NodeName node) throws SQLException {
        var props = new Properties();
        props.setProperty("user", "app");
        props.setProperty("password", "app-pw");
        props.setProperty("sslMode", "DISABLED");
        props.setProperty("connectTimeout", "5000");
        props.setProperty("socketTimeout", "30000");
        return new com.mysql.cj.jdbc.Driver().connect("jdbc:mysql://127.0.0.1:" + topology.node(node).serverPort() + "/app",
                props);
    }

    static Connection drctl(NodeName node) throws SQLException {
        var props = new Properties();
        props.setProperty("user", "drctl");
        props.setProperty("password", topology.password());
        props.setProperty("sslMode", "DISABLED");
        props.setProperty("connectTimeout", "5000");
        return new com.mysql.cj.jdbc.Driver().connect("jdbc:mysql://127.0.0.1:" + topology.node(node).serverPort() + "/",
                props);
    }

    /** Opens sessions with {@code open} until the server refuses one; returns the refusal. */
    static SQLException fillUntilRefused(java.util.List<Connection> into, java.util.concurrent.Callable<Connection> open)
            throws Exception {
        for (int i = 0; i < 200; i++) {
            try {
                into.add(open.call());
            } catch (SQLException e) {
                return e;
            }
        }
        throw new AssertionError("200 sessions and no refusal: max_connections is not in force");
    }

    static void insert(NodeName node, long id) throws SQLException {
        try (var c = app(node); var s = c.createStatement()) {
            s.executeUpdate("INSERT INTO t VALUES (" + id + ", 'x')");
        }
    }

    static long count(NodeName node) throws SQLException {
        try (var c = topology.connect(node); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM app.t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(1)
    void fenceMakesALivePrimaryRefuseWritesAndKillsClientsButNotReplication() throws Exception {
        for (var r : topology.replicas()) {
            Eventually.until(r + " has the 100 rows", WAIT, () -> count(r) == 100);
        }
        var sessions = new java.util.ArrayList<Connection>();
        try (var before = app(MDB1)) {
            // every ordinary slot taken by the application ("Too many connections", 1040 / 08004), then the one
            // extra slot MariaDB keeps for SUPER by drctl's own account: the server refuses even drctl
            var appRefused = fillUntilRefused(sessions, () -> app(MDB1));
            assertThat(appRefused.getErrorCode()).isEqualTo(1040);
            var drctlRefused = fillUntilRefused(sessions, () -> drctl(MDB1));
            assertThat(drctlRefused.getErrorCode()).isEqualTo(1040);
            var busy = promoter.fence(spec(MDB1));
            // alive and unfenced: a failure the runbook acts on, never "unreachable" (a failover would skip it)
            assertThat(busy).as(busy.detail()).isInstanceOf(ActionOutcome.Failed.class);
            assertThat(busy.detail()).contains("alive");
            // the extra SUPER slot free again: drctl gets in although the application still holds every other one
            sessions.removeLast().close();

            var fenced = promoter.fence(spec(MDB1));
            assertThat(fenced).as(fenced.detail()).isInstanceOf(ActionOutcome.Done.class);
            assertThat(fenced.facts()).containsKey(ActionOutcome.NOTE).containsEntry(ActionOutcome.PERSISTENT, "false");
            assertThat(Integer.parseInt(fenced.facts().get(ActionOutcome.SESSIONS_ENDED))).isGreaterThan(40);
            assertThatThrownBy(() -> before.createStatement().executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
        } finally {
            for (var c : sessions) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // killed by the fence
                }
            }
        }
        // what the fence ladder does for a server drctl runs: read_only survives a restart (MariaDB cannot persist it)
        assertThat(topology.holdReadOnly(MDB1)).contains("read_only = ON");
        assertThatThrownBy(() -> insert(MDB1, 1000)).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1290));
        assertThat(promoter.fence(spec(MDB1))).isInstanceOf(ActionOutcome.AlreadyDone.class);
        // the replicas' binlog dump threads were spared: they still stream
        for (var r : topology.replicas()) {
            assertThat(promoter.verifyStreaming(spec(r), spec(MDB1), WAIT)).isInstanceOf(ActionOutcome.Done.class);
        }
    }

    @Test
    @Order(2)
    void failoverAfterKillPromotesTheMostAdvancedReplicaAndRepointsTheOther() throws Exception {
        topology.kill(MDB1);
        assertThat(promoter.fence(spec(MDB1))).isInstanceOf(ActionOutcome.Unreachable.class);

        var readings = topology.replicas().stream().map(r -> (PositionReading.Read) promoter.position(spec(r))).toList();
        var best = readings.stream().reduce((a, b) -> b.applied().compareWith(a.applied()) == Comparison.AHEAD ? b : a)
                .orElseThrow();
        newPrimary = spec(best.node());
        otherReplica = spec(topology.replicas().stream().filter(n -> !n.equals(best.node())).findFirst().orElseThrow());
        assertThat(promoter.errantTransactions(newPrimary, List.of(otherReplica)))
                .isInstanceOfSatisfying(ErrantCheck.Checked.class, c -> assertThat(c.clean()).isTrue());

        assertThat(promoter.awaitApplied(newPrimary, WAIT).succeeded()).isTrue();
        assertThat(promoter.promote(newPrimary)).isInstanceOf(ActionOutcome.Done.class);
        assertThat(promoter.promote(newPrimary)).isInstanceOf(ActionOutcome.AlreadyDone.class);
        assertThat(promoter.verifyWritable(newPrimary)).isInstanceOf(ActionOutcome.Done.class);

        var repointed = promoter.repoint(otherReplica, newPrimary);
        assertThat(repointed).isInstanceOf(ActionOutcome.Done.class);
        assertThat(promoter.repoint(otherReplica, newPrimary)).isInstanceOf(ActionOutcome.AlreadyDone.class);
        assertThat(promoter.verifyStreaming(otherReplica, newPrimary, WAIT)).isInstanceOf(ActionOutcome.Done.class);

        insert(newPrimary.name(), 101);
        Eventually.until(otherReplica.name() + " receives the row written on the new primary", WAIT,
                () -> count(otherReplica.name()) == 101);
        // the replica kept its own replication account: drctl never needed the repl password
        try (var c = topology.connect(otherReplica.name()); var s = c.createStatement();
             var rs = s.executeQuery("SHOW SLAVE STATUS")) {
            rs.next();
            assertThat(rs.getString("Master_User")).isEqualTo("repl");
        }
    }

    @Test
    @Order(3)
    void theOldPrimaryComesBackAndIsFencedOnSight() throws Exception {
        topology.start(MDB1);
        // the fence was held in its option file: the restarted old primary comes back read-only, never a second writer
        assertThat(promoter.position(spec(MDB1))).isInstanceOfSatisfying(PositionReading.Read.class,
                r -> assertThat(r.writable()).isFalse());
        assertThat(promoter.fence(spec(MDB1))).isInstanceOf(ActionOutcome.AlreadyDone.class);
        assertThatThrownBy(() -> insert(MDB1, 2000)).isInstanceOf(SQLException.class);
        assertThat(count(MDB1)).isEqualTo(100);
    }

    @Test
    @Order(4)
    void rejoinRepointsTheOldPrimaryByGtid() throws Exception {
        var rejoined = promoter.rejoin(spec(MDB1), newPrimary, RejoinContext.remote(WAIT));
        assertThat(rejoined).as(rejoined.detail()).isInstanceOf(ActionOutcome.Done.class);
        insert(newPrimary.name(), 102);
        Eventually.until("mdb-1 receives the rows written on the new primary", WAIT, () -> count(MDB1) == 102);
        assertThat(promoter.rejoin(spec(MDB1), newPrimary, RejoinContext.remote(WAIT)))
                .isInstanceOf(ActionOutcome.AlreadyDone.class);
        assertThat(rejoined.detail()).doesNotContain(topology.password());
    }

    @Test
    @Order(5)
    void switchoverBackToTheOldPrimaryLosesNoAcknowledgedWrite() throws Exception {
        var acknowledged = new ConcurrentLinkedQueue<Long>();
        var stop = new AtomicBoolean();
        var writer = Thread.ofVirtual().start(() -> {
            long id = 10_000;
            while (!stop.get()) {
                try {
                    insert(newPrimary.name(), id);
                    acknowledged.add(id);
                } catch (SQLException | RuntimeException e) {
                    return;
                }
                id++;
            }
        });
        Eventually.until("the workload wrote some rows", WAIT, () -> acknowledged.size() >= 20);
        var demoted = promoter.demote(newPrimary);
        assertThat(demoted).isInstanceOf(ActionOutcome.Done.class);
        writer.join(WAIT.toMillis());
        stop.set(true);
        var finalPosition = ((PositionReading.Read) promoter.position(newPrimary)).applied();

        var target = spec(MDB1);
        Eventually.until("mdb-1 reaches " + finalPosition.display(), WAIT, () ->
                promoter.position(target) instanceof PositionReading.Read r
                        && (r.applied().compareWith(finalPosition) == Comparison.EQUAL
                        || r.applied().compareWith(finalPosition) == Comparison.AHEAD));
        assertThat(promoter.awaitApplied(target, WAIT).succeeded()).isTrue();
        assertThat(promoter.promote(target)).isInstanceOf(ActionOutcome.Done.class);
        assertThat(promoter.verifyWritable(target)).isInstanceOf(ActionOutcome.Done.class);
        assertThat(promoter.repoint(otherReplica, target).succeeded()).isTrue();
        assertThat(promoter.verifyStreaming(otherReplica, target, WAIT)).isInstanceOf(ActionOutcome.Done.class);
        var back = promoter.rejoin(newPrimary, target, RejoinContext.remote(WAIT));
        assertThat(back).as(back.detail()).isInstanceOf(ActionOutcome.Done.class);

        try (var c = topology.connect(MDB1); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM app.t WHERE id >= 10000")) {
            rs.next();
            assertThat(rs.getLong(1)).as("every acknowledged insert is on the new primary").isEqualTo(acknowledged.size());
        }
        long expected = 102 + acknowledged.size();
        assertThat(count(MDB1)).isEqualTo(expected);
        insert(MDB1, 103);
        for (var n : List.of(otherReplica.name(), newPrimary.name())) {
            Eventually.until(n + " follows mdb-1 again", WAIT, () -> count(n) == expected + 1);
        }
    }

    @Test
    @Order(6)
    void rejoinRefusesANodeWithErrantTransactionsAndNamesThem() throws Exception {
        var primary = spec(MDB1);
        var errantNode = otherReplica;
        try (var c = topology.connect(errantNode.name()); var s = c.createStatement()) {
            s.execute("STOP SLAVE");
            s.execute("RESET SLAVE ALL");
            // a local write, as a careless admin would make on a replica: a transaction the primary never saw
            s.execute("SET SESSION gtid_domain_id = 9");
            s.executeUpdate("INSERT INTO app.t VALUES (99999, 'errant')");
        }
        var check = promoter.errantTransactions(primary, List.of(errantNode));
        assertThat(check).isInstanceOfSatisfying(ErrantCheck.Checked.class,
                c -> assertThat(c.missingOnCandidate().get(errantNode.name())).startsWith("9-"));
        var refused = promoter.rejoin(errantNode, primary, RejoinContext.remote(WAIT));
        assertThat(refused).isInstanceOf(ActionOutcome.Refused.class);
        assertThat(refused.facts().get(ActionOutcome.ERRANT)).startsWith("9-");
        assertThat(refused.detail()).contains("lacks");
        try (var c = topology.connect(errantNode.name()); var s = c.createStatement();
             var rs = s.executeQuery("SHOW SLAVE STATUS")) {
            assertThat(rs.next()).as("nothing was changed on the refused node").isFalse();
        }
    }
}
