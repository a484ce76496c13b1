package dev.drctl.runbooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.dns.DnsProvider;
import dev.drctl.dns.FileDnsProvider;
import dev.drctl.dns.HostResolver;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer DNS step in a run, with the real file provider: moved and verified (dnsAt, the DNS share of the RTO),
 * skipped without DNS, described as "would point" in a dry-run, and a change that cannot be made leaves the run
 * promoted with DNS pending: the later steps still run, exit 1, the journal and the record say so.
 */
class DnsStepsTest {
    private static final ClusterName CLUSTER = new ClusterName("payments");
    private static final Actor ACTOR = Actor.user("tester");

    @TempDir
    Path dir;
    private StateStore store;
    private String url;
    private final List<String> ran = new ArrayList<>();

    @BeforeEach
    void open() {
        url = "jdbc:sqlite:" + dir.resolve("drctl.db");
        store = StateStore.open(new ComplianceSpec(url, ComplianceSpec.Targets.defaults(), Period.ofYears(7),
                ZoneId.of("UTC")), Clock.systemUTC(), Set.of());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ClusterSpec cluster(Optional<DnsSpec> dns) {
        return new ClusterSpec(CLUSTER, Engine.POSTGRESQL, new Credentials("drctl", Optional.empty()), List.of(
                new NodeSpec(new NodeName("pg-1"), "127.0.0.1", 1, "r1", 0, false),
                new NodeSpec(new NodeName("pg-2"), "127.0.0.1", 2, "r1", 0, false)), FailoverPolicy.defaults(), dns);
    }

    private static DnsSpec fileDns(Path file) {
        return new DnsSpec(DnsSpec.DnsProviderKind.FILE, "payments-rw.db.example.com", DnsSpec.RecordType.CNAME, 30,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(file), Optional.empty(), Optional.empty());
    }

    /** The facts a promotion leaves: the new primary, its epoch, and the timeline up to writable. */
    private Step promoted() {
        return step("promoted", c -> {
            var now = c.now();
            return new StepOutcome.Succeeded("pg-2 writable", Map.of(RunFacts.NEW_PRIMARY, "pg-2",
                    RunFacts.OLD_PRIMARY, "pg-1", RunFacts.EPOCH, "4", RunFacts.DETECTED_AT, now.minusSeconds(3).toString(),
                    RunFacts.CONFIRMED_AT, now.minusSeconds(2).toString(), RunFacts.DECIDED_AT,
                    now.minusSeconds(1).toString(), RunFacts.WRITABLE_AT, now.toString(), RunFacts.FIRST_WRITE_AT,
                    now.toString()));
        });
    }

    private Step step(String name, java.util.function.Function<RunContext, StepOutcome> body) {
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String describe(RunFacts facts) {
                return "do " + name;
            }

            @Override
            public StepOutcome run(RunContext context) {
                ran.add(name);
                return body.apply(context);
            }
        };
    }

    private RunResult run(ClusterSpec cluster, Optional<DnsProvider> dns) {
        var runbook = new Runbook("failover", RunKind.FAILOVER, List.of(promoted(),
                new SwitchWriterDns(dns, Duration.ofSeconds(5)), step("repoint", c -> StepOutcome.Succeeded.of("ok"))));
        return new RunbookEngine(store, url, Clock.systemUTC(), ACTOR).run(runbook, cluster, Map.of(), RunListener.none());
    }

