package dev.drctl.testenv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** A 1+2 topology from zonky's embedded build, forced on a machine that has PostgreSQL installed too. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedPostgresTopologyIT {
    static final NodeName PG1 = LocalPostgresTopologyIT.PG1;
    static final NodeName PG2 = LocalPostgresTopologyIT.PG2;
    static final NodeName PG3 = LocalPostgresTopologyIT.PG3;

    @TempDir
    static Path dir;
    static LocalTopology topology;

    @BeforeAll
    static void up() {
        try {
            topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir)
                    .postgresBinaries(PostgresBinarySource.EMBEDDED).start();
        } catch (DrctlException e) {
            Assumptions.assumeTrue(e.code() != TestenvErrorCode.SERVER_BINARIES_MISSING,
                    "embedded PostgreSQL not available here: " + e.getMessage());
            throw e;
        }
    }

    @AfterAll
    static void down() {
        if (topology == null) {
            return;
        }
        var pids = LocalPostgresTopologyIT.serverPids(topology);
        topology.close();
        assertThat(pids).isNotEmpty().allSatisfy(pid -> assertThat(ServerProcess.isRunning(pid)).isFalse());
    }

    @Test
    @Order(1)
    void runsTheEmbeddedProgramsWhichHaveNoBaseBackup() throws SQLException {
        var bin = topology.serverFiles(PG1).programs();
        assertThat(bin).startsWith(EmbeddedPostgres.cacheRoot()).endsWith(Path.of("postgresql-"
                + EmbeddedPostgres.VERSION, "bin"));
        assertThat(bin.resolve("pg_basebackup")).doesNotExist();
        try (var c = topology.connect(PG1); var s = c.createStatement(); var rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith(EmbeddedPostgres.VERSION.replaceAll("\\.0$", ""));
        }
    }

    @Test
    @Order(2)
    void bothCopiedReplicasStreamThroughTheirSlots() throws SQLException {
        try (var c = topology.connect(PG1); var s = c.createStatement();
             var rs = s.executeQuery("SELECT slot_name, active FROM pg_replication_slots ORDER BY 1")) {
            var seen = new ArrayList<String>();
            while (rs.next()) {
                seen.add(rs.getString(1) + "/" + rs.getBoolean(2));
            }
            assertThat(seen).containsExactly("pg_2/true", "pg_3/true");
        }
        for (var replica : new NodeName[] {PG2, PG3}) {
            try (var c = topology.connect(replica); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT pg_is_in_recovery(), (SELECT count(*) FROM pg_replication_slots), "
                         + "current_setting('cluster_name')")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as(replica + " in recovery").isTrue();
                assertThat(rs.getInt(2)).as("slots copied to " + replica).isZero();
                assertThat(rs.getString(3)).isEqualTo(replica.value());
            }
            assertThat(Files.exists(topology.serverFiles(replica).dataDir().resolve("standby.signal"))).isTrue();
        }
    }

    @Test
    @Order(3)
    void aRowWrittenOnThePrimaryReachesBothReplicas() throws SQLException {
        try (var c = topology.connect(PG1); var s = c.createStatement()) {
            s.execute("CREATE TABLE probe_rows (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO probe_rows SELECT g, 'row ' || g FROM generate_series(1, 100) g");
        }
        LocalPostgresTopologyIT.awaitRow(topology, PG2, 100);
        LocalPostgresTopologyIT.awaitRow(topology, PG3, 100);
    }
}
