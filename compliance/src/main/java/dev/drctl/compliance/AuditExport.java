package dev.drctl.compliance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.DrctlException;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code drctl audit export}: the journal entries of a period as CSV or JSON, or the HTML compliance report.
 * Everything comes from the journal as stored; payloads never held secret values in the first place
 * (see {@link JdbcJournal}), so nothing is redacted here.
 */
public final class AuditExport {
    private static final String[] CSV_COLUMNS = {"seq", "time_utc", "time_local", "cluster", "node", "actor", "kind",
            "run_id", "epoch", "payload", "prev_hash", "hash"};

    private final StateStore store;
    private final ComplianceSpec spec;
    private final List<ClusterName> configured;
    private final Clock clock;

    public AuditExport(StateStore store, ComplianceSpec spec, List<ClusterName> configured, Clock clock) {
        this.store = store;
        this.spec = spec;
        this.configured = List.copyOf(configured);
        this.clock = clock;
    }

    public void write(ExportFormat format, ReportPeriod period, Optional<ClusterName> cluster, Writer out) {
        var query = JournalQuery.between(period.from(), period.to());
        var entries = store.journal().entries(cluster.map(query::cluster).orElse(query));
        try {
            switch (format) {
                case CSV -> csv(entries, out);
                case JSON -> json(entries, period, cluster, out);
                case HTML -> out.write(HtmlReport.render(report(period, cluster, entries)));
            }
            out.flush();
        } catch (IOException e) {
            throw new DrctlException(ComplianceErrorCode.EXPORT_FAILED, "cannot write the " + format + " export: "
                    + e.getMessage() + "; check the output path and free space");
        }
    }

    /** The report model, for callers that render it themselves or assert on it. */
    public ComplianceReport report(ReportPeriod period, Optional<ClusterName> cluster) {
        var query = JournalQuery.between(period.from(), period.to());
        return report(period, cluster, store.journal().entries(cluster.map(query::cluster).orElse(query)));
    }

    private ComplianceReport report(ReportPeriod period, Optional<ClusterName> cluster, List<JournalEntry> entries) {
        var now = Instant.now(clock);
        var drillQuery = new JournalQuery(Optional.empty(), Optional.of(now.isAfter(period.to()) ? now : period.to()),
                cluster, Optional.empty(), Set.of(JournalKind.RUN_FINISHED, JournalKind.DRILL_RESULT));
        var drills = store.journal().entries(drillQuery);
        var clusters = cluster.map(List::of).orElse(configured);
        return ComplianceReport.of(now, period, spec, store.description(), store.verifier().verify(), clusters, entries,
                drills);
    }

    private void csv(List<JournalEntry> entries, Writer out) throws IOException {
        var times = new ReportTimes(spec.timeZone());
        out.write(String.join(",", CSV_COLUMNS));
        out.write("\r\n");
        for (var e : entries) {
            var row = new String[] {Long.toString(e.seq()), e.at().toString(), times.local(e.at()),
                    e.cluster().map(ClusterName::value).orElse(""), e.node().map(Object::toString).orElse(""),
                    e.actor().value(), e.kind().name(), e.runId().orElse(""), e.epoch().map(Object::toString).orElse(""),
                    e.payload(), e.prevHash(), e.hash()};
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(csvField(row[i]));
            }
            out.write("\r\n");
        }
    }

    /** RFC 4180 quoting; values are otherwise exact, so an auditor can recompute every hash from the CSV. */
    static String csvField(String value) {
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private void json(List<JournalEntry> entries, ReportPeriod period, Optional<ClusterName> cluster, Writer out)
            throws IOException {
        var times = new ReportTimes(spec.timeZone());
        var root = JsonNodeFactory.instance.objectNode();
        root.put("from", period.from().toString());
        root.put("to", period.to().toString());
        root.put("timeZone", spec.timeZone().getId());
        cluster.ifPresent(c -> root.put("cluster", c.value()));
        root.put("store", store.description());
        root.set("verification", verificationJson(store.verifier().verify()));
        var list = root.putArray("entries");
        for (var e : entries) {
            var o = list.addObject();
            o.put("seq", e.seq());
            o.put("at", e.at().toString());
            o.put("atLocal", times.local(e.at()));
            e.cluster().ifPresent(c -> o.put("cluster", c.value()));
            e.node().ifPresent(n -> o.put("node", n.value()));
            o.put("actor", e.actor().value());
            o.put("kind", e.kind().name());
            e.runId().ifPresent(r -> o.put("runId", r));
            e.epoch().ifPresent(v -> o.put("epoch", v));
            o.set("payload", e.payloadTree());
            o.put("prevHash", e.prevHash());
            o.put("hash", e.hash());
        }
        try {
            out.write(PayloadCodec.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
            out.write("\n");
        } catch (JsonProcessingException e) {
            throw new IOException(e.getOriginalMessage(), e);
        }
    }

    /** The verification result as JSON, as {@code audit verify -o json} and the JSON export show it. */
    public static ObjectNode verificationJson(Verification v) {
        var o = JsonNodeFactory.instance.objectNode();
        switch (v) {
            case Verification.Intact ok -> {
                o.put("intact", true);
                o.put("entries", ok.entries());
                o.put("headSeq", ok.headSeq());
                o.put("headHash", ok.headHash());
                ok.checkpoint().ifPresent(c -> o.put("checkpointSeq", c.purgedThroughSeq())
                        .put("checkpointHash", c.purgedThroughHash()));
                ok.keyedFrom().ifPresent(k -> o.put("keyedFrom", k));
                ok.anchor().ifPresent(a -> o.put("anchorSeq", a.seq()).put("anchorHash", a.hash())
                        .put("anchorVia", a.via()));
            }
            case Verification.Unverifiable u -> {
                o.putNull("intact");
                o.put("unverifiedSeq", u.seq());
                o.put("detail", u.detail());
            }
            case Verification.Broken b -> {
                o.put("intact", false);
                o.put("brokenSeq", b.seq());
                o.put("breach", b.breach().name());
                o.put("detail", b.detail());
            }
        }
        o.put("summary", v.summary());
        return o;
    }
}
