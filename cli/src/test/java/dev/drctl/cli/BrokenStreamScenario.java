package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Comparison;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.StreamSupport;

/**
 * Issue 10's data-loss acceptance set-up, for both engines: replica B's stream is broken (PostgreSQL: its
 * {@code primary_conninfo} points nowhere; MariaDB: {@code STOP SLAVE IO_THREAD}) while the primary keeps taking
 * writes for a few seconds; replica A stays in sync; every round is recorded in the store as the daemon would; then
 * the primary is killed with SIGKILL. What a command decides afterwards depends on the store's memory only.
 */
final class BrokenStreamScenario {
    static final Duration WAIT = Duration.ofSeconds(60);

    final LocalTopology topology;
    final NodeName primary;
    final NodeName a;
    final NodeName b;
    /** The primary's last position, after the writes stopped. */
    DataPosition last;
    /** What B holds, after its stream broke. */
    DataPosition bHolds;

    BrokenStreamScenario(LocalTopology topology) {
        this.topology = topology;
        this.primary = topology.primary();
        this.a = topology.replicas().getFirst();
        this.b = topology.replicas().getLast();
    }

    String config() {
        return topology.configFile().toString();
    }

    String cluster() {
        return topology.clusterName().value();
    }

    /** Breaks B, writes for a few seconds, waits for A, records, kills the primary and waits for the recorded failure. */
    BrokenStreamScenario run() throws Exception {
        try (var recorder = new RoundRecorder(topology)) {
            Await.until("a round recorded with " + primary + " writable", WAIT,
                    () -> recorder.memory().lastPrimary().map(primary::equals).orElse(false));
            // Some history both replicas hold, so B's position is not empty when its stream breaks.
            write(Duration.ZERO);
            var before = position(primary);
            Await.until(b + " received " + before.display(), WAIT,
                    () -> position(b).compareWith(before) != Comparison.BEHIND);
            breakStream(b);
            Await.until(b + " not receiving", WAIT, () -> !receiving(b));
            bHolds = position(b);
            write(Duration.ofSeconds(3));
            last = position(primary);
            assertThat(last.compareWith(bHolds)).as("the primary wrote after B stopped receiving")
                    .isEqualTo(Comparison.AHEAD);
            Await.until(a + " received everything up to " + last.display(), WAIT,
                    () -> position(a).compareWith(last) != Comparison.BEHIND);
            Await.until("a round recorded at " + last.display(), WAIT, () -> recorder.memory().lastPosition()
                    .map(p -> p.compareWith(last) != Comparison.BEHIND).orElse(false));
            topology.kill(primary);
            Await.until("the first failure of " + primary + " recorded", WAIT,
                    () -> recorder.memory().firstFailureAt().isPresent());
        }
        return this;
    }

    /** A's entry in a {@code candidates -o json} ranking, by node. */
    static JsonNode ranked(JsonNode candidates, NodeName node) {
        return StreamSupport.stream(candidates.at("/ranking/ranked").spliterator(), false)
                .filter(r -> r.path("node").asText().equals(node.value())).findFirst()
                .orElseThrow(() -> new AssertionError(node + " not ranked: " + candidates.toPrettyString()));
    }

    /** Marks {@code node} no-failover in the topology's config. */
    void noFailover(NodeName node) {
        CliRun.edit(topology.configFile(), y -> y.replace("name: " + node.value() + ",",
                "name: " + node.value() + ", no-failover: true,").replaceAll("(name: \"?" + node.value()
                + "\"?,[^}]*)}", "$1, no-failover: true }"));
    }

    private void breakStream(NodeName replica) throws SQLException {
        try (var c = topology.connect(replica); var s = c.createStatement()) {
            if (topology.engine() == Engine.POSTGRESQL) {
                s.execute("ALTER SYSTEM SET primary_conninfo = 'host=127.0.0.1 port=9 user=nobody connect_timeout=1'");
                s.execute("SELECT pg_reload_conf()");
            } else {
                s.execute("STOP SLAVE IO_THREAD");
            }
        }
    }

    boolean receiving(NodeName replica) {
        try (var c = topology.connect(replica); var s = c.createStatement()) {
            if (topology.engine() == Engine.POSTGRESQL) {
                try (var rs = s.executeQuery("SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")) {
                    rs.next();
                    return rs.getInt(1) > 0;
                }
            }
            try (var rs = s.executeQuery("SHOW SLAVE STATUS")) {
                return rs.next() && "Yes".equalsIgnoreCase(rs.getString("Slave_IO_Running"));
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** The furthest data a node holds: a primary's current position, a replica's received one. */
    DataPosition position(NodeName node) {
        try (var c = topology.connect(node); var s = c.createStatement()) {
            if (topology.engine() == Engine.POSTGRESQL) {
                var sql = node.equals(primary)
                        ? "SELECT pg_current_wal_lsn()::text, ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int"
                        : "SELECT pg_last_wal_receive_lsn()::text, received_tli FROM pg_stat_wal_receiver RIGHT JOIN (SELECT 1) o ON true";
                try (var rs = s.executeQuery(sql)) {
                    rs.next();
                    int tl = rs.getInt(2);
                    return DataPosition.PgLsn.parse(rs.wasNull() || tl == 0 ? 1 : tl, rs.getString(1));
                }
            }
            if (node.equals(primary)) {
                try (var rs = s.executeQuery("SELECT @@GLOBAL.gtid_current_pos")) {
                    rs.next();
                    return new DataPosition.MariadbGtidPos(rs.getString(1));
                }
            }
            // What the probe reads: Gtid_IO_Pos, or the applied gtid_slave_pos when the server shows none.
            String received;
            try (var rs = s.executeQuery("SHOW SLAVE STATUS")) {
                rs.next();
                received = rs.getString("Gtid_IO_Pos");
            }
            if (received == null || received.isBlank()) {
                try (var rs = s.executeQuery("SELECT @@GLOBAL.gtid_slave_pos")) {
                    rs.next();
                    received = rs.getString(1);
                }
            }
            return new DataPosition.MariadbGtidPos(received.strip());
        } catch (SQLException e) {
            throw new AssertionError("reading the position of " + node + ": " + e.getMessage(), e);
        }
    }

    private void write(Duration during) throws SQLException {
        try (var c = topology.connect(primary); var s = c.createStatement()) {
            if (topology.engine() == Engine.POSTGRESQL) {
                s.execute("CREATE TABLE IF NOT EXISTS dataloss_it (id serial PRIMARY KEY, at text)");
            } else {
                s.execute("CREATE DATABASE IF NOT EXISTS dataloss_it");
                s.execute("CREATE TABLE IF NOT EXISTS dataloss_it.t (id INT AUTO_INCREMENT PRIMARY KEY, at VARCHAR(40))");
            }
            var table = topology.engine() == Engine.POSTGRESQL ? "dataloss_it" : "dataloss_it.t";
            var until = Instant.now().plus(during);
            int n = 0;
            // Writes for a while, as an application would: each insert its own transaction.
            while (Instant.now().isBefore(until) || n < 20) {
                s.execute("INSERT INTO " + table + " (at) VALUES ('" + Instant.now() + "')");
                n++;
            }
        }
    }
}
