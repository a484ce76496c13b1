package dev.drctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ConfigException;
import dev.drctl.topology.ConfigProblem;
import dev.drctl.topology.ConfigUnits;
import dev.drctl.topology.DrillSchedule;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.ErrorCode;
import dev.drctl.topology.JdbcUrls;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.SecretRef;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code drctl config …}: work with the configuration file. */
@Command(name = "config", description = "Validate the configuration file.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand extends CommandGroup {
    @Override
    String example() {
        return "drctl config check -c FILE";
    }

    /**
     * {@code drctl config check}: valid → a short summary, exit 0; invalid → every problem as
     * {@code FILE:LINE:COL: FIELD: MESSAGE}, exit 2. Secret references are shown as written, their
     * values never; a password inside the store URL is redacted; webhook URLs show only their host
     * (the path of a Slack-style hook is itself a credential).
     */
    @Command(name = "check", description = "Validate the config: every problem with file, line, field and what "
            + "was expected (exit 2), or a summary (exit 0).")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Mixin
        OutputOption output;

        private final Host host;

        Check(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() throws JsonProcessingException {
            var out = spec.commandLine().getOut();
            try {
                var summary = summarize(config.load());
                switch (output.format()) {
                    case TABLE -> printSummary(out, summary);
                    case JSON -> out.println(json(summary));
                }
                out.flush();
                return ErrorCode.OK;
            } catch (ConfigException e) {
                var invalid = new Invalid(false, config.file().toString(),
                        e.problems().stream().map(ProblemView::of).toList());
                switch (output.format()) {
                    case TABLE -> {
                        e.problems().forEach(out::println);
                        out.println("config " + config.file() + " is invalid: " + e.problems().size()
                                + (e.problems().size() == 1 ? " problem" : " problems"));
                    }
                    case JSON -> out.println(json(invalid));
                }
                out.flush();
                return e.code().exitCode();
            }
        }

        private Summary summarize(DrctlConfig c) {
            var warnings = new ArrayList<String>();
            var clusters = new ArrayList<ClusterView>();
            for (int i = 0; i < c.clusters().size(); i++) {
                var cluster = c.clusters().get(i);
                clusters.add(ClusterView.of(cluster));
                int index = i;
                cluster.credentials().password().ifPresent(ref ->
                        checkSecret(ref, "clusters[" + index + "].credentials.password", warnings));
            }
            var n = c.notifications();
            n.email().flatMap(e -> e.password()).ifPresent(ref -> checkSecret(ref, "notifications.email.password", warnings));
            for (int i = 0; i < n.webhooks().size(); i++) {
                int index = i;
                n.webhooks().get(i).secret().ifPresent(ref ->
                        checkSecret(ref, "notifications.webhooks[" + index + "].secret", warnings));
            }
            var notifications = new NotificationsView(
                    n.email().map(e -> e.host() + ":" + e.port() + (e.tls() ? " tls" : e.starttls() ? " starttls" : "")
                            + " from " + e.from()).orElse(null),
                    new TreeSet<>(n.audiences().keySet()).stream().toList(),
                    n.webhooks().stream().map(w -> origin(w.url()) + " (" + w.format() + ")").toList(),
                    new TreeSet<>(n.routes().keySet()).stream().toList());
            c.compliance().journalKey().ifPresent(ref -> checkSecret(ref, "compliance.journal-key", warnings));
            var t = c.compliance().targets();
            var compliance = new ComplianceView(JdbcUrls.redact(c.compliance().store()),
                    ConfigUnits.format(t.rto()), ConfigUnits.format(t.rpo()), ConfigUnits.format(t.drillEvery()),
                    ConfigUnits.format(t.notifyWithin()), ConfigUnits.format(c.compliance().retention()),
                    c.compliance().timeZone().getId());
            var drills = c.drills().stream().map(d -> new DrillView(d.name(), d.cluster().value(),
                    d.schedule().map(DrillSchedule::expression).orElse("(by hand)"), d.environment().configName(),
                    d.failure().configName())).toList();
            return new Summary(true, config.file().toString(), clusters, notifications, compliance, drills, warnings);
        }

        // Whether the secret can be read here, without reading it: the daemon may run elsewhere, so a warning.
        private void checkSecret(SecretRef ref, String field, List<String> warnings) {
            switch (ref) {
                case SecretRef.Env env -> {
                    if (!host.environment().containsKey(env.variable())) {
                        warnings.add(field + ": " + ref.reference() + " is not set in this environment");
                    }
                }
                case SecretRef.File file -> {
                    if (!Files.isReadable(file.path())) {
                        warnings.add(field + ": " + ref.reference() + " is not a readable file here");
                    }
                }
            }
        }

        private static void printSummary(PrintWriter out, Summary s) {
            // The warnings come last, under the tables; the first line says they are there, so none goes unread.
            int warnings = s.warnings().size();
            out.println("config " + s.file() + " is valid" + (warnings == 0 ? ""
                    : ", with " + warnings + (warnings == 1 ? " warning" : " warnings") + " (below)"));
            out.println();
            var rows = new ArrayList<List<String>>();
            rows.add(List.of("CLUSTER", "ENGINE", "NODES", "REGIONS", "MODE", "WRITER DNS"));
            for (var c : s.clusters()) {
                rows.add(List.of(c.name(), c.engine(), String.valueOf(c.nodes()), String.join(",", c.regions()),
                        c.mode(), c.writerDns() == null ? "-" : c.writerDns()));
            }
            TextTable.print(out, rows);
            out.println();
            var n = s.notifications();
            out.println("notifications: email " + (n.email() == null ? "none" : n.email())
                    + "; audiences " + (n.audiences().isEmpty() ? "none" : String.join(", ", n.audiences()))
                    + "; webhooks " + (n.webhooks().isEmpty() ? "none" : String.join(", ", n.webhooks()))
                    + "; routes " + (n.routes().isEmpty() ? "default" : String.join(", ", n.routes())));
            var c = s.compliance();
            out.println("compliance: store " + c.store() + "; targets rto " + c.rto() + ", rpo " + c.rpo()
                    + ", drill every " + c.drillEvery() + ", notify within " + c.notifyWithin()
                    + "; retention " + c.retention() + "; time zone " + c.timeZone());
            if (s.drills().isEmpty()) {
                out.println("drills: none");
            } else {
                out.println();
                var drills = new ArrayList<List<String>>();
                drills.add(List.of("DRILL", "CLUSTER", "SCHEDULE", "ENVIRONMENT", "FAILURE"));
                s.drills().forEach(d -> drills.add(List.of(d.name(), d.cluster(), d.schedule(), d.environment(),
                        d.failure())));
                TextTable.print(out, drills);
            }
            s.warnings().forEach(w -> out.println("warning: " + w));
        }

        private static String origin(String url) {
            var uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "" : "/…");
        }

        private static String json(Object value) throws JsonProcessingException {
            return Json.pretty(value);
        }
    }

    record Summary(boolean valid, String file, List<ClusterView> clusters, NotificationsView notifications,
                   ComplianceView compliance, List<DrillView> drills, List<String> warnings) {
    }

    record ClusterView(String name, String engine, int nodes, List<String> regions, String mode,
                       String user, String password, String writerDns) {
        static ClusterView of(ClusterSpec c) {
            var regions = new TreeSet<String>();
            c.nodes().stream().map(NodeSpec::region).forEach(regions::add);
            return new ClusterView(c.name().value(), c.engine().configName(), c.nodes().size(), List.copyOf(regions),
                    c.failover().mode().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    c.credentials().user(), c.credentials().password().map(SecretRef::reference).orElse(null),
                    c.dns().map(d -> d.provider().name().toLowerCase(Locale.ROOT) + " " + d.record() + " " + d.type())
                            .orElse(null));
        }
    }

    /** Absent parts are null, so the JSON needs no Optional support. */
    record NotificationsView(String email, List<String> audiences, List<String> webhooks,
                             List<String> routes) {
    }

    record ComplianceView(String store, String rto, String rpo, String drillEvery, String notifyWithin,
                          String retention, String timeZone) {
    }

    record DrillView(String name, String cluster, String schedule, String environment, String failure) {
    }

    record Invalid(boolean valid, String file, List<ProblemView> problems) {
    }

    record ProblemView(String file, int line, int column, String field, String message) {
        static ProblemView of(ConfigProblem p) {
            return new ProblemView(p.file().toString(), p.line(), p.column(), p.field(), p.message());
        }
    }
}
