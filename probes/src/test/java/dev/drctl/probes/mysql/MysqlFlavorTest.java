package dev.drctl.probes.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MysqlFlavorTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            8.4.3                       | MYSQL_REPLICA_SYNTAX | SHOW REPLICA STATUS | Replica_IO_Running | Source_Host | Seconds_Behind_Source | Retrieved_Gtid_Set
            9.1.0                       | MYSQL_REPLICA_SYNTAX | SHOW REPLICA STATUS | Replica_IO_Running | Source_Host | Seconds_Behind_Source | Retrieved_Gtid_Set
            8.1.0                       | MYSQL_REPLICA_SYNTAX | SHOW REPLICA STATUS | Replica_IO_Running | Source_Host | Seconds_Behind_Source | Retrieved_Gtid_Set
            8.0.22                      | MYSQL_REPLICA_SYNTAX | SHOW REPLICA STATUS | Replica_IO_Running | Source_Host | Seconds_Behind_Source | Retrieved_Gtid_Set
            8.0.36-commercial           | MYSQL_REPLICA_SYNTAX | SHOW REPLICA STATUS | Replica_IO_Running | Source_Host | Seconds_Behind_Source | Retrieved_Gtid_Set
            8.0.21                      | MYSQL_SLAVE_SYNTAX   | SHOW SLAVE STATUS   | Slave_IO_Running   | Master_Host | Seconds_Behind_Master | Retrieved_Gtid_Set
            8.0.11-log                  | MYSQL_SLAVE_SYNTAX   | SHOW SLAVE STATUS   | Slave_IO_Running   | Master_Host | Seconds_Behind_Master | Retrieved_Gtid_Set
            5.7.44-log                  | MYSQL_SLAVE_SYNTAX   | SHOW SLAVE STATUS   | Slave_IO_Running   | Master_Host | Seconds_Behind_Master | Retrieved_Gtid_Set
            10.11.19-MariaDB-0+deb12u1  | MARIADB              | SHOW SLAVE STATUS   | Slave_IO_Running   | Master_Host | Seconds_Behind_Master | Gtid_IO_Pos
            10.4.34-MariaDB             | MARIADB              | SHOW SLAVE STATUS   | Slave_IO_Running   | Master_Host | Seconds_Behind_Master | Gtid_IO_Pos
            11.4.2-MariaDB-ubu2404      | MARIADB              | SHOW SLAVE STATUS   | Slave_IO_Running   | Master_Host | Seconds_Behind_Master | Gtid_IO_Pos
            5.5.5-10.11.6-MariaDB       | MARIADB              | SHOW SLAVE STATUS   | Slave_IO_Running   | Master_Host | Seconds_Behind_Master | Gtid_IO_Pos
            """)
    void versionChoosesTheStatementsAndColumns(String version, MysqlFlavor flavor, String statement, String io,
                                               String host, String behind, String received) {
        var detected = MysqlFlavor.of(version);
        assertThat(detected).isEqualTo(flavor);
        var q = detected.queries();
        assertThat(q.replicaStatus()).isEqualTo(statement);
        assertThat(q.ioRunning()).isEqualTo(io);
        assertThat(q.sqlRunning()).isEqualTo(io.replace("_IO_", "_SQL_"));
        assertThat(q.sourceHost()).isEqualTo(host);
        assertThat(q.sourcePort()).isEqualTo(host.replace("_Host", "_Port"));
        assertThat(q.secondsBehind()).isEqualTo(behind);
        assertThat(q.receivedPosition()).isEqualTo(received);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            8.4.3                  | super_read_only
            5.7.44                 | super_read_only
            10.11.19-MariaDB       | gtid_slave_pos
            """)
    void variablesFollowTheEngine(String version, String mentions) {
        assertThat(MysqlFlavor.of(version).queries().variables()).contains(mentions);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "mysql", "eight.0.1"})
    void anUnrecognisedVersionIsNamed(String version) {
        assertThatThrownBy(() -> MysqlFlavor.of(version))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unrecognised server version '" + version + "'");
    }
}
