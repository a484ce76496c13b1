package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.StateStore;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drctl dns show|sync} on the file provider of a real PostgreSQL 1+2 testenv topology. */
class DnsCommandIT {

    @TempDir
    static Path dir;
    static LocalTopology topology;

    @BeforeAll
    static void up() {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir).start();
    }

    @AfterAll
    static void down() {
        if (topology != null) {
            topology.close();
        }
    }

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), Map.of(), "dns-it"));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void showDetectsDriftAndSyncRepairsItJournaled() throws Exception {
        var cfg = topology.configFile().toString();
        var cluster = topology.clusterName().value();
        var primary = topology.primary().value();
        var writerFile = topology.clusterSpec().dns().orElseThrow().file().orElseThrow();

        // testenv up wrote the record (an A record: a CNAME cannot hold 127.0.0.1): a fresh topology is in sync
        var fresh = run("dns", "show", cluster, "-c", cfg);
        assertThat(fresh.exit()).as(fresh.out() + fresh.err()).isZero();
        assertThat(fresh.out()).contains("in sync: the writer record points at the primary").contains(" A ")
                .doesNotContain("CNAME");
        Files.delete(writerFile);

        var absent = run("dns", "show", cluster, "-c", cfg);
        assertThat(absent.exit()).as(absent.out() + absent.err()).isEqualTo(1);
        assertThat(absent.out()).contains("primary   " + primary).contains("DRIFTED: the writer record "
                + cluster + "-rw.testenv.local does not exist");

        var plan = run("dns", "sync", cluster, "--dry-run", "-c", cfg);
        assertThat(plan.exit()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("dry run: would point the writer record at " + primary);
        assertThat(writerFile).doesNotExist();

        var sync = run("dns", "sync", cluster, "-c", cfg);
        assertThat(sync.exit()).as(sync.out() + sync.err()).isZero();
        assertThat(sync.out()).contains("dns sync: applied " + cluster + "-rw.testenv.local A 30 127.0.0.1");
        var written = (ObjectNode) new ObjectMapper().readTree(writerFile.toFile());
        assertThat(written.get("node").asText()).isEqualTo(primary);

        var ok = run("dns", "show", cluster, "-c", cfg);
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("in sync: the writer record points at the primary");

        var again = run("dns", "sync", cluster, "-c", cfg);
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("in sync: " + cluster + "'s writer record already points at " + primary);

        // Someone points the name at a replica behind drctl's back.
        var replica = topology.replicas().getFirst();
        written.put("node", replica.value()).put("port", topology.node(replica).port());
        Files.writeString(writerFile, written.toPrettyString());
        var drifted = run("dns", "show", cluster, "-c", cfg, "-o", "json");
        assertThat(drifted.exit()).isEqualTo(1);
        var json = new ObjectMapper().readTree(drifted.out());
        assertThat(json.get("inSync").asBoolean()).isFalse();
        assertThat(json.get("recordNode").asText()).isEqualTo(replica.value());
        assertThat(json.get("primary").asText()).isEqualTo(primary);
        assertThat(json.get("problem").asText()).contains("pointed at " + replica.value());

        assertThat(run("dns", "sync", cluster, "-c", cfg).exit()).isZero();
        assertThat(run("dns", "show", cluster, "-c", cfg).exit()).isZero();

        try (var store = StateStore.open(topology.drctlConfig().compliance(), Clock.systemUTC(), Set.of())) {
            var entries = store.journal().entries(JournalQuery.all().cluster(topology.clusterName()));
            var steps = entries.stream().filter(e -> e.kind() == JournalKind.STEP_INTENT
                    || e.kind() == JournalKind.STEP_OUTCOME).toList();
            assertThat(steps).hasSize(4);
            assertThat(steps.get(0).kind()).isEqualTo(JournalKind.STEP_INTENT);
            assertThat(steps.get(0).payload()).contains("dns-sync").contains("(absent)");
            assertThat(steps.get(1).kind()).isEqualTo(JournalKind.STEP_OUTCOME);
            assertThat(steps.get(1).payload()).contains("\"applied\"");
            assertThat(steps.get(1).runId()).isEqualTo(steps.get(0).runId());
            assertThat(steps.get(0).runId().orElseThrow()).startsWith("dns-sync-");
            assertThat(steps.get(2).payload()).contains("pointed at " + replica.value());
            assertThat(steps).allSatisfy(e -> assertThat(e.actor().value()).isEqualTo("user:dns-it"));
        }
        assertThat(store_verifies()).isTrue();
    }

    private static boolean store_verifies() {
        var verify = run("audit", "verify", "-c", topology.configFile().toString());
        return verify.exit() == 0;
    }
}
