package dev.drctl.testenv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.Engine;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code testenv up --sync}: after {@link LocalTopology#makeSynchronous()} the primary's commits wait for a replica —
 * PostgreSQL with a quorum of one among its standbys, MariaDB with semi-synchronous replication switched on at both
 * ends and a replica acknowledging.
 */
class SynchronousReplicationIT {

    static Connection connect(LocalTopology topology, String url) throws SQLException {
        var props = new Properties();
        props.setProperty("user", "drctl");
        props.setProperty("password", topology.password());
        return topology.engine() == Engine.POSTGRESQL ? new org.postgresql.Driver().connect(url, props)
                : new com.mysql.cj.jdbc.Driver().connect(url, withMysql(props));
    }

    static Properties withMysql(Properties p) {
        p.setProperty("sslMode", "DISABLED");
        p.setProperty("allowPublicKeyRetrieval", "true");
        return p;
    }

    @Test
    void postgresqlPrimaryWaitsForAnyOneStandby() throws SQLException {
        try (var topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).start()) {
            topology.makeSynchronous();
            var primary = topology.node(topology.primary());
            try (var c = connect(topology, "jdbc:postgresql://127.0.0.1:" + primary.port() + "/postgres");
                 var s = c.createStatement()) {
                try (var rs = s.executeQuery("SHOW synchronous_standby_names")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("ANY 1 (*)");
                }
                try (var rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'quorum'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isPositive();
                }
            }
        }
    }

    @Test
    void mariadbPrimaryIsSemiSynchronousWithAnAcknowledgingReplica() throws SQLException {
        try (var topology = LocalTopology.builder(Engine.MARIADB).replicas(2).start()) {
            topology.makeSynchronous();
            var primary = topology.node(topology.primary());
            try (var c = connect(topology, "jdbc:mysql://127.0.0.1:" + primary.port() + "/");
                 var s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS synctest");
                s.execute("CREATE TABLE synctest.t (id int primary key)");
                s.execute("INSERT INTO synctest.t VALUES (1)");
                try (var rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN "
                        + "('Rpl_semi_sync_master_status', 'Rpl_semi_sync_master_yes_tx', 'Rpl_semi_sync_master_no_tx')")) {
                    var status = new java.util.HashMap<String, String>();
                    while (rs.next()) {
                        status.put(rs.getString(1), rs.getString(2));
                    }
                    assertThat(status.get("Rpl_semi_sync_master_status")).isEqualTo("ON");
                    assertThat(Long.parseLong(status.get("Rpl_semi_sync_master_yes_tx"))).isPositive();
                    assertThat(status.get("Rpl_semi_sync_master_no_tx")).isEqualTo("0");
                }
            }
        }
    }
}
