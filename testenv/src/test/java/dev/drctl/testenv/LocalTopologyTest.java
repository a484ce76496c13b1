package dev.drctl.testenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the builder refuses before it starts anything. */
class LocalTopologyTest {
    @TempDir
    Path empty;

    @Test
    void missingPostgresBinariesNameTheProgramAndThePackage() {
        assertThatThrownBy(() -> LocalTopology.builder(Engine.POSTGRESQL).binariesUnder(empty).start())
                .isInstanceOfSatisfying(DrctlException.class,
                        e -> assertThat(e.code()).isEqualTo(TestenvErrorCode.SERVER_BINARIES_MISSING))
                .hasMessage("PostgreSQL server program initdb not found under " + empty
                        + "/*/bin; install the Debian package postgresql (apt-get install postgresql)");
    }

    @Test
    void missingMariadbBinariesNameTheProgramAndThePackage() {
        assertThatThrownBy(() -> LocalTopology.builder(Engine.MARIADB).binariesUnder(empty).start())
                .isInstanceOfSatisfying(DrctlException.class,
                        e -> assertThat(e.code()).isEqualTo(TestenvErrorCode.SERVER_BINARIES_MISSING))
                .hasMessageContaining("MariaDB server program mariadb-install-db not found in [" + empty + "]")
                .hasMessageEndingWith("install the Debian package mariadb-server (apt-get install mariadb-server)");
    }

    @Test
    void aTopologyNeedsAReplicaAndOneRegionPerNode() {
        assertThatThrownBy(() -> LocalTopology.builder(Engine.POSTGRESQL).replicas(0).start())
                .hasMessage("a topology needs at least 1 replica (asked for 0)");
        assertThatThrownBy(() -> LocalTopology.builder(Engine.MARIADB).replicas(1).regions("a", "b", "c").start())
                .hasMessage("regions [a, b, c] name 3 nodes, the topology has 2 (primary first)");
    }

    @Test
    void proxiesCannotOutliveTheirJvm() {
        assertThatThrownBy(() -> LocalTopology.builder(Engine.POSTGRESQL).proxied(true).keepRunningAfterExit(true)
                .start()).hasMessageContaining("cannot outlive its JVM");
    }

    @Test
    void mysqlNeedsContainers() {
        assertThatThrownBy(() -> LocalTopology.builder(Engine.MYSQL).start())
                .hasMessageContaining("MySQL needs containers");
    }

    @Test
    void configDurationsUseTheLargestExactUnit() {
        assertThat(ConfigFile.duration(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(ConfigFile.duration(Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(ConfigFile.duration(Duration.ofMillis(800))).isEqualTo("800ms");
        assertThat(ConfigFile.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(ConfigFile.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void slotNamesAreWhatPostgresAccepts() {
        assertThat(LocalPostgresTopology.slotName(new NodeName("pg-2"))).isEqualTo("pg_2");
        assertThat(LocalPostgresTopology.slotName(new NodeName("PG.Mum-1"))).isEqualTo("pg_mum_1");
    }

    @Test
    void extraListenAddressesAreLoopbackOnly() {
        for (var address : java.util.List.of("0.0.0.0", "10.0.0.1", "127.0.0.256", "127.1", "::1", "localhost")) {
            assertThatThrownBy(() -> LocalTopology.builder(Engine.MARIADB)
                    .listenAlso(java.util.List.of(java.util.List.of("127.0.1.1", address))).start())
                    .isInstanceOfSatisfying(DrctlException.class,
                            e -> assertThat(e.code()).isEqualTo(TestenvErrorCode.BAD_REQUEST))
                    .hasMessage("'" + address + "' is not an IPv4 address in 127.0.0.0/8: local servers listen on"
                            + " loopback addresses only");
        }
    }

    @Test
    void extraListenAddressesFitTheTopologyAndPostgresLimit() {
        var one = java.util.List.of("127.0.1.1");
        assertThatThrownBy(() -> LocalTopology.builder(Engine.MARIADB).replicas(1).listenAlso(
                java.util.List.of(one, one, one)).start())
                .hasMessage("listen addresses are given for 3 nodes, the topology has 2 (primary first)");
        var many = java.util.stream.IntStream.rangeClosed(1, 64).mapToObj(i -> "127.0.1." + i).toList();
        assertThatThrownBy(() -> LocalTopology.builder(Engine.POSTGRESQL).listenAlso(java.util.List.of(many)).start())
                .hasMessage("PostgreSQL listens on at most 64 addresses (63 besides 127.0.0.1); use MariaDB or a"
                        + " forwarder for more");
        assertThatThrownBy(() -> LocalTopology.builder(Engine.MARIADB).maxConnections(-1).start())
                .hasMessage("max connections must not be negative: -1");
    }
}
