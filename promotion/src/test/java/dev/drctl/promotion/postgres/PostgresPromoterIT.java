package dev.drctl.promotion.postgres;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.Properties;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The PostgreSQL promoter against a real 1+2 streaming topology: fence, failover after kill -9, the old primary's
 * return (still read-only), its pg_rewind rejoin, and a switchover back with every acknowledged row kept. The steps
 * build on each other, in order, on one topology.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresPromoterIT {
    static final NodeName PG1 = new NodeName("pg-1");
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static LocalTopology topology;
    static Promoter promoter;
    /** The replica promoted by the failover, and the other one. */
    static NodeSpec newPrimary;
    static NodeSpec otherReplica;

    @BeforeAll
    static void up() throws SQLException {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir).start();
        promoter = Promoters.forCluster(topology.clusterSpec(), Map.of());
        try (var c = topology.connect(PG1); var s = c.createStatement()) {
            s.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text)");
            s.execute("INSERT INTO t SELECT g, 'before' FROM generate_series(1, 100) g");
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

    static NodeSpec spec(String name) {
        return spec(new NodeName(name));
    }

    static long count(NodeName node) throws SQLException {
        try (var c = topology.connect(node); var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void insert(NodeName node, long id) throws SQLException {
        try (var c = topology.connect(node); var s = c.createStatement()) {
            s.executeUpdate("INSERT INTO t VALUES (" + id + ", 'x')");
        }
    }

    static boolean inRecovery(NodeName node) throws SQLException {
        try (var c = topology.connect(node); var s = c.createStatement(); var rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    static RejoinContext local(NodeName node) throws IOException {
        Path bin;
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_rewind")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow();
        }
        var osUser = "root".equals(System.getProperty("user.name")) ? Optional.of("postgres") : Optional.<String>empty();
        return new RejoinContext(Optional.of(new RejoinContext.LocalServer(topology.serverRoot().resolve(node.value()),
                bin, osUser, topology.serverRoot().resolve(node.value() + ".log"))), WAIT);
    }

    static Connection app(NodeName node) throws SQLException {
        return session(node, "app", "app-pw");
    }

    static Connection session(NodeName node, String user, String password) throws SQLException {
        var props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "30");
        return new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + topology.node(node).serverPort()
                + "/postgres", props);
    }

    /** Opens sessions with {@code open} until the server refuses one; returns them and the refusal. */
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

    @Test
    @Order(1)
    void fenceHoldsOnAnOverloadedPrimaryAgainstBeginReadWriteAndEndsItsSessions() throws Exception {
        for (var r : topology.replicas()) {
            Eventually.until(r + " has the 100 rows", WAIT, () -> count(r) == 100);
        }
        try (var c = topology.connect(PG1); var s = c.createStatement()) {
            s.execute("CREATE ROLE app LOGIN PASSWORD 'app-pw'");
            s.execute("GRANT SELECT, INSERT ON t TO app");
        }
        var sessions = new ArrayList<Connection>();
        try {
            // an application writing with explicit BEGIN READ WRITE, which default_transaction_read_only does not stop
            var writer = app(PG1);
            sessions.add(writer);
            // every ordinary slot taken by the application, then the superuser-reserved ones by drctl's own account:
            // the server answers "too many clients" even to drctl
            var appRefused = fillUntilRefused(sessions, () -> app(PG1));
            assertThat(appRefused.getSQLState()).isEqualTo("53300");
            var drctlRefused = fillUntilRefused(sessions, () -> session(PG1, "drctl", topology.password()));
            assertThat(drctlRefused.getSQLState()).isEqualTo("53300");
            var busy = promoter.fence(spec(PG1));
            // alive and unfenced: a failure to act on, never "unreachable" (which a failover would skip)
            assertThat(busy).as(busy.detail()).isInstanceOf(ActionOutcome.Failed.class);
            assertThat(busy.detail()).contains("alive");
            sessions.removeLast().close();

            var fenced = promoter.fence(spec(PG1));
            assertThat(fenced).as(fenced.detail()).isInstanceOf(ActionOutcome.Done.class);
            assertThat(fenced.facts()).containsEntry(ActionOutcome.LOGINS_REVOKED, "app");
            assertThat(Integer.parseInt(fenced.facts().get(ActionOutcome.SESSIONS_ENDED))).isGreaterThan(50);
            // the sessions open before the fence were ended, the BEGIN READ WRITE writer with them
            assertThatThrownBy(() -> {
                try (var st = writer.createStatement()) {
                    st.execute("BEGIN READ WRITE");
                    st.executeUpdate("INSERT INTO t VALUES (999, 'through the fence')");
                }
            }).isInstanceOf(SQLException.class);
            // and the application cannot come back to try BEGIN READ WRITE again
            assertThatThrownBy(() -> app(PG1).close()).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
        } finally {
            for (var c : sessions) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // ended by the fence
                }
            }
        }
        assertThatThrownBy(() -> insert(PG1, 1000)).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
        assertThat(promoter.fence(spec(PG1))).isInstanceOf(ActionOutcome.AlreadyDone.class);
        assertThat(promoter.position(spec(PG1))).isInstanceOfSatisfying(PositionReading.Read.class,
                r -> assertThat(r.writable()).isFalse());
        assertThat(count(PG1)).isEqualTo(100);
    }

    @Test
    @Order(2)
    void failoverAfterKillPromotesTheMostAdvancedReplicaAndRepointsTheOther() throws Exception {
        topology.kill(PG1);
        assertThat(promoter.fence(spec(PG1))).isInstanceOf(ActionOutcome.Unreachable.class);

        var readings = topology.replicas().stream().map(r -> (PositionReading.Read) promoter.position(spec(r))).toList();
        var best = readings.stream().reduce((a, b) -> b.applied().compareWith(a.applied()) == Comparison.AHEAD ? b : a)
                .orElseThrow();
        newPrimary = spec(best.node());
        otherReplica = spec(topology.replicas().stream().filter(n -> !n.equals(best.node())).findFirst().orElseThrow());

        var errant = promoter.errantTransactions(newPrimary, List.of(otherReplica));
        assertThat(errant).isInstanceOfSatisfying(ErrantCheck.Checked.class, c -> assertThat(c.clean()).isTrue());

        assertThat(promoter.awaitApplied(newPrimary, WAIT).succeeded()).isTrue();
        var promoted = promoter.promote(newPrimary);
        assertThat(promoted).isInstanceOf(ActionOutcome.Done.class);
        assertThat(promoted.facts()).containsEntry(ActionOutcome.TIMELINE, "2");
        assertThat(promoter.promote(newPrimary)).isInstanceOf(ActionOutcome.AlreadyDone.class);

        // the fence's role changes reached the candidate with the WAL; the promotion gives exactly those back
        assertThat(promoted.facts()).containsEntry(ActionOutcome.LOGINS_RESTORED, "app");
        try (var c = app(newPrimary.name()); var st = c.createStatement()) {
            st.execute("BEGIN READ WRITE");
            st.executeUpdate("INSERT INTO t VALUES (100000, 'app writes on the new primary')");
            st.execute("ROLLBACK");
        }
        var writable = promoter.verifyWritable(newPrimary);
        assertThat(writable).isInstanceOf(ActionOutcome.Done.class);
        assertThat(writable.facts()).containsEntry(ActionOutcome.TIMELINE, "2");

        var repointed = promoter.repoint(otherReplica, newPrimary);
        assertThat(repointed).isInstanceOf(ActionOutcome.Done.class);
        assertThat(repointed.facts()).containsKey(ActionOutcome.SLOT);
        assertThat(promoter.repoint(otherReplica, newPrimary)).isInstanceOf(ActionOutcome.AlreadyDone.class);
        assertThat(promoter.verifyStreaming(otherReplica, newPrimary, WAIT)).isInstanceOf(ActionOutcome.Done.class);

        insert(newPrimary.name(), 101);
        Eventually.until(otherReplica.name() + " receives the row written on the new primary", WAIT,
                () -> count(otherReplica.name()) == 101);
        // the outcome texts never carry the password
        var password = topology.password();
        for (var o : List.of(promoted, writable, repointed)) {
            assertThat(o.detail() + o.facts()).doesNotContain(password);
        }
    }

    @Test
    @Order(3)
    void theOldPrimaryComesBackStillReadOnlyAndUnwritten() throws Exception {
        topology.start(PG1);
        assertThatThrownBy(() -> insert(PG1, 2000)).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
        assertThat(promoter.position(spec(PG1))).isInstanceOfSatisfying(PositionReading.Read.class, r -> {
            assertThat(r.writable()).isFalse();
            assertThat(r.replica()).isFalse();
            // on the old timeline: not comparable with the new primary's position
            assertThat(r.applied().compareWith(((PositionReading.Read) promoter.position(newPrimary)).applied()))
                    .isEqualTo(Comparison.INCOMPARABLE);
        });
        assertThat(count(PG1)).isEqualTo(100);
    }

    @Test
    @Order(4)
    void aRemoteRejoinOnlyReturnsTheOperatorsCommands() throws Exception {
        var remote = promoter.rejoin(spec(PG1), newPrimary, RejoinContext.remote(WAIT));
        assertThat(remote).isInstanceOf(ActionOutcome.Done.class);
        var commands = remote.facts().get(ActionOutcome.COMMANDS);
        assertThat(commands).contains("pg_rewind --target-pgdata=").contains("port=" + newPrimary.port())
                .contains("standby.signal").doesNotContain(topology.password());
        assertThat(inRecovery(PG1)).isFalse();
    }

    @Test
    @Order(5)
    void rejoinRewindsTheOldPrimaryIntoAReplicaOfTheNewOne() throws Exception {
        var rejoined = promoter.rejoin(spec(PG1), newPrimary, local(PG1));
        assertThat(rejoined).as(rejoined.detail()).isInstanceOf(ActionOutcome.Done.class);
        assertThat(inRecovery(PG1)).isTrue();
        insert(newPrimary.name(), 102);
        try {
            Eventually.until("pg-1 receives a row written on the new primary", WAIT, () -> count(PG1) == 102);
        } catch (AssertionError e) {
            var log = Files.readAllLines(topology.serverRoot().resolve("pg-1.log"));
            System.err.println("PG1LOG " + String.join("\nPG1LOG ", log.subList(Math.max(0, log.size() - 40), log.size())));
            throw e;
        }
        // once it has WAL of the new timeline, it streams on it
        Eventually.until("pg-1 streams on timeline 2", WAIT, () -> "2".equals(
                promoter.verifyStreaming(spec(PG1), newPrimary, Duration.ZERO).facts().get(ActionOutcome.TIMELINE)));
        assertThat(promoter.rejoin(spec(PG1), newPrimary, local(PG1))).isInstanceOf(ActionOutcome.AlreadyDone.class);
        // its own port and config survived pg_rewind (it answers where the config says)
        assertThat(rejoined.detail()).doesNotContain(topology.password());
    }

    @Test
    @Order(6)
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
                    return;   // read-only or terminated: the demotion has begun; stop like a client would fail
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

        var target = spec(PG1);
        Eventually.until("pg-1 reaches the demoted primary's position " + finalPosition.display(), WAIT, () -> {
            var r = promoter.position(target);
            return r instanceof PositionReading.Read read
                    && read.applied().compareWith(finalPosition) != Comparison.BEHIND
                    && read.applied().compareWith(finalPosition) != Comparison.INCOMPARABLE;
        });
        assertThat(promoter.awaitApplied(target, WAIT).succeeded()).isTrue();
        var promoted = promoter.promote(target);
        assertThat(promoted).isInstanceOf(ActionOutcome.Done.class);
        assertThat(promoted.facts()).containsEntry(ActionOutcome.TIMELINE, "3");
        assertThat(promoter.verifyWritable(target)).isInstanceOf(ActionOutcome.Done.class);
        assertThat(promoter.repoint(otherReplica, target).succeeded()).isTrue();
        assertThat(promoter.verifyStreaming(otherReplica, target, WAIT)).isInstanceOf(ActionOutcome.Done.class);
        var back = promoter.rejoin(newPrimary, target, local(newPrimary.name()));
        assertThat(back).as(back.detail()).isInstanceOf(ActionOutcome.Done.class);

        long expected = 102 + acknowledged.size();
        try (var c = topology.connect(PG1); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM t WHERE id >= 10000")) {
            rs.next();
            assertThat(rs.getLong(1)).as("every acknowledged insert is on the new primary").isEqualTo(acknowledged.size());
        }
        assertThat(count(PG1)).isEqualTo(expected);
        insert(PG1, 103);
        for (var n : List.of(otherReplica.name(), newPrimary.name())) {
            Eventually.until(n + " follows pg-1 again", WAIT, () -> count(n) == expected + 1);
        }
    }
}
