package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.drctl.compliance.JournalKind;
import dev.drctl.runbooks.DnsSteps;
import dev.drctl.runbooks.SwitchWriterDns;
import dev.drctl.runbooks.UpdateReaderDns;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.testenv.route53.Route53Fault;
import dev.drctl.testenv.route53.Route53TestServer;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The writer name moves with a failover of a real PostgreSQL topology whose primary was killed with SIGKILL: through
 * the file provider {@code drctl testenv} configures, and through Route53 (the real AWS SDK against the Route53 test
 * server): 500s until the deadline leave the failover promoted with DNS pending (exit 1, journaled, dns sync hint)
 * and {@code drctl dns sync} repairs it; 3 throttles are ridden out inside the next failover. No AWS credential ever
 * appears in the output, the logs or the journal.
 */
class FailoverDnsIT {
    // Test-only: the SDK's default chain reads these system properties; drctl's config never holds credentials.
    private static final String KEY_ID = "AKIADRCTLFAILOVERIT1";
    private static final String SECRET = "failoverItSecret/0123456789abcdefghijklm";

    @TempDir
    Path dir;
    LocalTopology topology;
    Route53TestServer server;
    ListAppender<ILoggingEvent> logs;
    Level rootLevel;

    @AfterEach
    void down() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (logs != null) {
            var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.detachAppender(logs);
            root.setLevel(rootLevel);
        }
        if (server != null) {
            server.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    /** drctl with a short DNS deadline, so a DNS API that keeps failing ends the step in seconds. */
    static CliRun drctl(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), Map.of(DnsSteps.TIMEOUT_VARIABLE, "PT3S"),
                "it-tester"));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    @Test
    void fileProviderRecordFollowsTheFailoverAndTheDnsShareIsReported() throws Exception {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir).start();
        var config = topology.configFile().toString();
        var cluster = topology.clusterName().value();
        var reader = cluster + "-ro.testenv.local";
        CliRun.edit(topology.configFile(), y -> y.replaceAll("(?m)^(    dns: \\{.*) }$", "$1, reader-record: \"" + reader
                + "\" }"));
        var candidate = topology.replicas().getFirst();
        var old = topology.primary();
        // Rounds recorded up to the kill (a daemon running, or an operator's status): the loss is measured.
        RoundRecorder.killWatched(topology, old);

        var plan = CliRun.of("failover", cluster, "--dry-run", "-c", config);
        assertThat(plan.exit()).as(plan.all()).isZero();
        assertThat(plan.out()).containsPattern("\\[plan] +" + SwitchWriterDns.NAME + " +would point " + cluster
                + "-rw.testenv.local \\(A, file\\) at " + candidate);

        assertThat(plan.out()).containsPattern("\\[plan] +" + UpdateReaderDns.NAME + " +would set " + reader);
        var run = CliRun.of("failover", cluster, "--to", candidate.value(), "-c", config);
        assertThat(run.exit()).as(run.all()).isZero();
        // The reader record: the replica left, re-pointed and probed afresh; the new primary and the dead one left out.
        var other = topology.replicas().getLast();
        assertThat(run.out()).containsPattern("\\[ok\\] +" + UpdateReaderDns.NAME + " .*" + other + " published")
                .contains(old + " left out (unreachable").doesNotContain(candidate + " published");
        var readerFile = topology.configFile().resolveSibling("dns").resolve(reader + ".json");
        assertThat(Files.readString(readerFile)).contains("127.0.0.1");
        assertThat(run.out()).contains("[ok]       " + SwitchWriterDns.NAME).contains("done: failover of " + cluster)
                .containsPattern("RTO split: detection [0-9.]+s, decision [0-9.]+s, promotion [0-9.]+s, DNS [0-9.]+s, "
                        + "total [0-9.]+s");

        var show = CliRun.of("dns", "show", cluster, "-c", config, "-o", "json");
        assertThat(show.exit()).as("read back: " + show.all()).isZero();
        assertThat(show.json().get("recordNode").asText()).isEqualTo(candidate.value());
        assertThat(show.json().get("primary").asText()).isEqualTo(candidate.value());
    }

    @Test
    void route53FailingUntilTheDeadlineLeavesTheFailoverPromotedWithDnsPendingAndDnsSyncRepairsIt() throws Exception {
        System.setProperty("aws.accessKeyId", KEY_ID);
        System.setProperty("aws.secretAccessKey", SECRET);
        captureLogs();
        server = Route53TestServer.start();
        var zone = server.createHostedZone("testenv.local");
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir).start();
        var configFile = topology.configFile();
        var config = configFile.toString();
        var cluster = topology.clusterName().value();
        var record = cluster + "-rw.testenv.local";
        CliRun.edit(configFile, y -> y.replaceAll("(?m)^    dns: .*$", "    dns: { provider: route53, hosted-zone-id: "
                + zone + ", endpoint: \"" + server.endpoint() + "\", record: \"" + record + "\", type: A, ttl: 30 }"));
        var old = topology.primary();
        // Rounds recorded up to the kill (a daemon running, or an operator's status): the loss is measured.
        RoundRecorder.killWatched(topology, old);
        server.failUntilCleared(Route53Fault.INTERNAL_FAILURE, "ChangeResourceRecordSets");

        var failover = drctl("failover", cluster, "-c", config, "-o", "json");
        assertThat(failover.exit()).as(failover.all()).isEqualTo(1);
        var json = failover.json();
        var promoted = new NodeName(json.at("/facts/newPrimary").asText());
        assertThat(json.at("/record/status").asText()).isEqualTo("PROMOTED_DNS_PENDING");
        assertThat(json.at("/record/newPrimary").asText()).isEqualTo(promoted.value());
        assertThat(json.at("/record/dnsAt").isMissingNode()).isTrue();
        assertThat(json.at("/facts/epoch").asText()).isEqualTo("1");
        assertThat(failover.err()).contains("[FAILED]   " + SwitchWriterDns.NAME).contains("[ok]       repoint-replicas")
                .contains("drctl dns sync " + cluster);
        assertThat(json.get("summary").asText()).contains("the promotion stands").contains("drctl dns sync " + cluster);
        try (var c = topology.connect(promoted); var s = c.createStatement();
             var rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("the promotion is not rolled back").isFalse();
        }
        assertThat(server.callCount("ChangeResourceRecordSets")).as("retried until the deadline: " + failover.err()
                + server.calls()).isGreaterThan(2);
        assertThat(server.record(zone, record, "A")).isEmpty();
        var runId = json.get("runId").asText();
        var mine = CliRun.journal(configFile).stream().filter(e -> e.runId().orElse("").equals(runId)).toList();
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.STEP_OUTCOME
                        && e.payloadTree().path("step").asText().equals(SwitchWriterDns.NAME))
                .isNotEmpty().allSatisfy(e -> assertThat(e.payloadTree().path("outcome").asText()).isEqualTo("failed"));
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.RUN_FINISHED).singleElement().satisfies(e -> {
            assertThat(e.payloadTree().path("status").asText()).isEqualTo("PROMOTED_DNS_PENDING");
            assertThat(e.payloadTree().path("summary").asText()).contains("drctl dns sync " + cluster);
        });

        server.clearFaults();
        var sync = drctl("dns", "sync", cluster, "-c", config);
        assertThat(sync.exit()).as(sync.all()).isZero();
        var show = drctl("dns", "show", cluster, "-c", config, "-o", "json");
        assertThat(show.exit()).as(show.all()).isZero();
        assertThat(show.json().get("primary").asText()).isEqualTo(promoted.value());
        assertThat(server.record(zone, record, "A")).isPresent();

        // The next failover rides out 3 throttles. The record is first made stale, so a change has to be sent.
        server.putRecord(zone, record, "A", 30, List.of("192.0.2.99"));
        var last = topology.replicas().stream().filter(n -> !n.equals(promoted)).findFirst().orElseThrow();
        Await.until(last + " streams from " + promoted, java.time.Duration.ofSeconds(30), () -> FailoverCommandIT
                .receiverOf(topology, last).equals("streaming:" + topology.node(promoted).serverPort()));
        // Rounds recorded up to the kill (a daemon running, or an operator's status): the loss is measured.
        RoundRecorder.killWatched(topology, promoted);
        server.failNext(3, Route53Fault.THROTTLING, "ChangeResourceRecordSets");
        long changesBefore = server.callCount("ChangeResourceRecordSets");
        // The first old primary is down too: one of two other nodes confirming is no majority, so a person asserts it.
        var second = drctl("failover", cluster, "--former-primary", promoted.value(), "-c", config, "-o",
                "json");
        assertThat(second.exit()).as(second.all()).isZero();
        assertThat(second.json().at("/facts/newPrimary").asText()).isEqualTo(last.value());
        assertThat(second.json().at("/record/status").asText()).isEqualTo("SUCCEEDED");
        assertThat(second.json().at("/rtoSplit/dnsMillis").isNumber()).isTrue();
        assertThat(server.callCount("ChangeResourceRecordSets") - changesBefore).isEqualTo(4);
        assertThat(server.record(zone, record, "A").orElseThrow().values()).singleElement()
                .satisfies(v -> assertThat(v).startsWith("127.0.0.1"));
        assertThat(server.changeComments()).anyMatch(c -> c.contains("cluster " + cluster + " epoch 2"));

        var everything = new StringBuilder(failover.all()).append(sync.all()).append(show.all()).append(second.all());
        logs.list.forEach(e -> everything.append(e.getFormattedMessage()).append('\n'));
        CliRun.journal(configFile).forEach(e -> everything.append(e.payload()).append('\n'));
        assertThat(logs.list).as("drctl's own log lines were captured").isNotEmpty();
        assertThat(everything.toString()).doesNotContain(KEY_ID).doesNotContain(SECRET)
                .doesNotContain(SECRET.substring(0, 16));
        assertThat(Files.readString(configFile)).doesNotContain(KEY_ID);
    }

    private void captureLogs() {
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.INFO);
        logs = new ListAppender<>();
        logs.setContext(context);
        logs.start();
        root.addAppender(logs);
    }
}
