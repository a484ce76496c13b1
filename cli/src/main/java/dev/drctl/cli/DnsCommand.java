package dev.drctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalKind;
import dev.drctl.dns.ChangeOrigin;
import dev.drctl.dns.DnsChangeOutcome;
import dev.drctl.dns.DnsException;
import dev.drctl.dns.DnsProvider;
import dev.drctl.dns.DnsProviders;
import dev.drctl.dns.HostResolver;
import dev.drctl.dns.WriterRecord;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.ErrorCode;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.TopologyErrorCode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drctl dns show|sync}: is the writer name on the current primary, and put it back when it is not. */
@Command(name = "dns", description = "Show the writer (and reader) DNS record and repair one that drifted.",
        subcommands = {DnsCommand.Show.class, DnsCommand.Sync.class})
final class DnsCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        err.println("drctl dns: missing subcommand; try 'drctl dns show CLUSTER -c FILE'.");
        spec.commandLine().usage(err);
        err.flush();
        return ErrorCode.BAD_USAGE;
    }

    /** What one look at the cluster found: the primary (if exactly one answered writable) and the record. */
    record Look(ClusterSpec cluster, DnsSpec dns, List<NodeName> writable, Optional<WriterRecord> record,
                Optional<NodeName> recordNode, Optional<WriterRecord> expected, Optional<WriterRecord> reader,
                String problem) {

        Optional<NodeName> primary() {
            return writable.size() == 1 ? Optional.of(writable.getFirst()) : Optional.empty();
        }

        boolean inSync() {
            return problem.isEmpty();
        }
    }

    static Look look(DrctlConfig cfg, String clusterName, DnsProvider dns, Host host) {
        var cluster = cluster(cfg, clusterName);
        List<NodeName> writable;
        try (var scheduler = new ProbeScheduler(List.of(cluster), host.environment(), host.clock())) {
            var round = scheduler.probeOnce(cluster);
            writable = cluster.nodes().stream().map(NodeSpec::name)
                    .filter(n -> round.latest(n).map(o -> o.outcome() instanceof ProbeOutcome.Reached r && r.writable())
                            .orElse(false))
                    .toList();
        }
        var record = dns.readWriter();
        var recordNode = dns.writerNode();
        var reader = dns.readReader();
        if (writable.size() != 1) {
            var problem = writable.isEmpty() ? "no node answered as a writable primary; cannot tell where the writer "
                    + "record should point" : "several nodes answered writable (" + names(writable) + "): a split brain; "
                    + "the writer record will not be pointed at a guess";
            return new Look(cluster, dns.spec(), writable, record, recordNode, Optional.empty(), reader, problem);
        }
        var primary = cluster.node(writable.getFirst()).orElseThrow();
        WriterRecord expected;
        try {
            expected = dns.writerFor(primary);
        } catch (DnsException e) {
            return new Look(cluster, dns.spec(), writable, record, recordNode, Optional.empty(), reader, e.getMessage());
        }
        String problem = "";
        if (record.isEmpty()) {
            problem = "the writer record " + expected.name() + " does not exist";
        } else if (!record.get().equals(expected)) {
            problem = "the writer record holds " + record.get().describe() + " but the primary " + primary.name()
                    + " needs " + expected.describe();
        } else if (recordNode.filter(n -> !n.equals(primary.name())).isPresent()) {
            problem = "the writer record was pointed at " + recordNode.get() + " but the primary is " + primary.name();
        }
        return new Look(cluster, dns.spec(), writable, record, recordNode, Optional.of(expected), reader, problem);
    }

    static ClusterSpec cluster(DrctlConfig cfg, String name) {
        return ConfigOption.cluster(cfg, name);
    }

    static DnsProvider provider(ClusterSpec cluster, Host host) {
        var spec = cluster.dns().orElseThrow(() -> new DrctlException(TopologyErrorCode.BAD_CONFIG, "cluster "
                + cluster.name() + " has no 'dns:' section; add one (provider, record, type, ttl) to use drctl dns"));
        return DnsProviders.forSpec(spec, host.environment(), HostResolver.system(), host.clock());
    }

    private static String names(List<NodeName> nodes) {
        return String.join(", ", nodes.stream().map(NodeName::value).toList());
    }

    static Map<String, Object> recordJson(WriterRecord r) {
        var m = new LinkedHashMap<String, Object>();
        m.put("name", r.name());
        m.put("type", r.type().name());
        m.put("ttl", r.ttl());
        m.put("values", r.values());
        return m;
    }

    static Map<String, Object> lookJson(Look l) {
        var m = new LinkedHashMap<String, Object>();
        m.put("cluster", l.cluster().name().value());
        m.put("provider", l.dns().provider().name().toLowerCase(java.util.Locale.ROOT));
        m.put("record", l.record().map(DnsCommand::recordJson).orElse(null));
        m.put("recordNode", l.recordNode().map(NodeName::value).orElse(null));
        m.put("primary", l.primary().map(NodeName::value).orElse(null));
        m.put("writableNodes", l.writable().stream().map(NodeName::value).toList());
        m.put("expected", l.expected().map(DnsCommand::recordJson).orElse(null));
        m.put("inSync", l.inSync());
        m.put("problem", l.problem().isEmpty() ? null : l.problem());
        m.put("reader", l.reader().map(DnsCommand::recordJson).orElse(null));
        return m;
    }

    static void table(PrintWriter out, Look l) {
        out.printf("%-9s %s (%s provider)%n", "cluster", l.cluster().name(),
                l.dns().provider().name().toLowerCase(java.util.Locale.ROOT));
        out.printf("%-9s %s%s%n", "writer", l.record().map(WriterRecord::describe).orElse(l.dns().record() + " (absent)"),
                l.recordNode().map(n -> " (node " + n + ")").orElse(""));
        out.printf("%-9s %s%n", "primary", l.primary().map(NodeName::value)
                .orElse(l.writable().isEmpty() ? "(none writable)" : "(several writable: " + names(l.writable()) + ")"));
        l.expected().ifPresent(e -> out.printf("%-9s %s%n", "expected", e.describe()));
        l.dns().readerRecord().ifPresent(name -> out.printf("%-9s %s%n", "reader",
                l.reader().map(WriterRecord::describe).orElse(name + " (absent)")));
        out.printf("%-9s %s%n", "state", l.inSync() ? "in sync: the writer record points at the primary"
                : "DRIFTED: " + l.problem());
    }

    private static String json(Object value) throws JsonProcessingException {
        return Json.pretty(value);
    }

    /** {@code drctl dns show}: exit 0 when the writer record points at the current primary, 1 when it does not. */
    @Command(name = "show", description = "Print the writer (and reader) record and whether it points at the current "
            + "primary (probed once).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the writer record points at the current primary",
                    "1:it drifted, or no single writable primary was observed",
                    "2:bad usage or bad config"})
    static final class Show implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Mixin
        OutputOption output;
        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster, as named in the config.")
        String cluster;

        private final Host host;

        Show(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() throws JsonProcessingException {
            var cfg = config.load();
            var clusterSpec = cluster(cfg, cluster);
            Look look;
            try (var dns = provider(clusterSpec, host)) {
                look = look(cfg, cluster, dns, host);
            }
            var out = spec.commandLine().getOut();
            switch (output.format()) {
                case TABLE -> table(out, look);
                case JSON -> out.println(json(lookJson(look)));
            }
            out.flush();
            return look.inSync() ? ErrorCode.OK : ErrorCode.OPERATION_FAILED;
        }
    }

    /**
     * {@code drctl dns sync}: points a drifted writer record at the one writable primary, journaling intent and
     * outcome. Refuses (exit 3) when there is not exactly one writable primary: DNS never points at a guess.
     */
    @Command(name = "sync", description = "Point a drifted writer record at the current primary (journaled). Refused "
            + "when no single writable primary is observed.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:in sync (already, or repaired and verified; --dry-run: the plan was printed)",
                    "1:the change failed or was not confirmed live in time",
                    "2:bad usage or bad config",
                    "3:refused: no single writable primary (none, or several)"})
    static final class Sync implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Mixin
        OutputOption output;
        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster, as named in the config.")
        String cluster;
        @Option(names = "--dry-run", description = "Print what would change; change and journal nothing.")
        boolean dryRun;
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT2M",
                description = "How long the change may take, including waiting until it is live (ISO-8601, "
                        + "default ${DEFAULT-VALUE}).")
        Duration timeout;

        private final Host host;

        Sync(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() throws JsonProcessingException {
            var cfg = config.load();
            var clusterSpec = cluster(cfg, cluster);
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            var result = new LinkedHashMap<String, Object>();
            int exit;
            try (var dns = provider(clusterSpec, host)) {
                var look = look(cfg, cluster, dns, host);
                result.putAll(lookJson(look));
                result.put("dryRun", dryRun);
                if (look.primary().isEmpty()) {
                    result.put("action", "refused");
                    exit = ErrorCode.REFUSED;
                    err.println(spec.commandLine().getColorScheme().errorText("drctl: dns sync refused for " + cluster
                            + ": " + look.problem() + "; run 'drctl status -c " + config.file() + "' and resolve the "
                            + "primary first"));
                } else if (look.inSync()) {
                    result.put("action", "none");
                    exit = ErrorCode.OK;
                } else if (look.expected().isEmpty()) {
                    result.put("action", "failed");
                    exit = ErrorCode.OPERATION_FAILED;
                    err.println(spec.commandLine().getColorScheme().errorText("drctl: dns sync for " + cluster
                            + " cannot build the record: " + look.problem()));
                } else if (dryRun) {
                    result.put("action", "would-change");
                    exit = ErrorCode.OK;
                } else {
                    var outcome = repair(cfg, clusterSpec, look, dns);
                    result.put("action", "changed");
                    result.put("outcome", outcome.summary());
                    exit = switch (outcome) {
                        case DnsChangeOutcome.Applied a -> ErrorCode.OK;
                        case DnsChangeOutcome.Pending p -> ErrorCode.OPERATION_FAILED;
                        case DnsChangeOutcome.Failed f -> ErrorCode.OPERATION_FAILED;
                    };
                }
            }
            switch (output.format()) {
                case TABLE -> out.println(sentence(result));
                case JSON -> out.println(json(result));
            }
            out.flush();
            err.flush();
            return exit;
        }

        private static String sentence(Map<String, Object> r) {
            return switch (String.valueOf(r.get("action"))) {
                case "none" -> "in sync: " + r.get("cluster") + "'s writer record already points at " + r.get("primary");
                case "would-change" -> "dry run: would point the writer record at " + r.get("primary") + " ("
                        + r.get("problem") + "); nothing changed";
                case "changed" -> "dns sync: " + r.get("outcome");
                default -> "dns sync: nothing changed (" + r.get("problem") + ")";
            };
        }

        /** Write-ahead: the intent is durable before the record moves (safety rule 7). */
        private DnsChangeOutcome repair(DrctlConfig cfg, ClusterSpec clusterSpec, Look look, DnsProvider dns) {
            var primary = clusterSpec.node(look.primary().orElseThrow()).orElseThrow();
            var runId = "dns-sync-" + UUID.randomUUID();
            try (var store = AuditCommand.open(cfg, host)) {
                var epoch = store.clusterStates().load(clusterSpec.name()).epoch();
                var actor = AuditCommand.user(host);
                var intent = new LinkedHashMap<String, Object>();
                intent.put("step", "dns-sync");
                intent.put("record", look.expected().get().name());
                intent.put("from", look.record().map(WriterRecord::describe).orElse("(absent)"));
                intent.put("to", look.expected().get().describe());
                intent.put("reason", look.problem());
                store.journal().append(JournalDraft.of(actor, JournalKind.STEP_INTENT, intent)
                        .cluster(clusterSpec.name()).node(primary.name()).run(runId).epoch(epoch));
                var outcome = dns.pointWriter(primary, new ChangeOrigin(clusterSpec.name(), epoch, runId), timeout);
                var result = new LinkedHashMap<String, Object>();
                result.put("step", "dns-sync");
                result.put("outcome", switch (outcome) {
                    case DnsChangeOutcome.Applied a -> "applied";
                    case DnsChangeOutcome.Pending p -> "pending";
                    case DnsChangeOutcome.Failed f -> "failed";
                });
                result.put("summary", outcome.summary());
                store.journal().append(JournalDraft.of(actor, JournalKind.STEP_OUTCOME, result)
                        .cluster(clusterSpec.name()).node(primary.name()).run(runId).epoch(epoch));
                return outcome;
            }
        }
    }
}
