package dev.drctl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/config-reference.md} is generated from the config model: the sections and keys {@link ConfigReader}
 * accepts (its {@code *_KEYS} lists), the values it accepts for a closed choice (its choice maps), and the defaults
 * of {@link FailoverPolicy#defaults()} and {@link ComplianceSpec.Targets#defaults()}. Only the one-line meanings
 * below are written by hand. The test fails when the file is stale; regenerate it with
 * {@code ./mvnw -o -pl topology verify -Dtest=ConfigReferenceTest -Ddrctl.docs.write=true}.
 */
class ConfigReferenceTest {
    static final Path DOC = Path.of("..", "docs", "config-reference.md");

    /** The YAML path of each section, by the name of its key list in ConfigReader, in reading order. */
    static final Map<String, String> SECTIONS = ordered(
            "TOP_KEYS", "(top level)",
            "CLUSTER_KEYS", "clusters[]",
            "CREDENTIAL_KEYS", "clusters[].credentials",
            "REPLICATION_KEYS", "clusters[].replication",
            "NODE_KEYS", "clusters[].nodes[]",
            "FAILOVER_KEYS", "clusters[].failover",
            "MAX_LAG_KEYS", "clusters[].failover.max-lag",
            "DNS_KEYS", "clusters[].dns",
            "NOTIFICATION_KEYS", "notifications",
            "EMAIL_KEYS", "notifications.email",
            "WEBHOOK_KEYS", "notifications.webhooks[]",
            "COMPLIANCE_KEYS", "compliance",
            "TARGET_KEYS", "compliance.targets",
            "DRILL_KEYS", "drills[]",
            "COORDINATION_KEYS", "coordination",
            "AUTOMATION_KEYS", "automation",
            "DAEMON_KEYS", "daemon",
            "WORKLOAD_KEYS", "drills[].workload",
            "DRILL_TARGET_KEYS", "drills[].targets");

    /** The choice map that closes a key's values, by {@code section-path.key}. */
    static final Map<String, String> CHOICES = ordered(
            "clusters[].engine", "ENGINES",
            "clusters[].failover.mode", "MODES",
            "clusters[].dns.provider", "DNS_PROVIDERS",
            "clusters[].dns.type", "RECORD_TYPES",
            "notifications.webhooks[].format", "WEBHOOK_FORMATS",
            "drills[].environment", "ENVIRONMENTS",
            "drills[].failure", "FAILURES");

    /** What each key means, written by hand; "required" where the reader requires it. */
    static final Map<String, String> MEANING = ordered(
            "(top level).clusters", "required: the protected clusters",
            "(top level).notifications", "who is told, and how (email, webhooks)",
            "(top level).compliance", "the state store, targets, retention, time zone (defaults: SQLite next to the "
                    + "config, 7 years, UTC)",
            "(top level).drills", "scheduled DR drills",
            "(top level).coordination", "several daemons through ZooKeeper (absent: one daemon, the store's lock "
                    + "alone); see docs/ha.md",
            "coordination.zookeeper", "required: the ensemble, \"zk1:2181,zk2:2181,zk3:2181\"",
            "coordination.namespace", "the ZooKeeper path under which drctl keeps its nodes",
            "coordination.session-timeout", "ZooKeeper session timeout (4s-40s); a daemon cut off stops acting "
                    + "sooner, a new leader starts later",
            "coordination.daemon-id", "this daemon's name among the daemons, unique on the ensemble (drctl run "
                    + "--daemon-id overrides; default: host name and a hash of compliance.store)",
            "(top level).automation", "brakes on automation across all clusters (defaults: 1 automatic failover per 10m)",
            "(top level).daemon", "where drctl run serves /health and /metrics (default 127.0.0.1:9187, no token)",
            "clusters[].name", "required: the cluster's name (letters, digits, '.', '_', '-')",
            "clusters[].engine", "required: the database engine",
            "clusters[].credentials", "required: the login drctl probes and promotes with",
            "clusters[].replication", "the login replicas stream with; drctl's own never lands in a replica's config",
            "clusters[].fence-command", "optional last rung of the fence ladder, a command as a list; node facts in "
                    + "DRCTL_CLUSTER, DRCTL_NODE, DRCTL_HOST",
            "clusters[].nodes", "required: at least two nodes",
            "clusters[].failover", "the failover policy (every key has a default)",
            "clusters[].dns", "the writer record drctl moves after a promotion",
            "clusters[].credentials.user", "required: the database user",
            "clusters[].credentials.password", "a secret reference: ${env:NAME} or ${file:/path}",
            "clusters[].replication.user", "required: the replication user",
            "clusters[].replication.password", "a secret reference: ${env:NAME} or ${file:/path}",
            "clusters[].nodes[].name", "required: the node's name",
            "clusters[].nodes[].host", "required: host name or IP address",
            "clusters[].nodes[].port", "required: TCP port 1-65535",
            "clusters[].nodes[].region", "required: the node's region, e.g. ap-south-1",
            "clusters[].nodes[].priority", "tie-breaker after data position and region (higher wins; default 0)",
            "clusters[].nodes[].no-failover", "true: never promoted (default false)",
            "clusters[].failover.mode", "auto promotes by policy; manual and dry-run only report",
            "clusters[].failover.probe-interval", "time between probe rounds",
            "clusters[].failover.probe-timeout", "the budget of one probe",
            "clusters[].failover.failure-threshold", "consecutive failed probes before the primary is suspect",
            "clusters[].failover.failure-window", "...spanning at least this long",
            "clusters[].failover.max-lag", "RPO guard: a best candidate further behind is not promoted automatically",
            "clusters[].failover.prefer-regions", "regions preferred for the new primary, in order",
            "clusters[].failover.allowed-regions", "data residency: never promote outside these (empty: anywhere)",
            "clusters[].failover.cooldown", "anti-flapping: no second automatic failover inside it",
            "clusters[].failover.max-lag.bytes", "bytes the candidate never received",
            "clusters[].failover.max-lag.seconds", "replay delay",
            "clusters[].dns.provider", "required: who serves the record",
            "clusters[].dns.record", "required: the writer DNS name",
            "clusters[].dns.type", "record type (default CNAME)",
            "clusters[].dns.ttl", "seconds (default 30)",
            "clusters[].dns.hosted-zone-id", "route53: the hosted zone",
            "clusters[].dns.endpoint", "route53: an endpoint override (tests, VPC endpoints)",
            "clusters[].dns.region", "route53: the AWS region",
            "clusters[].dns.file", "file provider: the file the record is written to (relative to the config)",
            "clusters[].dns.command", "exec provider: the command that sets the record",
            "clusters[].dns.reader-record", "a reader name pointed at the healthy replicas",
            "notifications.email", "the SMTP server",
            "notifications.audiences", "audience name to a list of addresses (dba, compliance, management, ...)",
            "notifications.webhooks", "webhooks told of every event",
            "notifications.routes", "event kind to the audiences told of it",
            "notifications.email.host", "required: the SMTP host",
            "notifications.email.port", "the SMTP port",
            "notifications.email.starttls", "upgrade with STARTTLS (default false)",
            "notifications.email.tls", "implicit TLS (default false)",
            "notifications.email.user", "the SMTP user",
            "notifications.email.password", "a secret reference: ${env:NAME} or ${file:/path}",
            "notifications.email.from", "required: the sender address",
            "notifications.webhooks[].url", "required: the webhook's https:// URL",
            "notifications.webhooks[].format", "required: the payload shape",
            "notifications.webhooks[].secret", "a secret reference signing the payload",
            "compliance.store", "the state store: jdbc:sqlite:PATH or a PostgreSQL URL shared by several daemons",
            "compliance.targets", "the RTO/RPO and drill targets reports measure against",
            "compliance.retention", "the audit journal is kept at least this long, e.g. 7y (default 7y)",
            "compliance.time-zone", "reports and messages show UTC and this zone (default UTC)",
            "compliance.journal-key", "${file:/path} only: a key of at least 32 characters; each journal entry's hash "
                    + "becomes an HMAC with it (never printed; see docs/audit.md)",
            "compliance.digest-at", "HH:MM in time-zone: the daily compliance digest with the journal head is due "
                    + "from then (default 00:05)",
            "compliance.targets.rto", "recovery time objective",
            "compliance.targets.rpo", "recovery point objective",
            "compliance.targets.drill-every", "a successful drill is overdue after this long",
            "compliance.targets.notify-within", "people must have been told within this long",
            "drills[].name", "required: the drill's name",
            "drills[].cluster", "required: a configured cluster",
            "drills[].schedule", "when the daemon runs it: Unix cron (5 fields, e.g. \"0 2 * * SUN\") or Quartz "
                    + "(6-7 fields, seconds first, e.g. \"0 0 2 ? * SUN\"); none: by hand or an external scheduler",
            "drills[].environment", "where the disposable topology runs (cluster: a planned switchover round trip "
                    + "on the real cluster)",
            "drills[].failure", "the failure injected (environment cluster: switchover or none only)",
            "drills[].daemon-may-run", "whether the daemon runs it on its schedule: always for local and "
                    + "testcontainers; for environment cluster (a switchover on the real cluster) only when true "
                    + "(default false), and a schedule without it is an error",
            "drills[].workload", "the writer workload whose acknowledged writes measure the RPO",
            "drills[].targets", "the drill's own RTO/RPO targets (default: compliance.targets)",
            "drills[].workload.inserts-per-second", "write rate, 1-10000 (default 20)",
            "drills[].workload.duration", "how long it writes at least, 1s-1h (default 30s)",
            "drills[].targets.rto", "recovery time objective of this drill",
            "drills[].targets.rpo", "recovery point objective of this drill",
            "automation.max-failovers", "circuit breaker: at most this many automatic failovers across all clusters "
                    + "within window; past it drctl only pages (manual commands are not limited)",
            "automation.window", "the breaker's window: it closes again when the oldest counted failover leaves it",
            "daemon.listen", "HOST:PORT of the /health and /metrics endpoint; a non-loopback address needs a token",
            "daemon.token", "a secret reference: ${env:NAME} or ${file:/path}; every request then sends "
                    + "Authorization: Bearer TOKEN");

    @Test
    void theReferenceIsCurrent() throws Exception {
        var generated = generate();
        if (Boolean.getBoolean("drctl.docs.write")) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "")
                .as(DOC + " is stale; regenerate it with ./mvnw -o -pl topology verify -Dtest=ConfigReferenceTest "
                        + "-Ddrctl.docs.write=true")
                .isEqualTo(generated);
    }

    @Test
    void everyKeyOfTheModelHasAMeaning() throws Exception {
        var missing = new ArrayList<String>();
        for (var section : keyLists().entrySet()) {
            var path = SECTIONS.getOrDefault(section.getKey(), section.getKey());
            for (var key : section.getValue()) {
                if (!MEANING.containsKey(path + "." + key)) {
                    missing.add(path + "." + key);
                }
            }
        }
        assertThat(missing).as("keys ConfigReader accepts with no meaning in ConfigReferenceTest.MEANING").isEmpty();
    }

    static String generate() throws Exception {
        var defaults = defaults();
        var md = new StringBuilder();
        md.append("# drctl config reference\n\n");
        md.append("<!-- generated by topology/src/test/java/dev/drctl/topology/ConfigReferenceTest.java from the keys "
                + "ConfigReader accepts; do not edit by hand -->\n\n");
        md.append("One YAML file (`drctl -c FILE`, else `$DRCTL_CONFIG`, else `./drctl.yaml`, else "
                + "`~/.drctl/drctl.yaml`). `drctl config check` validates it and names the file, line and field of "
                + "every problem (exit 2). Durations are written like `800ms`, `3s`, `10m`, `7d`; sizes like `16MB`. "
                + "Secrets are only ever `${env:NAME}` or `${file:/path}` references. A key not listed here is an "
                + "error.\n");
        for (var section : keyLists().entrySet()) {
            var path = SECTIONS.getOrDefault(section.getKey(), section.getKey());
            md.append("\n## `").append(path).append("`\n\n");
            md.append("| key | meaning | values | default |\n| --- | --- | --- | --- |\n");
            for (var key : section.getValue()) {
                var full = path + "." + key;
                md.append("| `").append(key).append("` | ")
                        .append(MEANING.getOrDefault(full, "").replace("|", "\\|")).append(" | ")
                        .append(choices(full)).append(" | ")
                        .append(defaults.getOrDefault(full, "")).append(" |\n");
            }
        }
        return md.toString();
    }

    /** Every {@code *_KEYS} list of ConfigReader, in {@link #SECTIONS} order, then any new one by its own name. */
    @SuppressWarnings("unchecked")
    static Map<String, List<String>> keyLists() throws Exception {
        var found = new LinkedHashMap<String, List<String>>();
        for (Field f : ConfigReader.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("_KEYS") && f.getType() == List.class) {
                f.setAccessible(true);
                found.put(f.getName(), (List<String>) f.get(null));
            }
        }
        var ordered = new LinkedHashMap<String, List<String>>();
        SECTIONS.keySet().stream().filter(found::containsKey).forEach(k -> ordered.put(k, found.get(k)));
        found.keySet().stream().sorted().filter(k -> !ordered.containsKey(k)).forEach(k -> ordered.put(k, found.get(k)));
        return ordered;
    }

    private static String choices(String key) throws Exception {
        var field = CHOICES.get(key);
        if (field == null) {
            return "";
        }
        var f = ConfigReader.class.getDeclaredField(field);
        f.setAccessible(true);
        var values = ((Map<?, ?>) f.get(null)).keySet().stream().map(v -> "`" + v + "`").toList();
        return String.join(", ", values);
    }

    /** The defaults the model declares, rendered the way a config writes them. */
    private static Map<String, String> defaults() {
        var p = FailoverPolicy.defaults();
        var t = ComplianceSpec.Targets.defaults();
        var a = AutomationSpec.defaults();
        var d = new LinkedHashMap<String, String>();
        d.put("clusters[].failover.mode", "`" + p.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "`");
        d.put("clusters[].failover.probe-interval", duration(p.probeInterval()));
        d.put("clusters[].failover.probe-timeout", duration(p.probeTimeout()));
        d.put("clusters[].failover.failure-threshold", "`" + p.failureThreshold() + "`");
        d.put("clusters[].failover.failure-window", duration(p.failureWindow()));
        d.put("clusters[].failover.max-lag.bytes", "`" + p.maxLagBytes() + "`");
        d.put("clusters[].failover.max-lag.seconds", duration(p.maxLagTime()));
        d.put("clusters[].failover.cooldown", duration(p.cooldown()));
        d.put("daemon.listen", "`" + DaemonSpec.defaults().listen() + "`");
        d.put("compliance.targets.rto", duration(t.rto()));
        d.put("compliance.targets.rpo", duration(t.rpo()));
        d.put("compliance.targets.drill-every", duration(t.drillEvery()));
        d.put("compliance.targets.notify-within", duration(t.notifyWithin()));
        d.put("coordination.namespace", "`" + CoordinationSpec.DEFAULT_NAMESPACE + "`");
        d.put("coordination.session-timeout", duration(CoordinationSpec.DEFAULT_SESSION_TIMEOUT));
        d.put("automation.max-failovers", "`" + a.maxFailovers() + "`");
        d.put("automation.window", duration(a.window()));
        var w = DrillSpec.Workload.defaults();
        d.put("drills[].workload.inserts-per-second", "`" + w.insertsPerSecond() + "`");
        d.put("drills[].workload.duration", duration(w.duration()));
        d.put("drills[].targets.rto", "`compliance.targets.rto`");
        d.put("drills[].targets.rpo", "`compliance.targets.rpo`");
        return d;
    }

    private static String duration(Duration d) {
        long ms = d.toMillis();
        String s;
        if (ms == 0) {
            s = "0s";
        } else if (ms % 86_400_000 == 0) {
            s = ms / 86_400_000 + "d";
        } else if (ms % 3_600_000 == 0) {
            s = ms / 3_600_000 + "h";
        } else if (ms % 60_000 == 0) {
            s = ms / 60_000 + "m";
        } else if (ms % 1000 == 0) {
            s = ms / 1000 + "s";
        } else {
            s = ms + "ms";
        }
        return "`" + s + "`";
    }

    private static Map<String, String> ordered(String... kv) {
        var m = new LinkedHashMap<String, String>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
