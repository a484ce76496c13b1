package dev.drctl.runbooks.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.DrctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;

/**
 * A drill's report: JSON for machines and an HTML page for people, with the timeline drawn as inline SVG (no script,
 * no external resource: it opens from a mail attachment or an archive). Written to
 * {@code DIR/<drill>/<run-id>.json|.html} and copied to {@code DIR/<drill>/latest.json|.html}.
 */
public final class DrillReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DrillReport() {
    }

    public static ObjectNode json(DrillResult r, ComplianceSpec.Targets targets) {
        var o = JSON.createObjectNode();
        o.put("drill", r.drill().name());
        o.put("cluster", r.drill().cluster().value());
        o.put("runId", r.record().runId());
        o.put("passed", r.verdict().passed());
        o.put("expectedOutcome", r.verdict().expectedOutcome());
        o.put("expectation", r.verdict().expectation().name().toLowerCase(Locale.ROOT));
        o.put("expectationText", r.verdict().expectation().sentence());
        o.put("failure", r.drill().failure().configName());
        o.put("environment", r.drill().environment().configName());
        o.put("environmentText", r.environment());
        o.put("summary", r.verdict().summary());
        r.verdict().rto().ifPresent(d -> o.put("rtoMillis", d.toMillis()));
        r.verdict().rpo().ifPresent(d -> o.put("rpoMillis", d.toMillis()));
        o.put("targetRtoMillis", targets.rto().toMillis());
        o.put("targetRpoMillis", targets.rpo().toMillis());
        o.put("acknowledgedWrites", r.observation().acknowledged());
        o.put("writeAttempts", r.attempts());
        o.put("failedWriteAttempts", r.failedAttempts());
        o.put("lostWrites", r.observation().lost().size());
        var lost = o.putArray("lostWriteIds");
        r.observation().lost().stream().limit(1000).forEach(lost::add);
        o.put("failovers", r.observation().failovers().size());
        o.put("promotions", r.observation().promotions().size());
        o.put("pages", r.observation().pages());
        var injected = r.observation().injectedAt();
        var split = o.putObject("split");
        r.observation().promotion().ifPresent(p -> {
            p.detectedAt().ifPresent(t -> split.put("detectionMillis", Duration.between(injected, t).toMillis()));
            p.confirmedAt().ifPresent(t -> split.put("decisionMillis", Duration.between(injected, t).toMillis()));
            p.promotedAt().ifPresent(t -> split.put("promotionMillis", Duration.between(injected, t).toMillis()));
            p.dnsAt().ifPresent(t -> split.put("dnsMillis", Duration.between(injected, t).toMillis()));
            p.newPrimary().ifPresent(n -> o.put("newPrimary", n.value()));
        });
        r.observation().firstWrite().ifPresent(w -> split.put("firstWriteMillis",
                Duration.between(injected, w.at()).toMillis()));
        o.put("oldPrimary", r.observation().oldPrimary().value());
        r.observation().oldPrimaryWritableAtEnd().ifPresent(w -> o.put("oldPrimaryWritableAtEnd", w));
        var findings = o.putArray("findings");
        r.verdict().findings().forEach(f -> findings.addObject().put("met", f.met()).put("text", f.sentence()));
        var timeline = o.putArray("timeline");
        r.timeline().forEach(e -> timeline.addObject().put("what", e.what()).put("at", e.at().toString())
                .put("sinceInjectionMillis", Duration.between(injected, e.at()).toMillis()));
        var notes = o.putArray("notificationsSeen");
        r.notificationsSeen().forEach(notes::add);
        o.set("record", r.record().toJson());
        return o;
    }

    public static String html(DrillResult r, ComplianceSpec.Targets targets) {
        return html(json(r, targets));
    }

    /** The HTML page, from the JSON report (so {@code drctl drill report} renders the journaled one the same way). */
    public static String html(JsonNode j) {
        var h = new StringBuilder();
        boolean passed = j.path("passed").asBoolean();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Drill ")
                .append(esc(j.path("drill").asText())).append(" — ").append(passed ? "passed" : "FAILED").append("</title>")
                .append("<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}"
                        + ".met{color:#16632e}.missed{color:#a3111b;font-weight:bold}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}</style></head><body>");
        h.append("<h1>Drill ").append(esc(j.path("drill").asText())).append(": <span class=\"")
                .append(passed ? "met" : "missed").append("\" id=\"verdict\">").append(passed ? "passed" : "FAILED")
                .append("</span></h1>");
        h.append("<p>").append(esc(j.path("summary").asText())).append("</p>");
        h.append("<table><tbody>");
        row(h, "Cluster mirrored", j.path("cluster").asText());
        row(h, "Environment", j.path("environmentText").asText());
        row(h, "Failure injected", j.path("failure").asText());
        row(h, "Expected", j.path("expectationText").asText());
        row(h, "Run", j.path("runId").asText());
        row(h, "RTO", (j.has("rtoMillis") ? millis(j.path("rtoMillis").asLong()) : "—") + " (target "
                + millis(j.path("targetRtoMillis").asLong()) + ")");
        row(h, "RPO", (j.has("rpoMillis") ? millis(j.path("rpoMillis").asLong()) : "—") + " (target "
                + millis(j.path("targetRpoMillis").asLong()) + "); " + j.path("lostWrites").asLong() + " of "
                + j.path("acknowledgedWrites").asLong() + " acknowledged writes lost");
        row(h, "Writes", j.path("writeAttempts").asLong() + " attempted, " + j.path("acknowledgedWrites").asLong()
                + " acknowledged, " + j.path("failedWriteAttempts").asLong() + " failed");
        h.append("</tbody></table><h2>Findings</h2><ul>");
        j.path("findings").forEach(f -> h.append("<li class=\"").append(f.path("met").asBoolean() ? "met" : "missed")
                .append("\">").append(f.path("met").asBoolean() ? "✔ " : "✘ ").append(esc(f.path("text").asText()))
                .append("</li>"));
        h.append("</ul><h2>Timeline</h2>").append(svg(j.path("timeline")));
        h.append("<table><thead><tr><th>time (UTC)</th><th>since injection</th><th>what</th></tr></thead><tbody>");
        j.path("timeline").forEach(e -> h.append("<tr><td>").append(esc(e.path("at").asText())).append("</td><td>")
                .append(String.format(Locale.ROOT, "%+.3f s", e.path("sinceInjectionMillis").asLong() / 1000.0))
                .append("</td><td>").append(esc(e.path("what").asText())).append("</td></tr>"));
        h.append("</tbody></table><p>Generated by drctl drill run. RTO: from the injection to the first write "
                + "acknowledged by the new primary through the writer DNS record. RPO: acknowledged writes the "
                + "surviving primary does not hold, by id.</p></body></html>\n");
        return h.toString();
    }

    /** The timeline as a horizontal axis in seconds from the injection, one labelled tick per event. */
    static String svg(JsonNode timeline) {
        if (timeline.isEmpty()) {
            return "";
        }
        double from = 0;
        double to = 1;
        for (var e : timeline) {
            double t = e.path("sinceInjectionMillis").asLong() / 1000.0;
            from = Math.min(from, t);
            to = Math.max(to, t);
        }
        int width = 900;
        int left = 20;
        int right = 20;
        int rowHeight = 18;
        int axis = 30;
        int height = axis + rowHeight * timeline.size() + 20;
        double scale = (width - left - right) / (to - from);
        var s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"drill timeline\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" font-size=\"12\">");
        s.append("<line x1=\"").append(left).append("\" y1=\"").append(axis).append("\" x2=\"").append(width - right)
                .append("\" y2=\"").append(axis).append("\" stroke=\"#333\"/>");
        double zero = left + (0 - from) * scale;
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%d\" stroke=\"#a3111b\" "
                + "stroke-dasharray=\"4 3\"/>", zero, zero, height - 10));
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"20\" fill=\"#a3111b\">injection (0 s)</text>", zero + 4));
        int i = 0;
        for (var e : timeline) {
            double t = e.path("sinceInjectionMillis").asLong() / 1000.0;
            double x = left + (t - from) * scale;
            int y = axis + rowHeight * (i + 1);
            s.append(String.format(Locale.ROOT, "<circle class=\"event\" cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"#1f5fa8\"/>",
                    x, axis));
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#bbb\"/>",
                    x, axis, x, y - 4));
            boolean leftSide = x > width / 2.0;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s (%+.1f s)</text>",
                    leftSide ? x - 4 : x + 4, y, leftSide ? "end" : "start", esc(e.path("what").asText()), t));
            i++;
        }
        s.append("</svg>");
        return s.toString();
    }

    private static String millis(long ms) {
        return DrillJudge.millis(Duration.ofMillis(ms));
    }

    /** Writes the JSON and HTML reports; returns the HTML file. */
    public static Path write(Path dir, JsonNode report) {
        try {
            var d = dir.resolve(report.path("drill").asText());
            Files.createDirectories(d);
            var json = d.resolve(report.path("runId").asText() + ".json");
            var html = d.resolve(report.path("runId").asText() + ".html");
            Files.writeString(json, report.toPrettyString() + "\n", StandardCharsets.UTF_8);
            Files.writeString(html, html(report), StandardCharsets.UTF_8);
            Files.copy(json, d.resolve("latest.json"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(html, d.resolve("latest.html"), StandardCopyOption.REPLACE_EXISTING);
            return html;
        } catch (IOException e) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot write the drill report under " + dir + ": "
                    + e.getMessage());
        }
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
