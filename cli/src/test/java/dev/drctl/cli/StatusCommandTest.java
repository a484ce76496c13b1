package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.compliance.Actor;
import dev.drctl.compliance.OutboxMessage;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.topology.ClusterName;
import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drctl status} against nodes that are not there: every row says so, and the exit code is 1. */
class StatusCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(Map<String, String> env, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), env));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path config(String passwordLine) throws IOException {
        int a = freePort();
        int b = freePort();
        var yaml = """
                clusters:
                  - name: ghosts
                    engine: postgresql
                    credentials: { user: drctl%s }
                    nodes:
                      - { name: g1, host: 127.0.0.1, port: %d, region: r1 }
                      - { name: g2, host: 127.0.0.1, port: %d, region: r2 }
                compliance:
                  store: "jdbc:sqlite:%s"
                """.formatted(passwordLine, a, b, dir.resolve("drctl.db"));
        var file = dir.resolve("drctl.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void theDaemonsVerdictReadsInLowerCaseWordsLikeTheOtherValues() {
        assertThat(StatusCommand.verdictWords("PrimaryDead")).isEqualTo("primary dead");
        assertThat(StatusCommand.verdictWords("ReplicaProblems")).isEqualTo("replica problems");
        assertThat(StatusCommand.verdictWords("Healthy")).isEqualTo("healthy");
        assertThat(StatusCommand.verdictWords("none")).isEqualTo("none");
    }

    @Test
    void aDaemonNotHeardFromLatelyIsSaidSoAndNotTakenAsKnowingNow() {
        var now = java.time.Instant.parse("2026-11-28T17:40:00Z");
        var stale = new StatusCommand.Daemon("pay", "daemon:db-1:4242", "auto", "Healthy", "all healthy", null,
                "2026-11-28T17:39:31Z", false);
        assertThat(StatusCommand.daemonLine(stale, now)).isEqualTo(
                "daemon on pay: not heard from for 29 s (last daemon:db-1:4242); is drctl run running?");
        var fresh = new StatusCommand.Daemon("pay", "daemon:db-1:4242", "auto", "PrimaryDead", "p1 down",
                "failover", "2026-11-28T17:39:59Z", true);
        assertThat(StatusCommand.daemonLine(fresh, now)).isEqualTo(
                "daemon daemon:db-1:4242 (auto) on pay: primary dead, running failover (as of 1 s ago)");
    }

    @Test
    void nodesNobodyListensOnAreRefusedAndTheExitCodeIsOne() throws IOException {
        var r = run(Map.of(), "status", "-c", config("").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("CLUSTER", "NODE", "REGION", "ROLE", "REACHABLE", "POSITION", "LAG", "STREAM",
                "LATENCY");
        assertThat(r.out().lines().filter(l -> l.startsWith("ghosts ")).toList())
                .hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("refused"));
        assertThat(r.out()).contains("ghosts/g1: refused: connection refused from 127.0.0.1:")
                .contains("2 node(s), 2 did not answer");
        assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("NO PRIMARY: ghosts — no node answered");
    }

    @Test
    void anUnfinishedRunIsNamedWithTheCommandThatFinishesIt() throws IOException {
        var file = config("");
        var cfg = ConfigLoader.load(file);
        try (var store = StateStore.open(cfg.compliance(), Clock.systemUTC(), Set.of())) {
            store.runs().save(RunRecord.started("failover-ghosts-1", RunKind.FAILOVER, new ClusterName("ghosts"),
                    Actor.user("tester"), Instant.now()));
        }
        var r = run(Map.of(), "status", "-c", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().lines().findFirst().orElseThrow()).isEqualTo("NO PRIMARY: ghosts — run failover-ghosts-1 "
                + "(failover) unfinished — rerun drctl failover ghosts -c " + file + " to finish it");
        var json = new ObjectMapper().readTree(run(Map.of(), "status", "-c", file.toString(), "-o", "json").out());
        assertThat(json.get("healthy").asBoolean()).isFalse();
        assertThat(json.at("/verdicts/0/verdict").asText()).isEqualTo("no_primary");
        assertThat(json.at("/verdicts/0/detail").asText()).contains("failover-ghosts-1");
    }

