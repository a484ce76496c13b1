package dev.drctl.promotion.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicationDialectTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            8.4.3                      | MYSQL_SOURCE_SYNTAX
            9.1.0                      | MYSQL_SOURCE_SYNTAX
            8.0.23                     | MYSQL_SOURCE_SYNTAX
            8.0.36-log                 | MYSQL_SOURCE_SYNTAX
            8.1.0                      | MYSQL_SOURCE_SYNTAX
            8.0.22                     | MYSQL_8_0_22
            8.0.21-log                 | MYSQL_8_0_LEGACY
            8.0.0                      | MYSQL_8_0_LEGACY
            5.7.44-log                 | MYSQL_5_7
            10.11.6-MariaDB-0+deb12u1  | MARIADB
            5.5.5-10.6.12-MariaDB      | MARIADB
            11.4.2-MariaDB             | MARIADB
            """)
    void dialectFromVersion(String version, ReplicationDialect expected) {
        assertThat(ReplicationDialect.of(version)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            MYSQL_SOURCE_SYNTAX | SHOW REPLICA STATUS | STOP REPLICA | RESET REPLICA ALL | START REPLICA SQL_THREAD | SET PERSIST super_read_only = ON | CHANGE REPLICATION SOURCE TO SOURCE_HOST='db2', SOURCE_PORT=3307, SOURCE_USER='drctl', SOURCE_PASSWORD='pw', GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1 | CHANGE REPLICATION SOURCE TO SOURCE_HOST='db2', SOURCE_PORT=3307, SOURCE_AUTO_POSITION=1
            MYSQL_8_0_22        | SHOW REPLICA STATUS | STOP REPLICA | RESET REPLICA ALL | START REPLICA SQL_THREAD | SET PERSIST super_read_only = ON | CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3307, MASTER_USER='drctl', MASTER_PASSWORD='pw', GET_MASTER_PUBLIC_KEY=1, MASTER_AUTO_POSITION=1 | CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3307, MASTER_AUTO_POSITION=1
            MYSQL_8_0_LEGACY    | SHOW SLAVE STATUS   | STOP SLAVE   | RESET SLAVE ALL   | START SLAVE SQL_THREAD   | SET PERSIST super_read_only = ON | CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3307, MASTER_USER='drctl', MASTER_PASSWORD='pw', GET_MASTER_PUBLIC_KEY=1, MASTER_AUTO_POSITION=1 | CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3307, MASTER_AUTO_POSITION=1
            MYSQL_5_7           | SHOW SLAVE STATUS   | STOP SLAVE   | RESET SLAVE ALL   | START SLAVE SQL_THREAD   | SET GLOBAL super_read_only = ON  | CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3307, MASTER_USER='drctl', MASTER_PASSWORD='pw', MASTER_AUTO_POSITION=1 | CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3307, MASTER_AUTO_POSITION=1
            MARIADB             | SHOW SLAVE STATUS   | STOP SLAVE   | RESET SLAVE ALL   | START SLAVE SQL_THREAD   | SET GLOBAL read_only = ON        | CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3307, MASTER_USER='drctl', MASTER_PASSWORD='pw', MASTER_USE_GTID=slave_pos | CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3307, MASTER_USE_GTID=slave_pos
            """)
    void statementsPerDialect(ReplicationDialect d, String status, String stop, String reset, String startApplier,
                              String readOnly, String changeWithAccount, String changeKeepingAccount) {
        assertThat(d.replicaStatus()).isEqualTo(status);
        assertThat(d.stopReplica()).isEqualTo(stop);
        assertThat(d.resetReplicaAll()).isEqualTo(reset);
        assertThat(d.startApplier()).isEqualTo(startApplier);
        assertThat(d.readOnlyOn()).containsExactly(readOnly);
        var account = new ReplicationDialect.Account("drctl", Optional.of("pw"));
        assertThat(d.changeSource("db2", 3307, Optional.of(account), v -> "'" + v + "'")).isEqualTo(changeWithAccount);
        assertThat(d.changeSource("db2", 3307, Optional.empty(), v -> "'" + v + "'")).isEqualTo(changeKeepingAccount);
    }

    @ParameterizedTest
    @CsvSource({"MYSQL_SOURCE_SYNTAX", "MYSQL_8_0_22"})
    void mysql84StatementsNeverUseTheRemovedSlaveAndMasterWords(ReplicationDialect d) {
        var all = String.join(" ", d.replicaStatus(), d.stopReplica(), d.startReplica(), d.resetReplicaAll(),
                d.stopReceiver(), d.startApplier(), d.columns().toString());
        assertThat(all).doesNotContain("SLAVE").doesNotContain("Slave_").doesNotContain("Master_");
        if (d == ReplicationDialect.MYSQL_SOURCE_SYNTAX) {
            assertThat(d.changeSource("h", 1, Optional.empty(), v -> v)).doesNotContain("MASTER");
        }
    }

    @ParameterizedTest
    @CsvSource({"MARIADB,false", "MYSQL_5_7,false", "MYSQL_8_0_LEGACY,true", "MYSQL_SOURCE_SYNTAX,true"})
    void readOnlyPersistsOnlyWithSetPersist(ReplicationDialect d, boolean persists) {
        assertThat(d.readOnlyPersists()).isEqualTo(persists);
        assertThat(d.readOnlyOff().getLast()).contains("read_only = OFF");
    }

    @ParameterizedTest
    @CsvSource({"''", "banana", "v8"})
    void unrecognisedVersionsAreRefused(String version) {
        assertThatThrownBy(() -> ReplicationDialect.of(version)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unrecognised server version");
    }
}
