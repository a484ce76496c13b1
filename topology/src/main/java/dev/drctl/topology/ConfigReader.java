package dev.drctl.topology;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Walks the composed YAML tree of one config file, section by section, recording a
 * {@link ConfigProblem} for everything wrong and building the records when nothing is.
 *
 * <p>Convention: a reading method returns {@code null} (or an empty Optional) only after it has
 * recorded a problem, so a record is built only when its part of the file added none.
 */
final class ConfigReader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,10}");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+|[^@\\s]+@localhost");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SECRET = Pattern.compile("\\$\\{([^:}]*):(.*)}");
    private static final String DURATION_EXPECTED = "expected a duration like 800ms, 3s, 10m";
    private static final String SIZE_EXPECTED = "expected a size like 16MB, 512kB, 1GB or 0";
    private static final String NAME_EXPECTED = "letters, digits, '.', '_' or '-' (at most 63, starting with a letter or digit)";

    private static final List<String> TOP_KEYS = List.of("clusters", "notifications", "compliance", "drills",
            "coordination", "automation", "daemon");
    private static final List<String> CLUSTER_KEYS = List.of("name", "engine", "credentials", "replication",
            "fence-command", "nodes", "failover", "dns");
    private static final List<String> CREDENTIAL_KEYS = List.of("user", "password");
    private static final List<String> NODE_KEYS = List.of("name", "host", "port", "region", "priority", "no-failover");
    private static final List<String> FAILOVER_KEYS = List.of("mode", "probe-interval", "probe-timeout",
            "failure-threshold", "failure-window", "max-lag", "prefer-regions", "allowed-regions", "cooldown");
    private static final List<String> MAX_LAG_KEYS = List.of("bytes", "seconds");
    private static final List<String> DNS_KEYS = List.of("provider", "record", "type", "ttl", "hosted-zone-id",
            "endpoint", "region", "file", "command", "reader-record");
    private static final List<String> NOTIFICATION_KEYS = List.of("email", "audiences", "webhooks", "routes");
    private static final List<String> EMAIL_KEYS = List.of("host", "port", "starttls", "tls", "user", "password", "from");
    private static final List<String> WEBHOOK_KEYS = List.of("url", "format", "secret");
    private static final List<String> COMPLIANCE_KEYS = List.of("store", "targets", "retention", "time-zone", "journal-key",
            "digest-at");
    private static final List<String> TARGET_KEYS = List.of("rto", "rpo", "drill-every", "notify-within");
    private static final List<String> COORDINATION_KEYS = List.of("zookeeper", "namespace", "session-timeout",
            "daemon-id");
    private static final Pattern ZK_NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}(/[A-Za-z0-9][A-Za-z0-9._-]{0,62}){0,4}");
    private static final Pattern ZK_SERVER = Pattern.compile("[A-Za-z0-9._-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}");
    private static final List<String> AUTOMATION_KEYS = List.of("max-failovers", "window");
    private static final List<String> DAEMON_KEYS = List.of("listen", "token");
    private static final List<String> DRILL_KEYS = List.of("name", "cluster", "schedule", "environment", "failure",
            "workload", "targets", "daemon-may-run");
    private static final List<String> WORKLOAD_KEYS = List.of("inserts-per-second", "duration");
    private static final List<String> DRILL_TARGET_KEYS = List.of("rto", "rpo");

    private static final Map<String, Engine> ENGINES = choices(Engine.values(), Engine::configName);
    private static final Map<String, FailoverMode> MODES = choices(FailoverMode.values(),
            m -> m.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    private static final Map<String, DnsSpec.DnsProviderKind> DNS_PROVIDERS = choices(DnsSpec.DnsProviderKind.values(),
            p -> p.name().toLowerCase(Locale.ROOT));
    private static final Map<String, DnsSpec.RecordType> RECORD_TYPES = choices(DnsSpec.RecordType.values(), Enum::name);
    private static final Map<String, String> WEBHOOK_FORMATS = strings("slack", "json");
    private static final Map<String, DrillSpec.Environment> ENVIRONMENTS = choices(DrillSpec.Environment.values(),
            DrillSpec.Environment::configName);
    private static final Map<String, DrillSpec.Failure> FAILURES = choices(DrillSpec.Failure.values(),
            DrillSpec.Failure::configName);

    private final Path file;
    private final Path baseDir;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<String, Optional<String>> cronVerdicts = new HashMap<>();

    ConfigReader(Path file) {
        this.file = file;
        var parent = file.toAbsolutePath().normalize().getParent();
        this.baseDir = parent == null ? file.toAbsolutePath().getRoot() : parent;
    }

    /** The problems found, the first {@value #MAX_PROBLEMS} by position and one line saying how many more. */
    List<ConfigProblem> problems() {
        var sorted = problems.stream()
                .sorted(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column)).toList();
        if (sorted.size() <= MAX_PROBLEMS) {
            return sorted;
        }
        var shown = new ArrayList<>(sorted.subList(0, MAX_PROBLEMS));
        var next = sorted.get(MAX_PROBLEMS);
        shown.add(new ConfigProblem(file, next.line(), next.column(), "", (sorted.size() - MAX_PROBLEMS)
                + " more problems not listed; fix these first"));
        return List.copyOf(shown);
    }

    DrctlConfig read(Node root) {
        if (!(root instanceof MappingNode)) {
            problem(root, "", "found " + describe(root) + "; expected a mapping with at least clusters:");
            return null;
        }
        var top = section(root, "", TOP_KEYS);
        int before = problems.size();
        var clusters = top.required("clusters", "a list of clusters", this::clusters);
        var notifications = top.optionalBlock("notifications", this::notifications).orElse(NotificationsSpec.none());
        var compliance = top.optionalBlock("compliance", this::compliance).orElseGet(this::defaultCompliance);
        var clusterNames = rawValues(top.raw("clusters"), "name");
        List<DrillSpec> drills = top.optionalBlock("drills", (n, f) -> drills(n, f, clusterNames)).orElse(List.of());
        var coordination = top.optionalBlock("coordination", this::coordination);
        var automation = top.optionalBlock("automation", this::automation).orElse(AutomationSpec.defaults());
        var daemon = top.optionalBlock("daemon", this::daemon).orElseGet(DaemonSpec::defaults);
        if (problems.size() != before || clusters == null) {
            return null;
        }
        return new DrctlConfig(file.toAbsolutePath().normalize(), clusters, notifications, compliance, drills,
                coordination, automation, daemon);
    }

    // ---- clusters ------------------------------------------------------------------------------

    private List<ClusterSpec> clusters(Node node, String field) {
        var items = sequence(node, field, "a list of clusters");
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            problem(node, field, "found an empty list; expected at least one cluster");
            return null;
        }
        var result = new ArrayList<ClusterSpec>();
        var seen = new HashMap<String, Node>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            var cluster = cluster(items.get(i), field + "[" + i + "]", seen);
            ok &= cluster != null;
            if (cluster != null) {
                result.add(cluster);
            }
        }
        return ok ? result : null;
    }

    private ClusterSpec cluster(Node node, String field, Map<String, Node> seenNames) {
        if (!isMapping(node, field, "a cluster: a mapping with name, engine, credentials, nodes")) {
            return null;
        }
        int before = problems.size();
        var s = section(node, field, CLUSTER_KEYS);
        var name = s.required("name", "the cluster's name", this::name);
        if (name != null) {
            unique(seenNames, name, s.valueNode("name"), s.at("name"), "cluster");
        }
        var engine = s.required("engine", "one of " + String.join(", ", ENGINES.keySet()), choice(ENGINES));
        var credentials = s.required("credentials", "a mapping with user and optionally password",
                this::credentials);
        var replication = s.optional("replication", this::replicationCredentials);
        var fenceCommand = s.optional("fence-command", this::fenceCommand).orElse(List.of());
        var nodes = s.required("nodes", "a list of at least two nodes", this::nodes);
        var regions = rawValues(s.raw("nodes"), "region");
        var failover = s.optionalBlock("failover", (n, f) -> failover(n, f, regions)).orElse(FailoverPolicy.defaults());
        var dns = s.optionalBlock("dns", this::dns);
        if (problems.size() != before) {
            return null;
        }
        return new ClusterSpec(new ClusterName(name), engine, credentials, nodes, failover, dns, replication,
                fenceCommand);
    }

    /** {@code replication: { user, password }}: what replicas stream as; the password only as a secret reference. */
    private Credentials replicationCredentials(Node node, String field) {
        if (!(node instanceof MappingNode)) {
            // Not echoed: a lone value here is likely a password.
            problem(node, field, "found " + (node instanceof ScalarNode ? "a single value" : describe(node))
                    + "; expected a mapping with user and optionally password, e.g. "
                    + "{ user: replicator, password: \"${file:/etc/drctl/repl-password}\" }");
            return null;
        }
        var s = section(node, field, CREDENTIAL_KEYS);
        var user = s.required("user", "the replication user replicas stream as", text("the replication user"));
        var password = s.optional("password", this::secret);
        return user == null ? null : new Credentials(user, password);
    }

    /** {@code fence-command: [program, args...]}: an argv, never a shell line (no quoting rules to get wrong). */
    private List<String> fenceCommand(Node node, String field) {
        var argv = list(node, field, "a list: the program and its arguments, e.g. [/usr/local/bin/stonith, --off]",
                text("a program or an argument"));
        if (argv == null) {
            return null;
        }
        if (argv.isEmpty()) {
            problem(node, field, "found an empty list; expected the program and its arguments");
            return null;
        }
        if (!argv.getFirst().startsWith("/")) {
            problem(node, field, "found program \"" + clip(argv.getFirst()) + "\"; expected an absolute path "
                    + "(the daemon's PATH is not the shell's)");
            return null;
        }
        return argv;
    }

    private Credentials credentials(Node node, String field) {
        if (!(node instanceof MappingNode)) {
            // Not echoed: a lone value here is likely a password.
            problem(node, field, "found " + (node instanceof ScalarNode ? "a single value" : describe(node))
                    + "; expected a mapping with user and optionally password, e.g. "
                    + "{ user: drctl, password: \"${env:DB_PASSWORD}\" }");
            return null;
        }
        var s = section(node, field, CREDENTIAL_KEYS);
        var user = s.required("user", "the database user drctl connects as", text("the database user"));
        var password = s.optional("password", this::secret);
        return user == null ? null : new Credentials(user, password);
    }

    private List<NodeSpec> nodes(Node node, String field) {
        var items = sequence(node, field, "a list of at least two nodes");
        if (items == null) {
            return null;
        }
        if (items.size() < 2) {
            problem(node, field, "found " + items.size() + (items.size() == 1 ? " node" : " nodes")
                    + "; expected at least two (a primary and a replica to fail over to)");
        }
        var result = new ArrayList<NodeSpec>();
        var names = new HashMap<String, Node>();
        var addresses = new HashMap<String, Node>();
        boolean ok = items.size() >= 2;
        for (int i = 0; i < items.size(); i++) {
            var item = items.get(i);
            var spec = node(item, field + "[" + i + "]", names);
            ok &= spec != null;
            if (spec != null) {
                var earlier = addresses.putIfAbsent(spec.address(), item);
                if (earlier != null) {
                    problem(item, field + "[" + i + "]", "found address " + spec.address()
                            + " again (first at line " + line(earlier) + "); expected every node at its own host:port");
                    ok = false;
                }
                result.add(spec);
            }
        }
        return ok ? result : null;
    }

    private NodeSpec node(Node node, String field, Map<String, Node> seenNames) {
        if (!isMapping(node, field, "a node: a mapping with name, host, port, region")) {
            return null;
        }
        int before = problems.size();
        var s = section(node, field, NODE_KEYS);
        var name = s.required("name", "the node's name", this::name);
        if (name != null) {
            unique(seenNames, name, s.valueNode("name"), s.at("name"), "node");
        }
        var host = s.required("host", "the node's host name or IP address", this::host);
        var port = s.required("port", "a TCP port 1-65535", integer(1, 65535));
        var region = s.required("region", "the node's region, e.g. ap-south-1", text("a region name"));
        var priority = s.optional("priority", integer(Integer.MIN_VALUE, Integer.MAX_VALUE)).orElse(0);
        var noFailover = s.optional("no-failover", this::bool).orElse(false);
        if (problems.size() != before) {
            return null;
        }
        return new NodeSpec(new NodeName(name), host, port, region, priority, noFailover);
    }

    // ---- failover ------------------------------------------------------------------------------

    /** @param regions the regions of the cluster's nodes, or null when the nodes were invalid */
    private FailoverPolicy failover(Node node, String field, Set<String> regions) {
        if (!isMapping(node, field, "a mapping of failover settings")) {
            return null;
        }
        int before = problems.size();
        var d = FailoverPolicy.defaults();
        var s = section(node, field, FAILOVER_KEYS);
        var mode = s.optional("mode", choice(MODES)).orElse(d.mode());
        var interval = s.optional("probe-interval", this::duration).orElse(d.probeInterval());
        var timeout = s.optional("probe-timeout", this::duration).orElse(d.probeTimeout());
        var threshold = s.optional("failure-threshold", integer(1, Integer.MAX_VALUE)).orElse(d.failureThreshold());
        var window = s.optional("failure-window", this::duration).orElse(d.failureWindow());
        var maxLag = s.optionalBlock("max-lag", this::maxLag).orElse(new MaxLag(d.maxLagBytes(), d.maxLagTime()));
        var prefer = s.optionalBlock("prefer-regions", (n, f) -> regions(n, f, regions)).orElse(List.of());
        var allowed = s.optionalBlock("allowed-regions", (n, f) -> regions(n, f, regions)).orElse(List.of());
        var cooldown = s.optional("cooldown", this::duration).orElse(d.cooldown());
        if (interval.isZero() && s.has("probe-interval")) {
            problem(s.valueNode("probe-interval"), s.at("probe-interval"), "found 0s; expected a positive duration");
        }
        if (timeout.isZero() && s.has("probe-timeout")) {
            problem(s.valueNode("probe-timeout"), s.at("probe-timeout"), "found 0s; expected a positive duration");
        } else if (problems.size() == before && timeout.compareTo(interval) >= 0) {
            var where = s.has("probe-timeout") ? s.valueNode("probe-timeout") : s.valueNode("probe-interval");
            problem(where, s.at("probe-timeout"), "found " + ConfigUnits.format(timeout)
                    + ", not shorter than probe-interval " + ConfigUnits.format(interval)
                    + "; expected probe-timeout < probe-interval so a hung node cannot stall the next probe");
        }
        if (problems.size() != before) {
            return null;
        }
        return new FailoverPolicy(mode, interval, timeout, threshold, window, maxLag.bytes(), maxLag.time(),
                prefer, allowed, cooldown);
    }

    private record MaxLag(DataSize bytes, Duration time) {
    }

    private MaxLag maxLag(Node node, String field) {
        if (!isMapping(node, field, "a mapping with bytes and/or seconds, e.g. { bytes: 16MB, seconds: 10 }")) {
            return null;
        }
        var d = FailoverPolicy.defaults();
        int before = problems.size();
        var s = section(node, field, MAX_LAG_KEYS);
        var bytes = s.optional("bytes", this::size).orElse(d.maxLagBytes());
        var seconds = s.optional("seconds", this::seconds).orElse(d.maxLagTime());
        return problems.size() != before ? null : new MaxLag(bytes, seconds);
    }

    private List<String> regions(Node node, String field, Set<String> nodeRegions) {
        var items = sequence(node, field, "a list of regions");
        if (items == null) {
            return null;
        }
        var result = new ArrayList<String>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            var f = field + "[" + i + "]";
            var region = text("a region name").read(items.get(i), f);
            if (region == null) {
                ok = false;
            } else if (nodeRegions != null && !nodeRegions.contains(region)) {
                problem(items.get(i), f, "found region \"" + region + "\", which no node of this cluster is in; "
                        + "expected one of " + String.join(", ", nodeRegions));
                ok = false;
            } else if (result.contains(region)) {
                problem(items.get(i), f, "found region \"" + region + "\" twice; expected each region once");
                ok = false;
            } else {
                result.add(region);
            }
        }
        return ok ? result : null;
    }

    // ---- dns -----------------------------------------------------------------------------------

    private DnsSpec dns(Node node, String field) {
        if (!isMapping(node, field, "a mapping with provider and record")) {
            return null;
        }
        int before = problems.size();
        var s = section(node, field, DNS_KEYS);
        var provider = s.required("provider", "one of " + String.join(", ", DNS_PROVIDERS.keySet()),
                choice(DNS_PROVIDERS));
        var record = s.required("record", "the writer DNS name, e.g. payments-rw.db.example.com",
                text("a DNS name"));
        var type = s.optional("type", choice(RECORD_TYPES)).orElse(DnsSpec.RecordType.CNAME);
        var ttl = s.optional("ttl", integer(0, Integer.MAX_VALUE)).orElse(30);
        var zone = s.optional("hosted-zone-id", text("a Route53 hosted zone id"));
        var endpoint = s.optional("endpoint", this::url);
        var region = s.optional("region", text("an AWS region"));
        var path = s.optional("file", text("a file path")).map(baseDir::resolve).map(Path::normalize);
        var command = s.optional("command", text("a command line"));
        var readerRecord = s.optional("reader-record", text("a DNS name"));
        if (provider != null) {
            var name = provider.name().toLowerCase(Locale.ROOT);
            switch (provider) {
                case ROUTE53 -> s.requireFor("hosted-zone-id", name, "the Route53 hosted zone id, e.g. Z0123");
                case FILE -> s.requireFor("file", name, "the file the record is written to");
                case EXEC -> s.requireFor("command", name, "the command that moves the record");
            }
            if (provider != DnsSpec.DnsProviderKind.ROUTE53) {
                for (var key : List.of("hosted-zone-id", "endpoint", "region")) {
                    s.onlyFor(key, name, "route53");
                }
            }
            if (provider != DnsSpec.DnsProviderKind.FILE) {
                s.onlyFor("file", name, "file");
            }
            if (provider != DnsSpec.DnsProviderKind.EXEC) {
                s.onlyFor("command", name, "exec");
            }
        }
        if (problems.size() != before) {
            return null;
        }
        return new DnsSpec(provider, record, type, ttl, zone, endpoint, region, path, command, readerRecord);
    }

    // ---- notifications -------------------------------------------------------------------------

    private NotificationsSpec notifications(Node node, String field) {
        if (!isMapping(node, field, "a mapping with email, audiences, webhooks, routes")) {
            return null;
        }
        int before = problems.size();
        var s = section(node, field, NOTIFICATION_KEYS);
        var email = s.optionalBlock("email", this::email);
        Map<String, List<String>> audiences = s.optionalBlock("audiences", this::audiences).orElse(Map.of());
        List<NotificationsSpec.WebhookSpec> webhooks = s.optionalBlock("webhooks", this::webhooks).orElse(List.of());
        var audienceNames = rawKeys(s.raw("audiences"));
        Map<String, List<String>> routes = s.optionalBlock("routes", (n, f) -> routes(n, f, audienceNames))
                .orElse(Map.of());
        if (problems.size() != before) {
            return null;
        }
        return new NotificationsSpec(email, audiences, webhooks, routes);
    }

    private NotificationsSpec.EmailSpec email(Node node, String field) {
        if (!isMapping(node, field, "a mapping with host, port, from")) {
            return null;
        }
        int before = problems.size();
        var s = section(node, field, EMAIL_KEYS);
        var host = s.required("host", "the SMTP server's host name", this::host);
        var port = s.required("port", "the SMTP port, e.g. 587", integer(1, 65535));
        var starttls = s.optional("starttls", this::bool).orElse(false);
        var tls = s.optional("tls", this::bool).orElse(false);
        var user = s.optional("user", text("the SMTP user"));
        var password = s.optional("password", this::secret);
        var from = s.required("from", "the sender address, e.g. dr@example.com", this::address);
        if (starttls && tls) {
            problem(s.valueNode("tls"), s.at("tls"), "found both starttls and tls true; expected at most one "
                    + "(tls: implicit TLS, as on port 465; starttls: upgrade a plain connection, as on port 587)");
        }
        if (password.isPresent() && user.isEmpty() && s.has("password")) {
            problem(s.valueNode("password"), s.at("password"), "found a password without a user; expected user too");
        }
        if (problems.size() != before) {
            return null;
        }
        return new NotificationsSpec.EmailSpec(host, port, starttls, tls, user, password, from);
    }

    private String address(Node node, String field) {
        var value = text("an email address").read(node, field);
        if (value != null && !EMAIL.matcher(value).matches()) {
            problem(node, field, "found \"" + clip(value) + "\"; expected an email address like dba@example.com");
            return null;
        }
        return value;
    }

    private Map<String, List<String>> audiences(Node node, String field) {
        if (!isMapping(node, field, "a mapping of audience name to a list of email addresses")) {
            return null;
        }
        int before = problems.size();
        var s = section(node, field, null);
        var result = new LinkedHashMap<String, List<String>>();
        for (var key : s.keys()) {
            if (!NAME.matcher(key).matches()) {
                problem(s.keyNode(key), s.at(key), "found audience name \"" + clip(key) + "\"; expected " + NAME_EXPECTED);
                continue;
            }
            var emails = list(s.valueNode(key), s.at(key), "a list of email addresses", this::address);
            if (emails != null && emails.isEmpty()) {
                problem(s.valueNode(key), s.at(key), "found an empty list; expected at least one email address");
            } else if (emails != null) {
                result.put(key, emails);
            }
        }
        return problems.size() != before ? null : result;
    }

    private List<NotificationsSpec.WebhookSpec> webhooks(Node node, String field) {
        return list(node, field, "a list of webhooks, each { url: https://…, format: slack|json }", this::webhook);
    }

    private NotificationsSpec.WebhookSpec webhook(Node node, String field) {
        if (!isMapping(node, field, "a webhook: a mapping with url and format")) {
            return null;
        }
        int before = problems.size();
        var s = section(node, field, WEBHOOK_KEYS);
        var url = s.required("url", "the webhook's https:// URL", this::url);
        var format = s.required("format", "one of " + String.join(", ", WEBHOOK_FORMATS.keySet()),
                choice(WEBHOOK_FORMATS));
        var secret = s.optional("secret", this::secret);
        return problems.size() != before ? null : new NotificationsSpec.WebhookSpec(url, format, secret);
    }

    private Map<String, List<String>> routes(Node node, String field, Set<String> audiences) {
        if (!isMapping(node, field, "a mapping of notification kind to a list of audience names")) {
            return null;
        }
        int before = problems.size();
        var s = section(node, field, null);
        var result = new LinkedHashMap<String, List<String>>();
        for (var key : s.keys()) {
            var kind = key.toUpperCase(Locale.ROOT).replace('-', '_');
            if (!NotificationsSpec.KINDS.contains(kind)) {
                var close = closest(kind, NotificationsSpec.KINDS);
                problem(s.keyNode(key), s.at(key), "found notification kind \"" + clip(key) + "\"; "
                        + (close == null ? "expected one of " + String.join(", ", NotificationsSpec.KINDS)
                        : "did you mean " + close + "?"));
                continue;
            }
            if (result.containsKey(kind)) {
                problem(s.keyNode(key), s.at(key), "found kind " + kind + " twice (as another spelling); expected it once");
                continue;
            }
            var names = list(s.valueNode(key), s.at(key), "a list of audience names", (n, f) -> {
                var name = text("an audience name").read(n, f);
                if (name != null && (audiences == null || !audiences.contains(name))) {
                    problem(n, f, "found audience \"" + clip(name) + "\", which notifications.audiences does not define; "
                            + (audiences == null || audiences.isEmpty() ? "expected audiences to define it"
                            : "expected one of " + String.join(", ", audiences)));
                    return null;
                }
                return name;
            });
            if (names != null) {
                result.put(kind, names);
            }
        }
        return problems.size() != before ? null : result;
    }

    // ---- coordination --------------------------------------------------------------------------

    private CoordinationSpec coordination(Node node, String field) {
        if (!isMapping(node, field, "a mapping with zookeeper, namespace, session-timeout, daemon-id")) {
            return null;
        }
        int before = problems.size();
        var s = section(node, field, COORDINATION_KEYS);
        var servers = s.required("zookeeper", "the ZooKeeper ensemble as \"zk1:2181,zk2:2181,zk3:2181\"",
                this::zookeeperServers);
        var namespace = s.optional("namespace", this::zookeeperNamespace).orElse(CoordinationSpec.DEFAULT_NAMESPACE);
        var timeout = s.optional("session-timeout", this::sessionTimeout)
                .orElse(CoordinationSpec.DEFAULT_SESSION_TIMEOUT);
        var daemonId = s.optional("daemon-id", this::daemonId);
        return problems.size() != before || servers == null ? null
                : new CoordinationSpec(servers, namespace, timeout, daemonId);
    }

    private String daemonId(Node node, String field) {
        var value = text("a daemon id").read(node, field);
        if (value != null && !CoordinationSpec.DAEMON_ID.matcher(value).matches()) {
            problem(node, field, "found \"" + clip(value) + "\"; " + CoordinationSpec.DAEMON_ID_EXPECTED);
            return null;
        }
        return value;
    }

    private List<String> zookeeperServers(Node node, String field) {
        var value = text("a list of ZooKeeper servers").read(node, field);
        if (value == null) {
            return null;
        }
        var servers = new ArrayList<String>();
        for (var part : value.split(",", -1)) {
            var server = part.strip();
            if (!ZK_SERVER.matcher(server).matches() || !validPort(server.substring(server.lastIndexOf(':') + 1))) {
                problem(node, field, "found \"" + clip(value) + "\"; expected HOST:PORT entries separated by commas, "
                        + "e.g. \"zk1:2181,zk2:2181,zk3:2181\" (\"" + clip(server) + "\" is not HOST:PORT with a port "
                        + "1-65535)");
                return null;
            }
            servers.add(server);
        }
        return servers;
    }

    private static boolean validPort(String digits) {
        int port = Integer.parseInt(digits);
        return port >= 1 && port <= 65535;
    }

    private String zookeeperNamespace(Node node, String field) {
        var value = text("a ZooKeeper path").read(node, field);
        if (value != null && !ZK_NAMESPACE.matcher(value).matches()) {
            problem(node, field, "found \"" + clip(value) + "\"; expected a ZooKeeper path without a leading '/', "
                    + "e.g. drctl or bank/drctl (" + NAME_EXPECTED + " per part)");
            return null;
        }
        return value;
    }

    private Duration sessionTimeout(Node node, String field) {
        var d = duration(node, field);
        if (d == null) {
            return null;
        }
        if (d.compareTo(CoordinationSpec.MIN_SESSION_TIMEOUT) < 0 || d.compareTo(CoordinationSpec.MAX_SESSION_TIMEOUT) > 0) {
            problem(node, field, "found " + scalar(node) + "; expected between 4s and 40s (ZooKeeper's limits at its "
                    + "default 2 s tick: 2 to 20 ticks)");
            return null;
        }
        return d;
    }

    // ---- compliance ----------------------------------------------------------------------------

    private ComplianceSpec defaultCompliance() {
        return new ComplianceSpec("jdbc:sqlite:" + baseDir.resolve("drctl.db"), ComplianceSpec.Targets.defaults(),
                Period.ofYears(7), ZoneId.of("UTC"));
    }

    private ComplianceSpec compliance(Node node, String field) {
        if (!isMapping(node, field, "a mapping with store, targets, retention, time-zone, journal-key, digest-at")) {
            return null;
        }
        int before = problems.size();
        var d = defaultCompliance();
        var s = section(node, field, COMPLIANCE_KEYS);
        var store = s.optional("store", this::store).orElse(d.store());
        var targets = s.optionalBlock("targets", this::targets).orElse(d.targets());
        var retention = s.optional("retention", this::period).orElse(d.retention());
        var zone = s.optional("time-zone", this::zone).orElse(d.timeZone());
        var journalKey = s.optional("journal-key", this::fileSecret);
        var digestAt = s.optional("digest-at", this::timeOfDay).orElse(d.digestAt());
        return problems.size() != before ? null
                : new ComplianceSpec(store, targets, retention, zone, journalKey, digestAt);
    }

    private String store(Node node, String field) {
        var url = text("a JDBC URL").read(node, field);
        if (url == null) {
            return null;
        }
        if (url.startsWith("jdbc:sqlite:")) {
            var path = url.substring("jdbc:sqlite:".length());
            if (path.isEmpty() || path.startsWith(":") || path.startsWith("file:")) {
                return url;
            }
            return "jdbc:sqlite:" + baseDir.resolve(path).normalize();
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        problem(node, field, "found \"" + clip(JdbcUrls.redact(url)) + "\"; expected a jdbc:sqlite:PATH or "
                + "jdbc:postgresql://HOST/DB URL");
        return null;
    }

    private ComplianceSpec.Targets targets(Node node, String field) {
        if (!isMapping(node, field, "a mapping with rto, rpo, drill-every, notify-within")) {
            return null;
        }
        int before = problems.size();
        var d = ComplianceSpec.Targets.defaults();
        var s = section(node, field, TARGET_KEYS);
        var rto = s.optional("rto", this::duration).orElse(d.rto());
        var rpo = s.optional("rpo", this::duration).orElse(d.rpo());
        var drillEvery = s.optional("drill-every", this::duration).orElse(d.drillEvery());
        var notifyWithin = s.optional("notify-within", this::duration).orElse(d.notifyWithin());
        return problems.size() != before ? null : new ComplianceSpec.Targets(rto, rpo, drillEvery, notifyWithin);
    }

    private Period period(Node node, String field) {
        var value = text("a period").read(node, field);
        if (value == null) {
            return null;
        }
        var period = ConfigUnits.period(value);
        if (period.isEmpty() || period.get().isZero()) {
            problem(node, field, "found \"" + clip(value) + "\"; expected a period like 7y, 18m (months), 90d");
            return null;
        }
        return period.get();
    }

    private ZoneId zone(Node node, String field) {
        var value = text("a time zone").read(node, field);
        if (value == null) {
            return null;
        }
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            problem(node, field, "found \"" + clip(value) + "\", which is not a known time zone; "
                    + "expected an IANA zone id like Asia/Kolkata, Europe/Berlin or UTC");
            return null;
        }
    }

    // The journal key is a file only: an environment variable is inherited by every child process drctl starts.
    private SecretRef.File fileSecret(Node node, String field) {
        var value = scalar(node);
        if (value != null && value.startsWith("${env:")) {
            problem(node, field, "found an ${env:…} reference; the journal key must be a file readable only by drctl's "
                    + "account: ${file:/etc/drctl/journal.key} (create it with: openssl rand -hex 32)");
            return null;
        }
        var ref = secret(node, field);
        if (ref == null) {
            return null;
        }
        return switch (ref) {
            case SecretRef.File file -> file;
            case SecretRef.Env env -> {
                problem(node, field, "found an ${env:…} reference; expected ${file:/path}");
                yield null;
            }
        };
    }

    private static final Pattern TIME_OF_DAY = Pattern.compile("([01]?\\d|2[0-3]):([0-5]\\d)");

    private java.time.LocalTime timeOfDay(Node node, String field) {
        var value = text("a time of day").read(node, field);
        if (value == null) {
            return null;
        }
        var m = TIME_OF_DAY.matcher(value.strip());
        if (!m.matches()) {
            problem(node, field, "found \"" + clip(value) + "\"; expected a time of day HH:MM (24-hour), e.g. \"00:05\"");
            return null;
        }
        return java.time.LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    // ---- automation ----------------------------------------------------------------------------

    private AutomationSpec automation(Node node, String field) {
        if (!isMapping(node, field, "a mapping with max-failovers, window")) {
            return null;
        }
        int before = problems.size();
        var d = AutomationSpec.defaults();
        var s = section(node, field, AUTOMATION_KEYS);
        var max = s.optional("max-failovers", integer(1, 1000)).orElse(d.maxFailovers());
        var window = s.optional("window", this::duration).orElse(d.window());
        if (problems.size() != before) {
            return null;
        }
        if (window.isZero() || window.isNegative()) {
            problem(s.raw("window"), s.at("window"), "found " + describe(s.raw("window"))
                    + "; expected a positive duration like 10m (the breaker counts automatic failovers within it)");
            return null;
        }
        return new AutomationSpec(max, window);
    }

    // ---- daemon --------------------------------------------------------------------------------

    private DaemonSpec daemon(Node node, String field) {
        if (!isMapping(node, field, "a mapping with listen, token")) {
            return null;
        }
        int before = problems.size();
        var s = section(node, field, DAEMON_KEYS);
        var listen = s.optional("listen", this::listen).orElse(null);
        var token = s.optional("token", this::secret);
        if (problems.size() != before) {
            return null;
        }
        var d = DaemonSpec.defaults();
        var spec = listen == null ? new DaemonSpec(d.host(), d.port(), token) : new DaemonSpec(listen.host(), listen.port(), token);
        if (!spec.loopback() && token.isEmpty()) {
            problem(s.valueNode("listen"), s.at("listen"), "found " + spec.listen() + ", which is not a loopback address, "
                    + "and no token; expected a token: ${file:/path} (every request must then carry it as a bearer token), "
                    + "or listen on 127.0.0.1");
            return null;
        }
        return spec;
    }

    private record Listen(String host, int port) {
    }

    private static final Pattern LISTEN = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):(\\d{1,5})");

    private Listen listen(Node node, String field) {
        var value = text("HOST:PORT").read(node, field);
        if (value == null) {
            return null;
        }
        var m = LISTEN.matcher(value);
        int port = m.matches() ? Integer.parseInt(m.group(2)) : -1;
        if (port < 0 || port > 65535) {
            problem(node, field, "found \"" + clip(value) + "\"; expected HOST:PORT with a port 0-65535, e.g. 127.0.0.1:9187 "
                    + "or [::1]:9187");
            return null;
        }
        var host = m.group(1);
        return new Listen(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
    }

    // ---- drills --------------------------------------------------------------------------------

    private List<DrillSpec> drills(Node node, String field, Set<String> clusters) {
        var seen = new HashMap<String, Node>();
        return list(node, field, "a list of drills", (n, f) -> drill(n, f, clusters, seen));
    }

    private DrillSpec drill(Node node, String field, Set<String> clusters, Map<String, Node> seen) {
        if (!isMapping(node, field, "a drill: a mapping with name, cluster, environment, failure and optionally "
                + "schedule, workload, targets")) {
            return null;
        }
        int before = problems.size();
        var s = section(node, field, DRILL_KEYS);
        var name = s.required("name", "the drill's name", this::name);
        if (name != null) {
            unique(seen, name, s.valueNode("name"), s.at("name"), "drill");
        }
        var cluster = s.required("cluster", "the name of a configured cluster", (n, f) -> {
            var value = text("a cluster name").read(n, f);
            if (value != null && clusters != null && !clusters.contains(value)) {
                var close = closest(value, clusters);
                problem(n, f, "found cluster \"" + clip(value) + "\", which is not configured; "
                        + (close != null ? "did you mean " + close + "?"
                        : "expected one of " + String.join(", ", new TreeSet<>(clusters))));
                return null;
            }
            return value;
        });
        var schedule = s.optional("schedule", this::cron);
        var environment = s.required("environment", "one of " + String.join(", ", ENVIRONMENTS.keySet()),
                choice(ENVIRONMENTS));
        var failure = s.required("failure", "one of " + String.join(", ", FAILURES.keySet()), choice(FAILURES));
        var workload = s.optionalBlock("workload", this::workload).orElse(DrillSpec.Workload.defaults());
        var targets = s.optionalBlock("targets", this::drillTargets).orElse(new DrillTargets(null, null));
        var daemonMayRun = s.optional("daemon-may-run", this::bool);
        if (problems.size() == before && (environment == DrillSpec.Environment.CLUSTER) != failure.planned()) {
            // the real cluster takes a planned switchover only; a disposable copy takes an injected failure
            problem(s.valueNode("failure"), s.at("failure"), environment == DrillSpec.Environment.CLUSTER
                    ? "found failure " + failure.configName() + " on a drill with environment: cluster, which never "
                    + "injects a failure into the real cluster; expected switchover (or none): a planned switchover to "
                    + "the best replica and back, or environment: local or testcontainers for " + failure.configName()
                    : "found failure " + failure.configName() + ", the game day's planned switchover of the real "
                    + "cluster; expected environment: cluster with it, or a failure to inject into the "
                    + environment.configName() + " copy (kill-primary, …)");
        }
        if (problems.size() == before && environment == DrillSpec.Environment.CLUSTER && schedule.isPresent()
                && !daemonMayRun.orElse(false)) {
            // a schedule is what the daemon runs; on the real cluster that must be said in so many words
            problem(s.valueNode("schedule"), s.at("schedule"), "found a schedule on a drill with environment: cluster "
                    + "(a switchover round trip on the real cluster); expected daemon-may-run: true beside it to let the "
                    + "daemon run it on that schedule, or no schedule (run it by hand with drctl drill run)");
        }
        if (problems.size() != before) {
            return null;
        }
        return new DrillSpec(name, new ClusterName(cluster), schedule, environment, failure, workload,
                Optional.ofNullable(targets.rto()), Optional.ofNullable(targets.rpo()),
                daemonMayRun.orElse(environment != DrillSpec.Environment.CLUSTER));
    }

    private record DrillTargets(Duration rto, Duration rpo) {
    }

    private DrillSpec.Workload workload(Node node, String field) {
        if (!isMapping(node, field, "a mapping with inserts-per-second, duration")) {
            return null;
        }
        int before = problems.size();
        var d = DrillSpec.Workload.defaults();
        var s = section(node, field, WORKLOAD_KEYS);
        var rate = s.optional("inserts-per-second", integer(1, 10_000)).orElse(d.insertsPerSecond());
        var duration = s.optional("duration", this::duration).orElse(d.duration());
        if (problems.size() == before && (duration.isZero() || duration.compareTo(Duration.ofHours(1)) > 0)) {
            problem(s.valueNode("duration"), s.at("duration"), "found " + ConfigUnits.format(duration)
                    + "; expected a duration from 1s to 1h");
        }
        return problems.size() != before ? null : new DrillSpec.Workload(rate, duration);
    }

    private DrillTargets drillTargets(Node node, String field) {
        if (!isMapping(node, field, "a mapping with rto, rpo")) {
            return null;
        }
        int before = problems.size();
        var s = section(node, field, DRILL_TARGET_KEYS);
        var rto = s.optional("rto", this::duration).orElse(null);
        var rpo = s.optional("rpo", this::duration).orElse(null);
        return problems.size() != before ? null : new DrillTargets(rto, rpo);
    }

    private DrillSchedule cron(Node node, String field) {
        var value = text("a cron schedule").read(node, field);
        if (value == null) {
            return null;
        }
        var expected = "expected a Unix cron expression of 5 fields (minute hour day-of-month month day-of-week), "
                + "e.g. \"0 2 * * SUN\", or a Quartz one of 6-7 fields (seconds first), e.g. \"0 0 2 ? * SUN\"";
        var text = value.strip();
        int fields = text.split("\\s+").length;
        var flavour = DrillSchedule.Flavour.ofFields(fields);
        if (flavour.isEmpty()) {
            problem(node, field, "found \"" + clip(value) + "\" with " + fields + (fields == 1 ? " field; " : " fields; ")
                    + expected);
            return null;
        }
        // Parsing a schedule compiles regular expressions (a millisecond or more): each distinct text is parsed once.
        var invalid = cronVerdicts.computeIfAbsent(text, v -> cronProblem(v, flavour.get()));
        if (invalid.isEmpty()) {
            return new DrillSchedule(text, flavour.get());
        }
        problem(node, field, "found \"" + clip(value) + "\", which is not a valid " + flavour.get().configName()
                + " cron schedule (" + invalid.get() + "); " + expected);
        return null;
    }

    /** Why {@code value} is not a valid cron schedule of {@code flavour}, or empty when it is. */
    private static Optional<String> cronProblem(String value, DrillSchedule.Flavour flavour) {
        var type = switch (flavour) {
            case UNIX -> CronType.UNIX;
            case QUARTZ -> CronType.QUARTZ;
        };
        try {
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(type)).parse(value).validate();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            var why = String.valueOf(e.getMessage()).replaceFirst("^Failed to parse cron expression\\.\\s*", "");
            why = why.isEmpty() ? why : Character.toLowerCase(why.charAt(0)) + why.substring(1);
            return Optional.of(why.substring(0, Math.min(why.length(), 160)));
        }
    }

    // ---- scalar readers ------------------------------------------------------------------------

    @FunctionalInterface
    interface Reader<T> {
        /** Returns null only after recording a problem. */
        T read(Node node, String field);
    }

    private Reader<String> text(String expected) {
        return (node, field) -> {
            if (node instanceof ScalarNode scalar && !isNull(scalar)) {
                var value = scalar.getValue().strip();
                if (!value.isEmpty()) {
                    return value;
                }
            }
            problem(node, field, "found " + describe(node) + "; expected " + expected);
            return null;
        };
    }

    private String name(Node node, String field) {
        var value = text("a name").read(node, field);
        if (value != null && !NAME.matcher(value).matches()) {
            problem(node, field, "found \"" + clip(value) + "\"; expected a name of " + NAME_EXPECTED);
            return null;
        }
        return value;
    }

    private String host(Node node, String field) {
        var value = text("a host name or IP address").read(node, field);
        if (value != null && !HOST.matcher(value).matches()) {
            problem(node, field, "found \"" + clip(value) + "\"; expected a host name or IP address (no scheme, port or path)");
            return null;
        }
        return value;
    }

    private String url(Node node, String field) {
        var value = text("an http(s) URL").read(node, field);
        if (value == null) {
            return null;
        }
        try {
            var uri = new URI(value);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below; the URL itself is not echoed, a webhook URL is often a bearer secret
        }
        problem(node, field, "found a value that is not an http(s) URL; expected a URL like https://host/path");
        return null;
    }

    private Reader<Integer> integer(int min, int max) {
        return (node, field) -> {
            var value = scalar(node);
            if (value != null && INTEGER.matcher(value).matches()) {
                long n = Long.parseLong(value);
                if (n >= min && n <= max) {
                    return (int) n;
                }
            }
            var range = max == Integer.MAX_VALUE ? (min == Integer.MIN_VALUE ? "an integer" : "an integer >= " + min)
                    : "an integer from " + min + " to " + max;
            problem(node, field, "found " + describe(node) + "; expected " + range);
            return null;
        };
    }

    private Boolean bool(Node node, String field) {
        var value = scalar(node);
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        problem(node, field, "found " + describe(node) + "; expected true or false");
        return null;
    }

    private Duration duration(Node node, String field) {
        var value = scalar(node);
        if (value != null) {
            var d = ConfigUnits.duration(value);
            if (d.isPresent()) {
                return d.get();
            }
            if (NUMBER.matcher(value).matches()) {
                problem(node, field, "found " + value + " (a number without a unit); " + DURATION_EXPECTED);
                return null;
            }
        }
        problem(node, field, "found " + describe(node) + "; " + DURATION_EXPECTED);
        return null;
    }

    /** A number of seconds ({@code 10}, {@code 2.5}) or a duration ({@code 10s}, {@code 500ms}). */
    private Duration seconds(Node node, String field) {
        var value = scalar(node);
        if (value != null) {
            if (NUMBER.matcher(value).matches()) {
                // Whole milliseconds, the rest cut off; by hand, since BigDecimal's first use costs a start-up ~20 ms.
                int dot = value.indexOf('.');
                long whole = Long.parseLong(dot < 0 ? value : value.substring(0, dot));
                long millis = dot < 0 ? 0 : Long.parseLong((value.substring(dot + 1) + "00").substring(0, 3));
                return Duration.ofMillis(whole * 1000 + millis);
            }
            var d = ConfigUnits.duration(value);
            if (d.isPresent()) {
                return d.get();
            }
        }
        problem(node, field, "found " + describe(node) + "; expected a number of seconds like 10 or a duration like 10s");
        return null;
    }

    private DataSize size(Node node, String field) {
        var value = scalar(node);
        if (value != null) {
            var size = ConfigUnits.size(value);
            if (size.isPresent()) {
                return size.get();
            }
            if (NUMBER.matcher(value).matches()) {
                problem(node, field, "found " + value + " (a number without a unit); " + SIZE_EXPECTED);
                return null;
            }
        }
        problem(node, field, "found " + describe(node) + "; " + SIZE_EXPECTED);
        return null;
    }

    // Never echoes the value: a wrong secret field most likely holds the secret itself.
    private SecretRef secret(Node node, String field) {
        var expected = "expected ${env:NAME} or ${file:/path}";
        var value = scalar(node);
        if (value == null) {
            problem(node, field, "found " + (node instanceof ScalarNode ? "nothing" : describe(node)) + "; " + expected);
            return null;
        }
        var m = SECRET.matcher(value);
        if (!m.matches()) {
            problem(node, field, value.startsWith("${")
                    ? "found a malformed secret reference; " + expected
                    : "found a literal value; literal secrets are not allowed; use ${env:…} or ${file:…}");
            return null;
        }
        var source = m.group(1);
        var target = m.group(2);
        switch (source) {
            case "env" -> {
                if (ENV_NAME.matcher(target).matches()) {
                    return new SecretRef.Env(target);
                }
                problem(node, field, "found ${env:" + (target.isEmpty() ? "" : "…")
                        + "} without a valid variable name; expected ${env:NAME} with NAME made of letters, digits, '_'");
                return null;
            }
            case "file" -> {
                if (!target.isBlank()) {
                    var ref = new SecretRef.File(baseDir.resolve(target.strip()).normalize());
                    // checked now, without reading it: a device or a FIFO must not wait for the first probe to fail
                    var unusable = ref.unusable();
                    if (unusable.isPresent()) {
                        problem(node, field, "secret " + ref.reference() + ": " + unusable.get());
                        return null;
                    }
                    return ref;
                }
                problem(node, field, "found ${file:} without a path; expected ${file:/path} (relative paths resolve "
                        + "against the config file's directory)");
                return null;
            }
            default -> {
                var known = ENV_NAME.matcher(source).matches() && source.length() <= 20 ? "\"" + source + "\"" : "one";
                problem(node, field, "found an unsupported secret source " + known + "; " + expected);
                return null;
            }
        }
    }

    private <E> Reader<E> choice(Map<String, E> options) {
        return (node, field) -> {
            var value = scalar(node);
            for (var option : options.entrySet()) {
                if (option.getKey().equalsIgnoreCase(value)) {
                    return option.getValue();
                }
            }
            problem(node, field, "found " + describe(node) + "; expected one of " + String.join(", ", options.keySet()));
            return null;
        };
    }

    // ---- structure -----------------------------------------------------------------------------

    private <T> List<T> list(Node node, String field, String expected, Reader<T> item) {
        var items = sequence(node, field, expected);
        if (items == null) {
            return null;
        }
        var result = new ArrayList<T>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            var value = item.read(items.get(i), field + "[" + i + "]");
            ok &= value != null;
            if (value != null) {
                result.add(value);
            }
        }
        return ok ? result : null;
    }

    private List<Node> sequence(Node node, String field, String expected) {
        if (node instanceof SequenceNode seq) {
            return seq.getValue();
        }
        problem(node, field, "found " + describe(node) + "; expected " + expected);
        return null;
    }

    private boolean isMapping(Node node, String field, String expected) {
        if (node instanceof MappingNode) {
            return true;
        }
        problem(node, field, "found " + describe(node) + "; expected " + expected);
        return false;
    }

    /** A mapping whose keys were checked: unknown and duplicate keys are recorded as problems. */
    private Section section(Node node, String path, List<String> known) {
        return new Section((MappingNode) node, path, known);
    }

    private final class Section {
        private final MappingNode node;
        private final String path;
        private final Map<String, Node> keys = new LinkedHashMap<>();
        private final Map<String, Node> values = new LinkedHashMap<>();
        /** Known keys an unknown key was taken for: that key's "missing" would only repeat the typo's problem. */
        private final Set<String> suggested = new HashSet<>();

        Section(MappingNode node, String path, List<String> known) {
            this.node = node;
            this.path = path;
            for (var tuple : node.getValue()) {
                var keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode ks) || isNull(ks)) {
                    problem(keyNode, path, "found " + describe(keyNode) + " as a key; expected a plain key name");
                    continue;
                }
                var key = ks.getValue();
                if (keyNode.getTag().equals(Tag.MERGE)) {
                    problem(keyNode, at(key), "found a YAML merge key; merge keys are not supported, write the keys out");
                    continue;
                }
                if (known != null && !known.contains(key)) {
                    var close = closest(key, known);
                    if (close != null) {
                        suggested.add(close);
                    }
                    problem(keyNode, at(key), "unknown key \"" + clip(key) + "\"; " + (close != null
                            ? "did you mean " + close + "?" : "expected one of " + String.join(", ", known)));
                    continue;
                }
                var earlier = keys.putIfAbsent(key, keyNode);
                if (earlier != null) {
                    problem(keyNode, at(key), "found key \"" + clip(key) + "\" again (first at line " + line(earlier)
                            + "); expected each key once");
                    continue;
                }
                values.put(key, tuple.getValueNode());
            }
        }

        String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        Set<String> keys() {
            return new LinkedHashSet<>(keys.keySet());
        }

        /** The value's node as written, or null when absent. */
        Node raw(String key) {
            return values.get(key);
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        Node keyNode(String key) {
            return keys.get(key);
        }

        /** The value's node, or the mapping itself when the key is absent (a place to point at). */
        Node valueNode(String key) {
            return values.getOrDefault(key, node);
        }

        <T> T required(String key, String expected, Reader<T> reader) {
            var value = values.get(key);
            if (value == null) {
                if (!suggested.contains(key)) {
                    problem(node, at(key), "missing; expected " + expected);
                }
                return null;
            }
            if (value instanceof ScalarNode s && isNull(s)) {
                problem(value, at(key), "found nothing; expected " + expected);
                return null;
            }
            return reader.read(value, at(key));
        }

        /** Absent means "not set"; a key written with nothing after it is a problem for the reader to name. */
        <T> Optional<T> optional(String key, Reader<T> reader) {
            var value = values.get(key);
            if (value == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(reader.read(value, at(key)));
        }

        /** For a mapping or list: written with nothing after it (e.g. every entry commented out) means "not set". */
        <T> Optional<T> optionalBlock(String key, Reader<T> reader) {
            var value = values.get(key);
            if (value == null || value instanceof ScalarNode s && isNull(s)) {
                return Optional.empty();
            }
            return Optional.ofNullable(reader.read(value, at(key)));
        }

        void requireFor(String key, String provider, String expected) {
            if (!has(key) && !suggested.contains(key)) {
                problem(node, at(key), "missing; expected " + expected + " (required for provider " + provider + ")");
            }
        }

        void onlyFor(String key, String provider, String owner) {
            if (has(key)) {
                problem(keyNode(key), at(key), "found " + key + " with provider " + provider + "; expected it only with provider "
                        + owner);
            }
        }
    }

    // ---- small pieces --------------------------------------------------------------------------

    /**
     * The scalar values of {@code key} in each mapping of a list, read leniently, for cross-references
     * (drill to cluster, region lists to node regions) while the list itself may have problems of its
     * own. Null when {@code list} is not a list, so no cross-reference is checked against nothing.
     */
    private static Set<String> rawValues(Node list, String key) {
        if (!(list instanceof SequenceNode seq)) {
            return null;
        }
        var result = new TreeSet<String>();
        for (var item : seq.getValue()) {
            if (item instanceof MappingNode m) {
                for (var tuple : m.getValue()) {
                    var k = scalar(tuple.getKeyNode());
                    var v = scalar(tuple.getValueNode());
                    if (key.equals(k) && v != null) {
                        result.add(v);
                    }
                }
            }
        }
        return result;
    }

    /** The keys of a mapping, read leniently (see {@link #rawValues}); null when it is not a mapping. */
    private static Set<String> rawKeys(Node mapping) {
        if (!(mapping instanceof MappingNode m)) {
            return null;
        }
        var result = new TreeSet<String>();
        for (var tuple : m.getValue()) {
            var k = scalar(tuple.getKeyNode());
            if (k != null) {
                result.add(k);
            }
        }
        return result;
    }

    private void unique(Map<String, Node> seen, String name, Node at, String field, String what) {
        var earlier = seen.putIfAbsent(name, at);
        if (earlier != null) {
            problem(at, field, "found " + what + " name \"" + name + "\" again (first at line " + line(earlier)
                    + "); expected " + what + " names to be unique");
        }
    }

    /** More problems than anyone reads: past this, one line says so (and the file is likely not a drctl config). */
    static final int MAX_PROBLEMS = 100;

    private void problem(Node at, String field, String message) {
        var mark = at.getStartMark();
        problems.add(new ConfigProblem(file, mark.getLine() + 1, mark.getColumn() + 1, field, message));
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private static boolean isNull(ScalarNode node) {
        return node.getTag().equals(Tag.NULL) && node.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN;
    }

    /** A non-null scalar's text, or null for anything else. */
    private static String scalar(Node node) {
        return node instanceof ScalarNode s && !isNull(s) ? s.getValue().strip() : null;
    }

    private static String describe(Node node) {
        return switch (node) {
            case ScalarNode s when isNull(s) -> "nothing";
            case ScalarNode s when s.getValue().isBlank() -> "an empty string";
            case ScalarNode s -> "\"" + clip(s.getValue()) + "\"";
            case SequenceNode q -> "a list";
            case MappingNode m -> "a mapping";
            default -> "a " + node.getNodeId();
        };
    }

    private static String clip(String s) {
        var oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }

    /** The closest known word, if it is close enough to be the intended one. */
    static String closest(String word, java.util.Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (var k : known) {
            int d = distance(word.toLowerCase(Locale.ROOT).replace('_', '-'), k.toLowerCase(Locale.ROOT).replace('_', '-'));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        var prev = new int[b.length() + 1];
        var cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            var t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static <E> Map<String, E> choices(E[] values, java.util.function.Function<E, String> spelling) {
        var map = new LinkedHashMap<String, E>();
        for (var v : values) {
            map.put(spelling.apply(v), v);
        }
        return map;
    }

    private static Map<String, String> strings(String... values) {
        var map = new LinkedHashMap<String, String>();
        for (var v : values) {
            map.put(v, v);
        }
        return map;
    }
}