    @Test
    void pointsTheWriterRecordAndReportsTheDnsShareOfTheRto() {
        var spec = fileDns(dir.resolve("dns").resolve("writer.json"));
        var cluster = cluster(Optional.of(spec));
        try (var dns = new FileDnsProvider(spec, HostResolver.system(), Clock.systemUTC())) {
            var result = run(cluster, Optional.of(dns));

            assertThat(result.end()).as(result.summary()).isEqualTo(RunResult.End.COMPLETED);
            assertThat(dns.writerNode()).contains(new NodeName("pg-2"));
            assertThat(dns.readWriter().orElseThrow().values()).containsExactly("127.0.0.1");
            var record = result.record().orElseThrow();
            assertThat(record.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(record.dnsAt()).isPresent();
            assertThat(record.firstWriteAt()).isEqualTo(record.dnsAt());
            var split = result.rtoSplit();
            assertThat(split.dns()).isPresent();
            assertThat(split.promotion()).contains(Duration.ofSeconds(1));
            assertThat(split.total().orElseThrow()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(result.facts().require(SwitchWriterDns.RECORD)).isEqualTo("payments-rw.db.example.com CNAME 30 127.0.0.1");
            var finished = store.journal().entries(JournalQuery.all().run(result.runId())
                    .kinds(Set.of(JournalKind.RUN_FINISHED))).getFirst().payloadTree();
            assertThat(finished.at("/rtoSplit/dnsMillis").isNumber()).isTrue();
            assertThat(finished.path("dnsAt").asText()).isEqualTo(record.dnsAt().orElseThrow().toString());
        }
    }

    @Test
    void aRecordThatCannotBeMovedLeavesTheRunPromotedWithDnsPending() throws Exception {
        // The record's directory is a regular file: every write fails, as a DNS API that keeps failing would.
        Files.writeString(dir.resolve("blocker"), "not a directory");
        var spec = fileDns(dir.resolve("blocker").resolve("writer.json"));
        var cluster = cluster(Optional.of(spec));
        try (var dns = new FileDnsProvider(spec, HostResolver.system(), Clock.systemUTC())) {
            var result = run(cluster, Optional.of(dns));

            assertThat(result.end()).isEqualTo(RunResult.End.FAILED);
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(ran).as("the steps after the DNS step still run").containsExactly("promoted", "repoint");
            assertThat(result.summary()).contains("PROMOTED DNS PENDING").contains("pg-2 is the primary (epoch 4)")
                    .contains("step switch-writer-dns failed after 2 attempts")
                    .contains("the promotion stands").contains("drctl dns sync payments");
            var record = result.record().orElseThrow();
            assertThat(record.status()).isEqualTo(RunStatus.PROMOTED_DNS_PENDING);
            assertThat(record.dnsAt()).isEmpty();
            assertThat(record.newPrimary()).contains(new NodeName("pg-2"));
            assertThat(store.runs().find(result.runId()).orElseThrow().status()).isEqualTo(RunStatus.PROMOTED_DNS_PENDING);
            var journal = store.journal().entries(JournalQuery.all().run(result.runId()));
            assertThat(journal).filteredOn(e -> e.kind() == JournalKind.STEP_OUTCOME
                    && e.payloadTree().path("step").asText().equals(SwitchWriterDns.NAME))
                    .hasSize(2).allMatch(e -> e.payloadTree().path("outcome").asText().equals("failed"));
            var finished = journal.stream().filter(e -> e.kind() == JournalKind.RUN_FINISHED).findFirst().orElseThrow();
            assertThat(finished.payloadTree().path("status").asText()).isEqualTo("PROMOTED_DNS_PENDING");
            assertThat(finished.payloadTree().path("summary").asText()).contains("drctl dns sync payments");
            assertThat(store.clusterStates().load(CLUSTER).activeRunId()).as("the cluster is released").isEmpty();
            assertThat(store.memory(CLUSTER).lastPrimary()).as("the promotion is on record")
                    .contains(new NodeName("pg-2"));
        }
    }

    @Test
    void skippedWithoutDnsAndDescribedAsAPlanInADryRun() {
        var result = run(cluster(Optional.empty()), Optional.empty());
        assertThat(result.end()).isEqualTo(RunResult.End.COMPLETED);
        var dnsStep = result.steps().stream().filter(s -> s.step().equals(SwitchWriterDns.NAME)).findFirst().orElseThrow();
        assertThat(dnsStep.status()).isEqualTo("skipped");
        assertThat(result.record().orElseThrow().dnsAt()).isEmpty();

        var spec = fileDns(dir.resolve("writer.json"));
        try (var dns = new FileDnsProvider(spec, HostResolver.system(), Clock.systemUTC())) {
            var step = new SwitchWriterDns(Optional.of(dns), Duration.ofSeconds(5));
            assertThat(step.describe(new RunFacts(Map.of(RunFacts.NEW_PRIMARY, "pg-2", RunFacts.DRY_RUN, "true"))))
                    .startsWith("would point payments-rw.db.example.com (CNAME, file) at pg-2");
            var planned = new RunbookEngine(store, url, Clock.systemUTC(), ACTOR).plan(new Runbook("failover",
                    RunKind.FAILOVER, List.of(step)), cluster(Optional.of(spec)), Map.of(), RunListener.none());
            assertThat(planned.steps().getFirst().description()).startsWith("would point payments-rw.db.example.com");
            assertThat(Files.exists(dir.resolve("writer.json"))).as("a dry-run changes nothing").isFalse();
        }
    }
}
