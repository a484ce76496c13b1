package dev.drctl.cli;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.AuditExport;
import dev.drctl.compliance.ComplianceErrorCode;
import dev.drctl.compliance.ConfiguredSecrets;
import dev.drctl.compliance.ExportFormat;
import dev.drctl.compliance.HeadAnchor;
import dev.drctl.compliance.PurgeOutcome;
import dev.drctl.compliance.ReportPeriod;
import dev.drctl.compliance.StateStore;
import dev.drctl.compliance.Verification;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.ErrorCode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drctl audit …}: reports for auditors, proof that the journal was not altered, retention purge. */
@Command(name = "audit", description = "Export audit reports, verify the journal, purge entries past retention.",
        subcommands = {AuditCommand.Export.class, AuditCommand.Verify.class, AuditCommand.Purge.class})
final class AuditCommand extends CommandGroup {
    @Override
    String example() {
        return "drctl audit verify -c FILE";
    }

    static StateStore open(DrctlConfig config, Host host) {
        return StateStore.open(config.compliance(), host.clock(), ConfiguredSecrets.resolvable(config, host.environment()));
    }

    /**
     * The person running a manual command, as the journal records them: the one named by {@code --operator} or
     * {@code DRCTL_OPERATOR}, else the OS account the process runs as ({@code $USER} is not asked: it is often unset
     * under sudo, cron or a container, and says nothing the OS does not).
     */
    static Actor user(Host host) {
        var named = host.environment().getOrDefault(OperatorOption.VARIABLE, "").strip();
        return Actor.user(named.isEmpty() ? host.osAccount() : named);
    }

    /**
     * {@code drctl audit verify}: walks the hash chain. Exit 0 intact (prints the head hash to note), exit 1
     * broken (names the first broken entry and why), exit 2 not verifiable (keyed entries without the key). With
     * {@code --expect-head}, exit 0 also requires the chain to extend that anchored head.
     */
    @Command(name = "verify", description = "Verify the journal's hash chain: exit 0 intact, 1 broken (names the "
            + "first broken entry and why), 2 keyed entries but no compliance.journal-key to check them. "
            + "--expect-head also proves the journal still extends a head noted outside the store.")
    static final class Verify implements Callable<Integer> {
        /** A head file is one line; anything longer is not one. */
        private static final int MAX_HEAD_FILE_BYTES = 4096;

        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Mixin
        OutputOption output;

        @Option(names = "--expect-head", paramLabel = "SEQ:HASH",
                description = "A journal head noted outside the store (the daily compliance digest, a failover "
                        + "message): SEQ:HASH, or the 64 hex digit HASH alone. Passes only if that entry is still in "
                        + "the chain (or is the last entry a purge removed) and the chain from it to the head verifies.")
        String expectHead;

        @Option(names = "--expect-head-file", paramLabel = "PATH",
                description = "Read the SEQ:HASH to expect from this file (its first line).")
        Path expectHeadFile;

        private final Host host;

