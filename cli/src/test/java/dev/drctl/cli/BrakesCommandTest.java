package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drctl maintenance on|off} and {@code drctl ack}: journaled with the operator and the reason, seen by
 * {@code drctl status} from the store, and the journal still verifies. No database server is needed: these commands
 * only touch the store.
 */
class BrakesCommandTest {
    static final ClusterName GHOSTS = new ClusterName("ghosts");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), Map.of(), "oncall"));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path config() throws IOException {
        var yaml = """
                clusters:
                  - name: ghosts
                    engine: postgresql
                    credentials: { user: drctl }
                    nodes:
                      - { name: g1, host: 127.0.0.1, port: %d, region: r1 }
                      - { name: g2, host: 127.0.0.1, port: %d, region: r2 }
                compliance:
                  store: "jdbc:sqlite:%s"
                """.formatted(freePort(), freePort(), dir.resolve("drctl.db"));
        var file = dir.resolve("drctl.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static List<JournalEntry> journal(Path file, JournalKind kind) {
        var cfg = ConfigLoader.load(file);
        try (var store = StateStore.open(cfg.compliance(), Clock.systemUTC(), Set.of())) {
            return store.journal().entries(JournalQuery.all().cluster(GHOSTS).kinds(Set.of(kind)));
        }
    }

    @Test
    void maintenanceOnAndOffAreJournaledWithTheOperatorAndShownByStatus() throws IOException {
        var c = config().toString();
        var missing = run("maintenance", "on", "ghosts", "-c", c);
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--reason");
        var blank = run("maintenance", "on", "ghosts", "--reason", " ", "-c", c);
        assertThat(blank.exit()).isEqualTo(2);
        assertThat(blank.err()).contains("--reason is blank").doesNotContain("Exception");
        assertThat(run("maintenance", "on", "nope", "--reason", "x", "-c", c).exit()).as("unknown cluster").isEqualTo(2);

        var on = run("maintenance", "on", "ghosts", "--reason", "kernel upgrade, CHG-4411", "--operator", "alice",
                "-c", c, "-o", "json");
        assertThat(on.exit()).as(on.err()).isZero();
        var json = on.json();
        assertThat(json.get("cluster").asText()).isEqualTo("ghosts");
        assertThat(json.get("maintenance").asBoolean()).isTrue();
        assertThat(json.get("changed").asBoolean()).isTrue();
        assertThat(json.get("by").asText()).isEqualTo("user:alice");
        assertThat(json.get("reason").asText()).isEqualTo("kernel upgrade, CHG-4411");
        assertThat(json.get("journalSeq").asLong()).isPositive();

        var again = run("maintenance", "on", "ghosts", "--reason", "something else", "-c", c);
        assertThat(again.exit()).isZero();
        assertThat(again.out()).startsWith("ghosts was already in maintenance").contains("kernel upgrade, CHG-4411");
        assertThat(journal(Path.of(c), JournalKind.MAINTENANCE_ON)).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo(Actor.user("alice"));
            assertThat(e.payloadTree().path("reason").asText()).isEqualTo("kernel upgrade, CHG-4411");
        });

        var status = run("status", "-c", c);
        assertThat(status.out()).contains("ghosts: in maintenance since ").contains("by user:alice (kernel upgrade, "
                + "CHG-4411): nothing is automated until `drctl maintenance off ghosts` ends it");
        var statusJson = run("status", "-c", c, "-o", "json").json();
        assertThat(statusJson.at("/automation/0/cluster").asText()).isEqualTo("ghosts");
        assertThat(statusJson.at("/automation/0/maintenance/reason").asText()).isEqualTo("kernel upgrade, CHG-4411");
        assertThat(statusJson.at("/automation/0/maintenance/by").asText()).isEqualTo("user:alice");
        assertThat(statusJson.at("/automation/0/maintenance/since").asText()).isNotBlank();
        assertThat(statusJson.at("/breaker/open").asBoolean()).isFalse();
        assertThat(statusJson.at("/breaker/maxFailovers").asInt()).isEqualTo(1);

        var off = run("maintenance", "off", "ghosts", "--reason", "upgrade done", "-c", c);
        assertThat(off.exit()).isZero();
        assertThat(off.out()).startsWith("ghosts is out of maintenance");
        assertThat(journal(Path.of(c), JournalKind.MAINTENANCE_OFF)).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo(Actor.user("oncall"));
            assertThat(e.payloadTree().path("reason").asText()).isEqualTo("upgrade done");
        });
        assertThat(run("maintenance", "off", "ghosts", "-c", c).out()).contains("was not in maintenance");
        assertThat(run("status", "-c", c, "-o", "json").json().at("/automation/0/maintenance").isNull()).isTrue();
        assertThat(run("audit", "verify", "-c", c).exit()).isZero();
    }

    @Test
    void ackClearsTheStoresCooldownJournaledAndLeavesTheBreaker() throws IOException {
        var c = config().toString();
        var nothing = run("ack", "ghosts", "-c", c, "-o", "json");
        assertThat(nothing.exit()).as(nothing.err()).isZero();
        assertThat(nothing.json().get("cleared").asBoolean()).isFalse();
        assertThat(journal(Path.of(c), JournalKind.COOLDOWN_ACKED)).isEmpty();

        // the daemon failed ghosts over a minute ago: its cooldown (10m) runs, and the breaker (1 per 10m) is open
        var failedAt = Instant.now().minus(Duration.ofMinutes(1));
        try (var store = StateStore.open(ConfigLoader.load(Path.of(c)).compliance(), Clock.systemUTC(), Set.of())) {
            store.clusterStates().save(store.clusterStates().load(GHOSTS).withLastFailoverAt(failedAt));
            store.runs().save(RunRecord.started("failover-ghosts-1", RunKind.FAILOVER, GHOSTS, Actor.daemon("h1"),
                    failedAt).withStatus(RunStatus.SUCCEEDED, "promoted g2"));
        }
        var before = run("status", "-c", c, "-o", "json").json();
        assertThat(before.at("/automation/0/cooldownUntil").asText()).isNotBlank();
        assertThat(before.at("/breaker/open").asBoolean()).isTrue();
        assertThat(before.at("/breaker/failovers").asInt()).isEqualTo(1);
        assertThat(run("status", "-c", c).out()).contains("ghosts: cooling down after the failover at ")
                .contains("unless `drctl ack ghosts` clears it")
                .contains("automation: circuit breaker open: 1 automatic failover across all clusters within 10m");

        var ack = run("ack", "ghosts", "--reason", "INC-7: g2 checked", "-c", c);
        assertThat(ack.exit()).as(ack.err()).isZero();
        assertThat(ack.out()).startsWith("cooldown of ghosts cleared").contains(", it would have run until ")
                .contains("the circuit breaker stays open until");
        assertThat(journal(Path.of(c), JournalKind.COOLDOWN_ACKED)).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo(Actor.user("oncall"));
            assertThat(e.payloadTree().path("reason").asText()).isEqualTo("INC-7: g2 checked");
            assertThat(e.payloadTree().path("cooldownUntil").asText()).isNotBlank();
        });
        var after = run("status", "-c", c, "-o", "json").json();
        assertThat(after.at("/automation/0/cooldownUntil").isNull()).as("cleared").isTrue();
        assertThat(after.at("/automation/0/lastFailover").asText()).as("the failover stays on record").isNotBlank();
        assertThat(after.at("/breaker/open").asBoolean()).as("ack does not clear the breaker").isTrue();
        assertThat(run("ack", "ghosts", "-c", c).out()).contains("no cooldown to clear");
        assertThat(run("audit", "verify", "-c", c).exit()).isZero();
    }
}
