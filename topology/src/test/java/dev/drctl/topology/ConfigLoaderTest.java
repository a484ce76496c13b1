package dev.drctl.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    private static final Path FILE = Path.of("/etc/drctl/drctl.yaml");

    /** Seven lines: the smallest valid config. Cases append to it or replace lines of it. */
    private static final String BASE = """
            clusters:
              - name: pay
                engine: postgresql
                credentials: { user: drctl }
                nodes:
                  - { name: a, host: h1, port: 5432, region: r1 }
                  - { name: b, host: h2, port: 5432, region: r2 }
            """;

    record Case(String name, String yaml, int line, int column, String field, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> brokenConfigs() {
        return Stream.of(
                new Case("missing field", BASE.replace("{ name: b, host: h2, port", "{ name: b, port"),
                        7, 9, "clusters[0].nodes[1].host", "missing; expected the node's host name or IP address"),
                new Case("missing engine", BASE.replace("    engine: postgresql\n", ""),
                        2, 5, "clusters[0].engine", "missing; expected one of postgresql, mysql, mariadb"),
                new Case("unknown key with a suggestion", BASE + "    failover: { probe-timout: 500ms }\n",
                        8, 17, "clusters[0].failover.probe-timout", "unknown key \"probe-timout\"; did you mean probe-timeout?"),
                new Case("unknown key without a suggestion", BASE + "    colour: blue\n",
                        8, 5, "clusters[0].colour",
                        "unknown key \"colour\"; expected one of name, engine, credentials, replication, fence-command, "
                                + "nodes, failover, dns"),
                new Case("literal replication password", BASE + "    replication: { user: replicator, password: hunter2 }\n",
                        8, 48, "clusters[0].replication.password",
                        "found a literal value; literal secrets are not allowed; use ${env:…} or ${file:…}"),
                new Case("replication without user", BASE + "    replication: { password: \"${env:REPL}\" }\n",
                        8, 18, "clusters[0].replication.user",
                        "missing; expected the replication user replicas stream as"),
                new Case("fence-command as a shell line", BASE + "    fence-command: /usr/bin/stonith --off\n",
                        8, 20, "clusters[0].fence-command",
                        "found \"/usr/bin/stonith --off\"; expected a list: the program and its arguments, e.g. "
                                + "[/usr/local/bin/stonith, --off]"),
                new Case("fence-command relative program", BASE + "    fence-command: [stonith, --off]\n",
                        8, 20, "clusters[0].fence-command",
                        "found program \"stonith\"; expected an absolute path (the daemon's PATH is not the shell's)"),
                new Case("unknown top-level key", BASE + "notification: {}\n",
                        8, 1, "notification", "unknown key \"notification\"; did you mean notifications?"),
                new Case("bare number as duration", BASE + "    failover: { probe-timeout: 800 }\n",
                        8, 32, "clusters[0].failover.probe-timeout",
                        "found 800 (a number without a unit); expected a duration like 800ms, 3s, 10m"),
                new Case("bad duration unit", BASE + "    failover: { cooldown: 10 minutes }\n",
                        8, 27, "clusters[0].failover.cooldown",
                        "found \"10 minutes\"; expected a duration like 800ms, 3s, 10m"),
                new Case("breaker allowing no failover", BASE + "automation: { max-failovers: 0 }\n",
                        8, 30, "automation.max-failovers", "found \"0\"; expected an integer from 1 to 1000"),
                new Case("breaker window of zero", BASE + "automation: { window: 0s }\n",
                        8, 23, "automation.window", "found \"0s\"; expected a positive duration like 10m (the breaker "
                                + "counts automatic failovers within it)"),
                new Case("breaker key misspelt", BASE + "automation: { max-failover: 2 }\n",
                        8, 15, "automation.max-failover", "unknown key \"max-failover\"; did you mean max-failovers?"),
                new Case("bad size", BASE + "    failover: { max-lag: { bytes: 16XB } }\n",
                        8, 35, "clusters[0].failover.max-lag.bytes",
                        "found \"16XB\"; expected a size like 16MB, 512kB, 1GB or 0"),
                new Case("size without unit", BASE + "    failover: { max-lag: { bytes: 16 } }\n",
                        8, 35, "clusters[0].failover.max-lag.bytes",
                        "found 16 (a number without a unit); expected a size like 16MB, 512kB, 1GB or 0"),
                new Case("failure threshold below one", BASE + "    failover: { failure-threshold: 0 }\n",
                        8, 36, "clusters[0].failover.failure-threshold", "found \"0\"; expected an integer >= 1"),
                new Case("probe timeout not shorter than the interval",
                        BASE + "    failover: { probe-interval: 1s, probe-timeout: 2s }\n",
                        8, 52, "clusters[0].failover.probe-timeout",
                        "found 2s, not shorter than probe-interval 1s; expected probe-timeout < probe-interval so a "
                                + "hung node cannot stall the next probe"),
                new Case("empty env reference", BASE.replace("{ user: drctl }", "{ user: drctl, password: \"${env:}\" }"),
                        4, 43, "clusters[0].credentials.password",
                        "found ${env:} without a valid variable name; expected ${env:NAME} with NAME made of letters, digits, '_'"),
                new Case("unsupported secret source", BASE.replace("{ user: drctl }", "{ user: drctl, password: \"${vault:x}\" }"),
                        4, 43, "clusters[0].credentials.password",
                        "found an unsupported secret source \"vault\"; expected ${env:NAME} or ${file:/path}"),
                new Case("literal password", BASE.replace("{ user: drctl }", "{ user: drctl, password: hunter2 }"),
                        4, 43, "clusters[0].credentials.password",
                        "found a literal value; literal secrets are not allowed; use ${env:…} or ${file:…}"),
                new Case("duplicate node name", BASE.replace("{ name: b, host: h2", "{ name: a, host: h2"),
                        7, 17, "clusters[0].nodes[1].name",
                        "found node name \"a\" again (first at line 6); expected node names to be unique"),
                new Case("a cluster with one node", BASE.replace("      - { name: b, host: h2, port: 5432, region: r2 }\n", ""),
                        6, 7, "clusters[0].nodes",
                        "found 1 node; expected at least two (a primary and a replica to fail over to)"),
                new Case("a region list naming no node's region", BASE + "    failover: { allowed-regions: [r1, eu-west-1] }\n",
                        8, 39, "clusters[0].failover.allowed-regions[1]",
                        "found region \"eu-west-1\", which no node of this cluster is in; expected one of r1, r2"),
                new Case("unknown drill cluster", BASE + """
                        drills:
                          - { name: q, cluster: payments, schedule: "0 2 * * SUN", environment: local, failure: kill-primary }
                        """,
                        9, 25, "drills[0].cluster",
                        "found cluster \"payments\", which is not configured; expected one of pay"),
                new Case("bad time zone", BASE + "compliance: { time-zone: Asia/Mumbai }\n",
                        8, 26, "compliance.time-zone",
                        "found \"Asia/Mumbai\", which is not a known time zone; expected an IANA zone id like "
                                + "Asia/Kolkata, Europe/Berlin or UTC"),
                new Case("cron with four fields", BASE + """
                        drills:
                          - { name: q, cluster: pay, schedule: "0 2 * *", environment: local, failure: kill-primary }
                        """,
                        9, 40, "drills[0].schedule",
                        "found \"0 2 * *\" with 4 fields; expected a Unix cron expression of 5 fields (minute hour day-of-month month day-of-week), "
                                + "e.g. \"0 2 * * SUN\", or a Quartz one of 6-7 fields (seconds first), e.g. \"0 0 2 ? * SUN\""),
                new Case("quartz cron with both days", BASE + """
                        drills:
                          - { name: q, cluster: pay, schedule: "0 0 2 * * SUN", environment: local, failure: kill-primary }
                        """,
                        9, 40, "drills[0].schedule",
                        "found \"0 0 2 * * SUN\", which is not a valid quartz cron schedule (invalid cron expression: 0 0 2 * * 1. Both, a day-of-week AND a day-of-month "
                                + "parameter, are not supported.); expected a Unix cron expression of 5 fields (minute hour day-of-month month day-of-week), "
                                + "e.g. \"0 2 * * SUN\", or a Quartz one of 6-7 fields (seconds first), e.g. \"0 0 2 ? * SUN\""),
                new Case("YAML syntax error", BASE.replace("credentials: { user: drctl }", "credentials: { user: drctl"),
                        5, 10, "", "YAML syntax error: expected ',' or '}', but got : (while parsing a flow mapping)"),
                new Case("empty file", "", 1, 1, "", "the file is empty; expected a mapping with at least clusters:"),
                new Case("not a mapping", "- just\n- a list\n", 1, 1, "",
                        "found a list; expected a mapping with at least clusters:"),
                new Case("no clusters", "compliance: { retention: 7y }\n", 1, 1, "clusters",
                        "missing; expected a list of clusters"),
                new Case("port out of range", BASE.replace("host: h2, port: 5432", "host: h2, port: 65536"),
                        7, 36, "clusters[0].nodes[1].port", "found \"65536\"; expected an integer from 1 to 65535"),
                new Case("route to an undefined audience", BASE + """
                        notifications:
                          audiences: { dba: [dba@example.com] }
                          routes: { failover-started: [dba, board] }
                        """,
                        10, 37, "notifications.routes.failover-started[1]",
                        "found audience \"board\", which notifications.audiences does not define; expected one of dba"),
                new Case("route53 without a hosted zone", BASE + "    dns: { provider: route53, record: rw.example.com }\n",
                        8, 10, "clusters[0].dns.hosted-zone-id",
                        "missing; expected the Route53 hosted zone id, e.g. Z0123 (required for provider route53)"),
                new Case("coordination without servers", BASE + "coordination: { namespace: drctl }\n",
                        8, 15, "coordination.zookeeper",
                        "missing; expected the ZooKeeper ensemble as \"zk1:2181,zk2:2181,zk3:2181\""),
                new Case("a ZooKeeper server without a port", BASE + "coordination: { zookeeper: \"zk1:2181,zk2\" }\n",
                        8, 28, "coordination.zookeeper",
                        "found \"zk1:2181,zk2\"; expected HOST:PORT entries separated by commas, e.g. "
                                + "\"zk1:2181,zk2:2181,zk3:2181\" (\"zk2\" is not HOST:PORT with a port 1-65535)"),
                new Case("a session timeout ZooKeeper would not grant", BASE
                        + "coordination: { zookeeper: \"zk1:2181\", session-timeout: 1s }\n",
                        8, 57, "coordination.session-timeout",
                        "found 1s; expected between 4s and 40s (ZooKeeper's limits at its default 2 s tick: 2 to 20 "
                                + "ticks)"),
                new Case("a namespace with a leading slash", BASE
                        + "coordination: { zookeeper: \"zk1:2181\", namespace: /drctl }\n",
                        8, 51, "coordination.namespace",
                        "found \"/drctl\"; expected a ZooKeeper path without a leading '/', e.g. drctl or bank/drctl "
                                + "(letters, digits, '.', '_' or '-' (at most 63, starting with a letter or digit) per "
                                + "part)"),
                new Case("bad retention", BASE + "compliance: { retention: 7 years }\n",
                        8, 26, "compliance.retention", "found \"7 years\"; expected a period like 7y, 18m (months), 90d"),
                new Case("duplicate cluster name", BASE + BASE.substring("clusters:\n".length()),
                        8, 11, "clusters[1].name",
                        "found cluster name \"pay\" again (first at line 2); expected cluster names to be unique"),
                new Case("credentials as a single value", BASE.replace("{ user: drctl }", "hunter2"),
                        4, 18, "clusters[0].credentials", "found a single value; expected a mapping with user and "
                                + "optionally password, e.g. { user: drctl, password: \"${env:DB_PASSWORD}\" }"),
                new Case("bad failover mode", BASE + "    failover: { mode: automatic }\n",
                        8, 23, "clusters[0].failover.mode", "found \"automatic\"; expected one of auto, manual, dry-run"),
                new Case("file dns without a file", BASE + "    dns: { provider: file, record: rw.example.com }\n",
                        8, 10, "clusters[0].dns.file",
                        "missing; expected the file the record is written to (required for provider file)"),
                new Case("route53 settings on an exec provider",
                        BASE + "    dns: { provider: exec, record: rw.example.com, command: move-dns, hosted-zone-id: Z1 }\n",
                        8, 71, "clusters[0].dns.hosted-zone-id",
                        "found hosted-zone-id with provider exec; expected it only with provider route53"),
                new Case("bad record type", BASE + "    dns: { provider: exec, record: rw.example.com, command: x, type: MX }\n",
                        8, 70, "clusters[0].dns.type", "found \"MX\"; expected one of CNAME, A, AAAA"),
                new Case("both starttls and tls", BASE + """
                        notifications:
                          email: { host: smtp.example.com, port: 465, starttls: true, tls: true, from: dr@example.com }
                        """,
                        9, 68, "notifications.email.tls", "found both starttls and tls true; expected at most one "
                                + "(tls: implicit TLS, as on port 465; starttls: upgrade a plain connection, as on port 587)"),
                new Case("bad email address", BASE + "notifications: { audiences: { dba: [dba.example.com] } }\n",
                        8, 37, "notifications.audiences.dba[0]",
                        "found \"dba.example.com\"; expected an email address like dba@example.com"),
                new Case("webhook without a scheme", BASE + "notifications: { webhooks: [ { url: hooks.example.com/T0, format: slack } ] }\n",
                        8, 37, "notifications.webhooks[0].url",
                        "found a value that is not an http(s) URL; expected a URL like https://host/path"),
                new Case("bad webhook format", BASE + "notifications: { webhooks: [ { url: \"https://h.example.com/x\", format: teams } ] }\n",
                        8, 72, "notifications.webhooks[0].format", "found \"teams\"; expected one of slack, json"),
                new Case("unknown notification kind", BASE + """
                        notifications:
                          audiences: { dba: [dba@example.com] }
                          routes: { failover-start: [dba] }
                        """,
                        10, 13, "notifications.routes.failover-start",
                        "found notification kind \"failover-start\"; did you mean FAILOVER_STARTED?"),
                new Case("duplicate drill name", BASE + """
                        drills:
                          - { name: q, cluster: pay, schedule: "0 2 * * SUN", environment: local, failure: kill-primary }
                          - { name: q, cluster: pay, schedule: "0 3 * * SUN", environment: local, failure: kill-primary }
                        """,
                        10, 13, "drills[1].name", "found drill name \"q\" again (first at line 9); expected drill names to be unique"),
                new Case("bad drill environment", BASE + """
                        drills:
                          - { name: q, cluster: pay, schedule: "0 2 * * SUN", environment: docker, failure: kill-primary }
                        """,
                        9, 68, "drills[0].environment", "found \"docker\"; expected one of local, testcontainers, cluster"),
                new Case("cron value out of range", BASE + """
                        drills:
                          - { name: q, cluster: pay, schedule: "61 2 * * SUN", environment: local, failure: kill-primary }
                        """,
                        9, 40, "drills[0].schedule", "found \"61 2 * * SUN\", which is not a valid unix cron schedule (value 61 not in "
                                + "range [0, 59]); expected a Unix cron expression of 5 fields (minute hour day-of-month month day-of-week), "
                                + "e.g. \"0 2 * * SUN\", or a Quartz one of 6-7 fields (seconds first), e.g. \"0 0 2 ? * SUN\""),
                new Case("a game day on the real cluster scheduled without saying the daemon may run it", BASE + """
                        drills:
                          - { name: q, cluster: pay, schedule: "0 2 * * SUN", environment: cluster, failure: switchover }
                        """,
                        9, 40, "drills[0].schedule", "found a schedule on a drill with environment: cluster (a switchover "
                                + "round trip on the real cluster); expected daemon-may-run: true beside it to let the "
                                + "daemon run it on that schedule, or no schedule (run it by hand with drctl drill run)"),
                new Case("a failure injected into the real cluster", BASE + """
                        drills:
                          - { name: q, cluster: pay, environment: cluster, failure: kill-primary }
                        """,
                        9, 61, "drills[0].failure", "found failure kill-primary on a drill with environment: cluster, "
                                + "which never injects a failure into the real cluster; expected switchover (or none): a "
                                + "planned switchover to the best replica and back, or environment: local or "
                                + "testcontainers for kill-primary"),
                new Case("daemon bound beyond loopback without a token", BASE + "daemon: { listen: 0.0.0.0:9187 }\n",
                        8, 19, "daemon.listen", "found 0.0.0.0:9187, which is not a loopback address, and no token; "
                                + "expected a token: ${file:/path} (every request must then carry it as a bearer token), "
                                + "or listen on 127.0.0.1"),
                new Case("daemon listen without a port", BASE + "daemon: { listen: localhost }\n",
                        8, 19, "daemon.listen", "found \"localhost\"; expected HOST:PORT with a port 0-65535, e.g. "
                                + "127.0.0.1:9187 or [::1]:9187"),
                new Case("daemon token given literally", BASE + "daemon: { token: s3cret }\n",
                        8, 18, "daemon.token",
                        "found a literal value; literal secrets are not allowed; use ${env:…} or ${file:…}"),
                new Case("duplicate key", BASE.replace("    engine: postgresql\n", "    engine: postgresql\n    engine: mysql\n"),
                        4, 5, "clusters[0].engine", "found key \"engine\" again (first at line 3); expected each key once"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigs")
    void aBrokenConfigIsReportedWithFieldLineAndMessage(Case c) {
        var e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(c.yaml(), FILE));
        assertThat(e).as("no exception for %s", c.name()).isNotNull();
        assertThat(e.problems()).containsExactly(new ConfigProblem(FILE, c.line(), c.column(), c.field(), c.message()));
        assertThat(e.code()).isEqualTo(TopologyErrorCode.BAD_CONFIG);
        assertThat(e.code().exitCode()).isEqualTo(2);
    }

    @Test
    void theBaseOfTheBrokenCasesIsValid() {
        var config = ConfigLoader.parse(BASE, FILE);
        assertThat(config.clusters()).hasSize(1);
        assertThat(config.clusters().getFirst().failover()).isEqualTo(FailoverPolicy.defaults());
        assertThat(config.notifications()).isEqualTo(NotificationsSpec.none());
        assertThat(config.compliance()).isEqualTo(new ComplianceSpec("jdbc:sqlite:/etc/drctl/drctl.db",
                ComplianceSpec.Targets.defaults(), Period.ofYears(7), ZoneId.of("UTC")));
        assertThat(config.drills()).isEmpty();
    }

    @Test
    void designsExampleParsesIntoTheExpectedRecords() throws IOException {
        var config = ConfigLoader.parse(resource("/config/design-example.yaml"), FILE);

        var payments = new ClusterSpec(new ClusterName("payments"), Engine.POSTGRESQL,
                new Credentials("drctl", Optional.of(new SecretRef.Env("PAYMENTS_DB_PASSWORD"))),
                List.of(new NodeSpec(new NodeName("pg-mum-1"), "pg-mum-1.db.internal", 5432, "ap-south-1", 100, false),
                        new NodeSpec(new NodeName("pg-mum-2"), "pg-mum-2.db.internal", 5432, "ap-south-1", 0, false),
                        new NodeSpec(new NodeName("pg-hyd-1"), "pg-hyd-1.db.internal", 5432, "ap-south-2", 0, false)),
                new FailoverPolicy(FailoverMode.AUTO, Duration.ofSeconds(1), Duration.ofMillis(800), 3,
                        Duration.ofSeconds(3), new DataSize(16L << 20), Duration.ofSeconds(10), List.of("ap-south-1"),
                        List.of("ap-south-1", "ap-south-2"), Duration.ofMinutes(10)),
                Optional.of(new DnsSpec(DnsSpec.DnsProviderKind.ROUTE53, "payments-rw.db.example.com",
                        DnsSpec.RecordType.CNAME, 30, Optional.of("Z0123"), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty())),
                Optional.of(new Credentials("replicator", Optional.of(new SecretRef.File(Path.of("/etc/drctl/repl-password"))))),
                List.of("/usr/local/bin/stonith", "--power-off"));
        var notifications = new NotificationsSpec(
                Optional.of(new NotificationsSpec.EmailSpec("smtp.example.com", 587, true, false, Optional.of("drctl"),
                        Optional.of(new SecretRef.Env("SMTP_PASSWORD")), "dr@example.com")),
                Map.of("dba", List.of("dba@example.com"), "compliance", List.of("risk@example.com"),
                        "management", List.of("cto@example.com")),
                List.of(new NotificationsSpec.WebhookSpec("https://hooks.example.com/T000/B000", "slack", Optional.empty())),
                Map.of());
        var compliance = new ComplianceSpec("jdbc:sqlite:/var/lib/drctl/drctl.db",
                new ComplianceSpec.Targets(Duration.ofMinutes(5), Duration.ZERO, Duration.ofDays(90), Duration.ofHours(2)),
                Period.ofYears(7), ZoneId.of("Asia/Kolkata"));
        var drills = List.of(new DrillSpec("payments-quarterly", new ClusterName("payments"),
                Optional.of(new DrillSchedule("0 2 * * SUN", DrillSchedule.Flavour.UNIX)), DrillSpec.Environment.LOCAL,
                DrillSpec.Failure.KILL_PRIMARY));

        assertThat(config).isEqualTo(new DrctlConfig(FILE, List.of(payments), notifications, compliance, drills));
    }

    @Test
    void everyProblemIsReportedTogetherInFileOrder() {
        var yaml = """
                clusters:
                  - name: pay
                    engine: oracle
                    credentials: { user: drctl, password: secret123 }
                    nodes:
                      - { name: a, host: h1, port: 5432, region: r1 }
                    failover: { probe-interval: 5, mode: yolo }
                drills:
                  - { name: q, cluster: pya, schedule: "every sunday", environment: local, failure: kill-primary }
                """;
        var e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE));
        assertThat(e.problems()).extracting(ConfigProblem::line, ConfigProblem::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3, "clusters[0].engine"),
                org.assertj.core.groups.Tuple.tuple(4, "clusters[0].credentials.password"),
                org.assertj.core.groups.Tuple.tuple(6, "clusters[0].nodes"),
                org.assertj.core.groups.Tuple.tuple(7, "clusters[0].failover.probe-interval"),
                org.assertj.core.groups.Tuple.tuple(7, "clusters[0].failover.mode"),
                org.assertj.core.groups.Tuple.tuple(9, "drills[0].cluster"),
                org.assertj.core.groups.Tuple.tuple(9, "drills[0].schedule"));
        assertThat(e.getMessage().lines()).hasSize(7).allMatch(l -> l.startsWith(FILE + ":"));
        assertThat(e.getMessage()).contains(FILE + ":9:25: drills[0].cluster: found cluster \"pya\", which is not "
                + "configured; did you mean pay?");
        assertThat(e.getMessage()).doesNotContain("secret123");
    }

    @Test
    void spellingsTheFormatAccepts() {
        var yaml = BASE.replace("engine: postgresql", "engine: MariaDB") + """
                    failover: { mode: dry-run, max-lag: { bytes: 0, seconds: 2.5 }, failure-window: 0s, probe-interval: 1h30m }
                notifications:
                  audiences: { dba: [dba@example.com] }
                  routes: { failover-started: [dba], DRILL_FAILED: [dba] }
                compliance: { retention: 18m, targets: { rto: 30s } }
                drills:
                  - { name: q, cluster: pay, schedule: "*/15 2-4 * 1,7 MON-FRI", environment: testcontainers, failure: hang-primary }
                """;
        var config = ConfigLoader.parse(yaml, FILE);
        var cluster = config.clusters().getFirst();
        assertThat(cluster.engine()).isEqualTo(Engine.MARIADB);
        assertThat(cluster.failover().mode()).isEqualTo(FailoverMode.DRY_RUN);
        assertThat(cluster.failover().maxLagBytes()).isEqualTo(new DataSize(0));
        assertThat(cluster.failover().maxLagTime()).isEqualTo(Duration.ofMillis(2500));
        assertThat(cluster.failover().failureWindow()).isZero();
        assertThat(cluster.failover().probeInterval()).isEqualTo(Duration.ofMinutes(90));
        assertThat(config.notifications().routes()).isEqualTo(Map.of("FAILOVER_STARTED", List.of("dba"),
                "DRILL_FAILED", List.of("dba")));
        assertThat(config.compliance().retention()).isEqualTo(Period.ofMonths(18));
        assertThat(config.compliance().targets()).isEqualTo(new ComplianceSpec.Targets(Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofDays(90), Duration.ofHours(2)));
        assertThat(config.drills().getFirst().failure()).isEqualTo(DrillSpec.Failure.HANG_PRIMARY);
        assertThat(config.drills().getFirst().environment()).isEqualTo(DrillSpec.Environment.TESTCONTAINERS);
    }

    @Test
    void coordinationIsReadWithItsDefaults() {
        var config = ConfigLoader.parse(BASE + "coordination: { zookeeper: \"zk1:2181, zk2:2182,[::1]:2183\" }\n", FILE);
        assertThat(config.coordination()).contains(new CoordinationSpec(List.of("zk1:2181", "zk2:2182", "[::1]:2183"),
                "drctl", Duration.ofSeconds(10)));
        assertThat(config.coordination().orElseThrow().connectString()).isEqualTo("zk1:2181,zk2:2182,[::1]:2183");
        var set = ConfigLoader.parse(BASE + "coordination: { zookeeper: \"127.0.0.1:2181\", namespace: bank/drctl, "
                + "session-timeout: 6s }\n", FILE);
        assertThat(set.coordination()).contains(new CoordinationSpec(List.of("127.0.0.1:2181"), "bank/drctl",
                Duration.ofSeconds(6)));
        assertThat(ConfigLoader.parse(BASE, FILE).coordination()).isEmpty();
        assertThat(config.coordination().orElseThrow().daemonId()).isEmpty();
    }

    @Test
    void aDaemonIdIsReadAndABadOneIsAProblemSayingWhatItMayBe() {
        var config = ConfigLoader.parse(BASE + "coordination: { zookeeper: \"zk1:2181\", daemon-id: mum-1 }\n", FILE);
        assertThat(config.coordination().orElseThrow().daemonId()).contains("mum-1");
        var e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(BASE
                + "coordination: { zookeeper: \"zk1:2181\", daemon-id: \"mum 1/a\" }\n", FILE));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("coordination.daemon-id");
            assertThat(p.message()).contains("found \"mum 1/a\"").contains("e.g. mum-1");
        });
    }

    @Test
    void theBreakerDefaultsToOneAutomaticFailoverPerTenMinutesAndIsConfigurable() {
        assertThat(ConfigLoader.parse(BASE, FILE).automation()).isEqualTo(new AutomationSpec(1, Duration.ofMinutes(10)));
        assertThat(ConfigLoader.parse(BASE + "automation: { max-failovers: 3, window: 1h }\n", FILE).automation())
                .isEqualTo(new AutomationSpec(3, Duration.ofHours(1)));
        assertThat(ConfigLoader.parse(BASE + "automation: { window: 30m }\n", FILE).automation())
                .isEqualTo(new AutomationSpec(1, Duration.ofMinutes(30)));
    }

    @Test
    void theDaemonEndpointIsLoopbackByDefaultAndElsewhereOnlyWithAToken() {
        assertThat(ConfigLoader.parse(BASE, FILE).daemon()).isEqualTo(DaemonSpec.defaults());
        assertThat(DaemonSpec.defaults().listen()).isEqualTo("127.0.0.1:9187");
        var remote = ConfigLoader.parse(BASE + "daemon: { listen: \"0.0.0.0:9300\", token: \"${env:DRCTL_TOKEN}\" }\n", FILE)
                .daemon();
        assertThat(remote).isEqualTo(new DaemonSpec("0.0.0.0", 9300, Optional.of(new SecretRef.Env("DRCTL_TOKEN"))));
        assertThat(remote.loopback()).isFalse();
        var v6 = ConfigLoader.parse(BASE + "daemon: { listen: \"[::1]:0\" }\n", FILE).daemon();
        assertThat(v6.loopback()).isTrue();
        assertThat(v6.listen()).isEqualTo("[::1]:0");
        assertThat(new DaemonSpec("127.0.0.2", 1, Optional.empty()).loopback()).isTrue();
        assertThat(new DaemonSpec("db.example.com", 1, Optional.empty()).loopback()).isFalse();
    }

    @Test
    void anEmptySectionMeansNotSet() {
        var config = ConfigLoader.parse(BASE + "    failover:\ndrills:\n  # none yet\n", FILE);
        assertThat(config.clusters().getFirst().failover()).isEqualTo(FailoverPolicy.defaults());
        assertThat(config.drills()).isEmpty();
    }

    @Test
    void fileSecretsAndFileDnsResolveAgainstTheConfigDirectory() {
        var yaml = BASE.replace("{ user: drctl }", "{ user: drctl, password: \"${file:secrets/db.pw}\" }")
                + "    dns: { provider: file, record: rw.example.com, file: dns/rw.txt }\n"
                + "compliance: { store: \"jdbc:sqlite:state/drctl.db\" }\n";
        var config = ConfigLoader.parse(yaml, FILE);
        var cluster = config.clusters().getFirst();
        assertThat(cluster.credentials().password()).contains(new SecretRef.File(Path.of("/etc/drctl/secrets/db.pw")));
        assertThat(cluster.dns().orElseThrow().file()).contains(Path.of("/etc/drctl/dns/rw.txt"));
        assertThat(config.compliance().store()).isEqualTo("jdbc:sqlite:/etc/drctl/state/drctl.db");
    }

    @Test
    void theJournalKeyIsAFileReferenceAndTheDigestATimeOfDay() {
        var config = ConfigLoader.parse(BASE + "compliance: { journal-key: \"${file:keys/journal.key}\", "
                + "digest-at: \"06:30\", time-zone: Europe/Berlin }\n", FILE);
        assertThat(config.compliance().journalKey()).contains(new SecretRef.File(Path.of("/etc/drctl/keys/journal.key")));
        assertThat(config.compliance().digestAt()).isEqualTo(java.time.LocalTime.of(6, 30));
        assertThat(ConfigLoader.parse(BASE, FILE).compliance().digestAt()).isEqualTo(java.time.LocalTime.of(0, 5));

        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "compliance: { journal-key: \"${env:JOURNAL_KEY}\" }\n", FILE))
                .hasMessageContaining("compliance.journal-key")
                .hasMessageContaining("the journal key must be a file readable only by drctl's account");
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "compliance: { journal-key: s3cr3t-value }\n", FILE))
                .hasMessageContaining("literal secrets are not allowed").hasMessageNotContaining("s3cr3t-value");
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "compliance: { digest-at: \"25:00\" }\n", FILE))
                .hasMessageContaining("compliance.digest-at")
                .hasMessageContaining("found \"25:00\"; expected a time of day HH:MM (24-hour)");
    }

    @Test
    void loadReadsTheFileAndNamesItInProblems(@TempDir Path dir) throws IOException {
        var file = dir.resolve("drctl.yaml");
        Files.writeString(file, BASE);
        assertThat(ConfigLoader.load(file).source()).isEqualTo(file.toAbsolutePath());

        Files.writeString(file, BASE + "    failover: { cooldown: soon }\n");
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":8:27: clusters[0].failover.cooldown: found \"soon\"; expected a duration like "
                        + "800ms, 3s, 10m");

        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"))).isInstanceOf(DrctlException.class)
                .hasMessage("config file " + dir.resolve("nope.yaml") + " not found");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConfigLoaderTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
