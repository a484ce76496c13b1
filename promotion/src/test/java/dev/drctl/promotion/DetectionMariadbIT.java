package dev.drctl.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;

/** Ranking on a real MariaDB primary with two GTID replicas: a replica whose SQL thread stopped ranks below. */
class DetectionMariadbIT {
    static LocalTopology topology;

    @BeforeAll
    static void up() {
        topology = LocalTopology.builder(Engine.MARIADB).replicas(2).clusterName("detect-maria").start();
    }

    @AfterAll
    static void down() {
        if (topology != null) {
            topology.close();
        }
    }

    static void sql(NodeName node, String... statements) throws SQLException {
        try (var c = topology.connect(node); var s = c.createStatement()) {
            for (var st : statements) {
                s.execute(st);
            }
        }
    }

    @Test
    void aReplicaWithItsSqlThreadStoppedRanksBelowAnUpToDateOne() throws SQLException {
        var lagging = topology.replicas().get(0);
        var upToDate = topology.replicas().get(1);
        try (var w = new DetectorWatch(topology.clusterSpec())) {
            w.await("healthy cluster", Duration.ofSeconds(30), a -> a.verdict() instanceof ClusterVerdict.Healthy);
            sql(lagging, "STOP SLAVE SQL_THREAD");
            try {
                sql(topology.primary(), "CREATE DATABASE IF NOT EXISTS detection_it",
                        "CREATE TABLE IF NOT EXISTS detection_it.t (id int primary key, pad text)");
                for (int i = 0; i < 50; i++) {
                    sql(topology.primary(), "INSERT INTO detection_it.t VALUES (" + i + ", repeat('x', 100))");
                }
                var a = w.await("the stopped replica ranked last", Duration.ofSeconds(30), x ->
                        x.ranking().ranked().size() == 2 && x.ranking().ranked().get(0).node().equals(upToDate)
                                && x.verdict() instanceof ClusterVerdict.ReplicaProblems);
                var last = a.ranking().ranked().get(1);
                assertThat(last.node()).isEqualTo(lagging);
                assertThat(last.reason()).as(last.reason()).containsAnyOf("behind " + upToDate + " on data", "but lag");
                assertThat(a.verdict().summary()).contains(lagging + ": apply stopped");
            } finally {
                sql(lagging, "START SLAVE SQL_THREAD");
            }
        }
    }
}