        Verify(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() {
            var anchor = anchor();
            var cfg = config.load();
            Verification result;
            try (var store = open(cfg, host)) {
                result = store.verifier().verify(anchor);
            }
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            switch (output.format()) {
                case TABLE -> {
                    switch (result) {
                        case Verification.Intact ok -> {
                            out.println(ok.summary());
                            out.println("to check later that the journal still extends this head: drctl audit verify "
                                    + "--expect-head " + ok.headSeq() + ":" + ok.headHash());
                        }
                        case Verification.Broken broken -> err.println(spec.commandLine().getColorScheme().errorText(
                                "drctl: " + broken.summary() + "; the journal was altered outside drctl: keep this store "
                                        + "as evidence and export it (drctl audit export --format json) for investigation"));
                        case Verification.Unverifiable u -> err.println(spec.commandLine().getColorScheme().errorText(
                                "drctl: " + u.summary()));
                    }
                }
                case JSON -> out.println(AuditExport.verificationJson(result).toPrettyString());
            }
            out.flush();
            err.flush();
            return switch (result) {
                case Verification.Intact ok -> ErrorCode.OK;
                case Verification.Broken broken -> ErrorCode.OPERATION_FAILED;
                case Verification.Unverifiable u -> ErrorCode.BAD_USAGE;
            };
        }

        private Optional<HeadAnchor> anchor() {
            if (expectHead != null && expectHeadFile != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--expect-head and --expect-head-file both "
                        + "name an anchor; give one");
            }
            if (expectHead != null) {
                return Optional.of(HeadAnchor.parse(expectHead).orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(), "--expect-head: expected " + HeadAnchor.EXPECTED)));
            }
            if (expectHeadFile == null) {
                return Optional.empty();
            }
            byte[] bytes;
            try (var in = Files.newInputStream(expectHeadFile)) {
                bytes = in.readNBytes(MAX_HEAD_FILE_BYTES + 1);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--expect-head-file " + expectHeadFile
                        + ": cannot be read (" + e.getClass().getSimpleName() + ")");
            }
            var text = new String(bytes, StandardCharsets.UTF_8).strip();
            var line = text.lines().findFirst().orElse("");
            return Optional.of(HeadAnchor.parse(line).filter(a -> bytes.length <= MAX_HEAD_FILE_BYTES)
                    .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), "--expect-head-file "
                            + expectHeadFile + ": its first line is not a journal head; expected " + HeadAnchor.EXPECTED)));
        }
    }

    /**
     * {@code drctl audit export}: CSV or JSON of the period's entries, or the HTML compliance report. Its
     * {@code -o} is an output PATH (not the table|json mixin): the export formats are chosen with --format.
     */
    @Command(name = "export", description = "Export the journal of a period as CSV or JSON, or the HTML compliance report.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOption config;

        @Option(names = "--from", paramLabel = "DATE",
                description = "Start (inclusive): a date (2026-11-01, its start in compliance.time-zone), today, "
                        + "yesterday, or an instant (2026-11-01T00:00:00Z). Default: " + ReportPeriod.DEFAULT_DAYS
                        + " days before today.")
        String from;

        @Option(names = "--to", paramLabel = "DATE",
                description = "End: a date, today or yesterday (included whole, in compliance.time-zone) or an instant "
                        + "(excluded). Default: the end of today.")
        String to;

        @Option(names = "--format", paramLabel = "FORMAT",
                description = "csv, json or html. Default: from the -o file's extension (.csv, .json, .html/.htm); "
                        + "csv on standard output without -o.")
        ExportFormat format;

        @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster's entries.")
        String cluster;

        @Option(names = {"-o", "--output"}, paramLabel = "PATH",
                description = "Write to this file (required for html); csv and json go to standard output without it.")
        Path path;

        private final Host host;

        Export(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() {
            var cfg = config.load();
            var zone = cfg.compliance().timeZone();
            var period = ReportPeriod.parse(Optional.ofNullable(from), Optional.ofNullable(to), zone,
                    LocalDate.ofInstant(host.clock().instant(), zone));
            var format = this.format != null ? this.format : formatOf(path);
            if (format == ExportFormat.HTML && path == null) {
                var day = java.time.format.DateTimeFormatter.ISO_LOCAL_DATE.withZone(zone);
                throw new CommandLine.ParameterException(spec.commandLine(), "--format html writes a report file: add "
                        + "-o PATH, e.g. -o drctl-audit-" + day.format(period.from()) + "-"
                        + day.format(period.to().minusNanos(1)) + ".html");
            }
            var only = Optional.ofNullable(cluster).map(ClusterName::new);
            only.ifPresent(c -> ConfigOption.cluster(cfg, c.value()));
            try (var store = open(cfg, host)) {
                var export = new AuditExport(store, cfg.compliance(), cfg.clusters().stream().map(ClusterSpec::name).toList(),
                        host.clock());
                if (path == null) {
                    var out = spec.commandLine().getOut();
                    export.write(format, period, only, out);
                    out.flush();
                } else {
                    var text = new StringWriter();
                    export.write(format, period, only, text);
                    writeAtomically(path, text.toString());
                    var err = spec.commandLine().getErr();
                    err.println("drctl: wrote " + format.name().toLowerCase(java.util.Locale.ROOT) + " export to " + path);
                    err.flush();
                }
            }
            return ErrorCode.OK;
        }

        /** The format an output file's name asks for; csv on standard output. */
        private ExportFormat formatOf(Path file) {
            if (file == null) {
                return ExportFormat.CSV;
            }
            var name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(".html") || name.endsWith(".htm")) {
                return ExportFormat.HTML;
            }
            if (name.endsWith(".json")) {
                return ExportFormat.JSON;
            }
            if (name.endsWith(".csv")) {
                return ExportFormat.CSV;
            }
            throw new CommandLine.ParameterException(spec.commandLine(), "-o " + file + " does not say which format to "
                    + "write: add --format csv, json or html (or name the file .csv, .json or .html)");
        }

        /** A reader never sees half a report: write beside the target, then rename over it. */
        private static void writeAtomically(Path target, String text) {
            try {
                var dir = target.toAbsolutePath().getParent();
                Files.createDirectories(dir);
                var tmp = Files.createTempFile(dir, ".drctl-export-", ".tmp");
                try {
                    Files.writeString(tmp, text, StandardCharsets.UTF_8);
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new DrctlException(ComplianceErrorCode.EXPORT_FAILED, "cannot write " + target + ": "
                        + e.getClass().getSimpleName() + " " + e.getMessage() + "; choose a writable path with -o");
            }
        }
    }

    /**
     * {@code drctl audit purge}: deletes entries older than a date, never inside {@code compliance.retention}
     * (exit 3, naming the latest date allowed). A checkpoint signed into the chain keeps the rest verifiable.
     */
    @Command(name = "purge", description = "Delete journal entries older than DATE; refused inside compliance.retention "
            + "(exit 3). The remaining chain still verifies.")
    static final class Purge implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Mixin
        OutputOption output;

        @Option(names = "--before", required = true, paramLabel = "DATE",
                description = "Purge entries written before this date (its start in compliance.time-zone) or instant.")
        String before;

        private final Host host;

        Purge(Host host) {
            this.host = host;
        }

        /** What {@code audit purge -o json} prints: {@code outcome} is purged, nothing_to_purge or refused. */
        record PurgeView(String outcome, long purged, String summary) {
            static PurgeView of(PurgeOutcome o) {
                return switch (o) {
                    case PurgeOutcome.Purged p -> new PurgeView("purged", p.count(), p.summary());
                    case PurgeOutcome.NothingToPurge n -> new PurgeView("nothing_to_purge", 0, n.summary());
                    case PurgeOutcome.RefusedRetention r -> new PurgeView("refused", 0, r.summary());
                    case PurgeOutcome.RefusedBrokenChain b -> new PurgeView("refused", 0, b.summary());
                };
            }
        }

        @Override
        public Integer call() throws com.fasterxml.jackson.core.JsonProcessingException {
            var cfg = config.load();
            var zone = cfg.compliance().timeZone();
            var cutoff = ReportPeriod.parse("--before", before, zone, false,
                    Optional.of(LocalDate.ofInstant(host.clock().instant(), zone)));
            PurgeOutcome outcome;
            try (var store = open(cfg, host)) {
                outcome = store.purge().purge(cutoff, cfg.compliance().retention(), user(host));
            }
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            var scheme = spec.commandLine().getColorScheme();
            var view = PurgeView.of(outcome);
            if (output.format() == OutputOption.Format.JSON) {
                out.println(Json.pretty(view));
            }
            int code = switch (outcome) {
                case PurgeOutcome.Purged p -> {
                    if (output.format() == OutputOption.Format.TABLE) {
                        out.println(p.summary());
                    }
                    yield ErrorCode.OK;
                }
                case PurgeOutcome.NothingToPurge n -> {
                    if (output.format() == OutputOption.Format.TABLE) {
                        out.println(n.summary());
                    }
                    yield ErrorCode.OK;
                }
                case PurgeOutcome.RefusedRetention r -> {
                    err.println(scheme.errorText("drctl: " + r.summary()));
                    yield ErrorCode.REFUSED;
                }
                case PurgeOutcome.RefusedBrokenChain b -> {
                    err.println(scheme.errorText("drctl: " + b.summary()));
                    yield ErrorCode.OPERATION_FAILED;
                }
            };
            out.flush();
            err.flush();
            return code;
        }
    }
}