    @Test
    void watchRedrawsUntilInterrupted() throws Exception {
        var file = config("");
        var out = new java.io.StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), Map.of()));
        var sink = new PrintWriter(out, true);
        cl.setOut(sink);
        cl.setErr(new PrintWriter(new java.io.StringWriter()));
        var exit = new java.util.concurrent.atomic.AtomicInteger(-1);
        var watcher = Thread.ofPlatform().start(() -> exit.set(cl.execute("status", "-c", file.toString(),
                "--watch", "1")));
        try {
            Await.until("two frames", java.time.Duration.ofSeconds(60),
                    () -> out.toString().split("every 1s, Ctrl-C to stop", -1).length > 2);
        } finally {
            watcher.interrupt();
            watcher.join(30_000);
        }
        assertThat(watcher.isAlive()).isFalse();
        assertThat(exit.get()).isEqualTo(1);
        assertThat(out.toString()).doesNotContain("\033[");
    }

    @Test
    void jsonHasOneObjectPerNodeWithStableFields() throws IOException {
        var r = run(Map.of(), "status", "-c", config("").toString(), "-o", "json");
        assertThat(r.exit()).isEqualTo(1);
        var json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("allAnswered").asBoolean()).isFalse();
        assertThat(json.get("nodes")).hasSize(2);
        var first = json.get("nodes").get(0);
        assertThat(first.get("cluster").asText()).isEqualTo("ghosts");
        assertThat(first.get("node").asText()).isEqualTo("g1");
        assertThat(first.get("region").asText()).isEqualTo("r1");
        assertThat(first.get("reachable").asBoolean()).isFalse();
        assertThat(first.get("failure").asText()).isEqualTo("refused");
        assertThat(first.has("lagBytes")).isTrue();
        assertThat(first.get("latencyMs").asLong()).isNotNegative();
    }

    @Test
    void anUnsetPasswordVariableIsBadConfigNamingTheReferenceNotAValue() throws IOException {
        var r = run(Map.of(), "status", "-c", config(", password: \"${env:GHOST_PW}\"").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("${env:GHOST_PW}").doesNotContain("Exception");
    }

    @Test
    void aMissingConfigIsBadUsage() {
        var r = run(Map.of(), "status", "-c", dir.resolve("nope.yaml").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nope.yaml");
    }

    @Test
    void aGivenUpNotificationIsRaisedAndNoStoreIsCreated() throws IOException {
        var file = config("");
        var first = run(Map.of(), "status", "-c", file.toString());
        assertThat(first.out()).doesNotContain("notifications:");
        assertThat(dir.resolve("drctl.db")).doesNotExist();

        var cfg = ConfigLoader.load(file);
        var now = Instant.now();
        try (var store = StateStore.open(cfg.compliance(), Clock.systemUTC(), Set.of())) {
            store.outbox().enqueue(OutboxMessage.fresh("n-1", Optional.empty(),
                    "FAILOVER_COMPLETED", "dba", "email", Optional.empty(), Optional.empty(),
                    "{}", now));
            store.outbox().enqueue(OutboxMessage.fresh("n-2", Optional.empty(),
                    "FAILOVER_STARTED", "dba", "email", Optional.empty(), Optional.empty(),
                    "{}", now));
            store.outbox().markGivenUp("n-1", "550 mailbox unavailable", now);
        }
        var table = run(Map.of(), "status", "-c", file.toString());
        assertThat(table.out()).contains("notifications: 1 waiting (oldest queued ")
                .contains(", 1 given up: people who had to be told were not");
        var json = new ObjectMapper().readTree(run(Map.of(), "status", "-c", file.toString(), "-o", "json").out());
        assertThat(json.at("/notifications/pending").asLong()).isEqualTo(1);
        assertThat(json.at("/notifications/givenUp").asLong()).isEqualTo(1);
    }
}
