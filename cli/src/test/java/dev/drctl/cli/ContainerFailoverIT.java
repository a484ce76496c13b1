package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.containers.ContainerEngine;
import dev.drctl.containers.ContainerTopology;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drctl failover} on a 1+2 topology in containers (podman here, see {@code .ci/container-engine}), per engine:
 * a steady insert workload, the primary's container killed while rounds are recorded, the failover promotes a replica,
 * the workload goes on on it, the other replica follows it, and no acknowledged insert is missing. The same path as
 * the local environment's {@code FailoverCommandIT} and {@code MariadbCommandsIT}; skipped, with the reason, where no
 * container engine answers.
 */
class ContainerFailoverIT {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    ContainerTopology topology;

    static ContainerEngine.Check engine;

    @BeforeAll
    static void engine() {
        engine = ContainerEngine.check();
        System.out.println(engine.sentence());
    }

    /** Per test, so each one is reported skipped with the reason. */
    @BeforeEach
    void engineReachable() {
        Assumptions.assumeTrue(engine instanceof ContainerEngine.Check.Reachable, engine::sentence);
    }

    @AfterEach
    void down() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void postgresqlPrimaryKilledInItsContainerIsFailedOver() throws Exception {
        topology = ContainerTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir).start();
        var old = topology.primary();
        // synchronous to at least one standby: an acknowledged commit is on a replica when the primary dies
        try (var c = topology.connect(old); var s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET synchronous_standby_names = 'ANY 1 (*)'");
            s.execute("SELECT pg_reload_conf()");
        }
        failOver(old, false);
    }

    @Test
    void mariadbPrimaryKilledInItsContainerIsFailedOver() throws Exception {
        topology = ContainerTopology.builder(Engine.MARIADB).replicas(2).dir(dir).start();
        failOver(topology.primary(), true);
    }

    private void failOver(NodeName old, boolean asynchronous) throws Exception {
        var config = topology.configFile().toString();
        var cluster = topology.clusterName().value();
        try (var workload = new Workload(topology, old, "containers")) {
            workload.awaitMore(50, WAIT);
            if (asynchronous) {
                // no insert in flight, and both replicas hold every acknowledged one
                workload.pause();
                var acked = workload.acked();
                for (var replica : topology.replicas()) {
                    Await.until(replica + " holds every acknowledged insert", WAIT,
                            () -> workload.rowsOn(replica).containsAll(acked));
                }
            }
            var pid = topology.node(old).pid().orElseThrow();
            RoundRecorder.killWatched(topology, old);
            assertThat(topology.node(old).running()).isFalse();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("the killed container's server process " + pid).isFalse();
            if (asynchronous) {
                workload.resume();
            }

            var run = CliRun.of("failover", cluster, "-c", config, "-o", "json");
            assertThat(run.exit()).as(run.all()).isZero();
            var json = run.json();
            var promoted = new NodeName(json.at("/facts/newPrimary").asText());
            assertThat(topology.replicas()).contains(promoted);
            assertThat(json.at("/facts/oldPrimary").asText()).isEqualTo(old.value());
            assertThat(json.at("/record/status").asText()).isEqualTo("SUCCEEDED");
            assertThat(run.err()).contains("[ok]       promote");
            assertThat(run.all()).doesNotContain(topology.password());

            workload.target(promoted);
            workload.awaitMore(50, WAIT);
            var other = topology.replicas().stream().filter(n -> !n.equals(promoted)).findFirst().orElseThrow();
            var promotedPort = topology.node(promoted).serverPort();
            Await.until(other + " follows " + promoted, WAIT, () -> upstreamPort(other) == promotedPort);
            workload.close();
            assertThat(workload.rowsOn(promoted)).as("every acknowledged insert is on the new primary")
                    .containsAll(workload.acked());
        }
    }

    /** The port {@code replica} replicates from now, 0 when it does not stream. */
    private int upstreamPort(NodeName replica) {
        var query = topology.engine() == Engine.POSTGRESQL
                ? "SELECT sender_port FROM pg_stat_wal_receiver WHERE status = 'streaming'" : "SHOW SLAVE STATUS";
        try (var c = topology.connect(replica); var s = c.createStatement(); var rs = s.executeQuery(query)) {
            if (!rs.next()) {
                return 0;
            }
            if (topology.engine() == Engine.POSTGRESQL) {
                return rs.getInt(1);
            }
            return "Yes".equals(rs.getString("Slave_IO_Running")) ? rs.getInt("Master_Port") : 0;
        } catch (SQLException e) {
            return 0;
        }
    }
}
