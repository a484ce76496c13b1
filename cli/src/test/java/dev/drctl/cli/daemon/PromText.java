package dev.drctl.cli.daemon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, written from its specification for tests: every
 * line is a HELP, a TYPE or a sample; a sample belongs to a family declared by TYPE before it (with the suffixes its
 * type allows); label values are quoted with the format's escapes; values are Go floats; no series twice; a
 * histogram's buckets are cumulative and its +Inf bucket equals its count. Anything else fails with the line.
 */
final class PromText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(Inf|NaN|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)");
    private static final Map<String, List<String>> SUFFIXES = Map.of(
            "counter", List.of("_total", "_created", ""),
            "gauge", List.of(""),
            "histogram", List.of("_bucket", "_sum", "_count", "_created"),
            "summary", List.of("", "_sum", "_count", "_created"),
            "untyped", List.of(""),
            "info", List.of("_info"),
            "stateset", List.of(""));

    record Sample(String name, Map<String, String> labels, double value) {
        String key() {
            return name + new TreeMap<>(labels);
        }
    }

    record Exposition(Map<String, String> types, Map<String, String> help, List<Sample> samples) {
        List<Sample> of(String name) {
            return samples.stream().filter(s -> s.name().equals(name)).toList();
        }

        Optional<Double> value(String name, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
                    .map(Sample::value).findFirst();
        }
    }

    private PromText() {
    }

    static Exposition parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("exposition does not end with a newline");
        }
        var types = new LinkedHashMap<String, String>();
        var help = new HashMap<String, String>();
        var samples = new ArrayList<Sample>();
        var seen = new HashMap<String, Integer>();
        var lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            var line = lines[i];
            int n = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                var parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[1].equals("TYPE")) {
                    need(NAME.matcher(parts[2]).matches(), n, line, "metric name");
                    need(parts.length == 4 && SUFFIXES.containsKey(parts[3]), n, line, "a known type");
                    need(types.put(parts[2], parts[3]) == null, n, line, "one TYPE per family");
                } else if (parts.length >= 3 && parts[1].equals("HELP")) {
                    need(NAME.matcher(parts[2]).matches(), n, line, "metric name");
                    need(help.put(parts[2], parts.length == 4 ? parts[3] : "") == null, n, line, "one HELP per family");
                }
                continue;
            }
            var sample = sample(line, n);
            need(family(sample.name(), types).isPresent(), n, line, "a sample of a family declared by TYPE before it");
            need(seen.put(sample.key(), n) == null, n, line, "each series once");
            samples.add(sample);
        }
        var exposition = new Exposition(types, help, samples);
        types.forEach((family, type) -> {
            if (type.equals("histogram")) {
                checkHistogram(family, exposition);
            }
        });
        return exposition;
    }

    private static Optional<String> family(String sample, Map<String, String> types) {
        for (var e : types.entrySet()) {
            for (var suffix : SUFFIXES.get(e.getValue())) {
                if (sample.equals(e.getKey() + suffix)) {
                    return Optional.of(e.getKey());
                }
            }
        }
        return Optional.empty();
    }

    private static void checkHistogram(String family, Exposition e) {
        var bySeries = new HashMap<Map<String, String>, List<Sample>>();
        for (var s : e.of(family + "_bucket")) {
            var labels = new HashMap<>(s.labels());
            if (labels.remove("le") == null) {
                throw new AssertionError(family + "_bucket without le: " + s);
            }
            bySeries.computeIfAbsent(labels, k -> new ArrayList<>()).add(s);
        }
        bySeries.forEach((labels, buckets) -> {
            double previousLe = Double.NEGATIVE_INFINITY;
            double previous = 0;
            for (var b : buckets) {
                double le = Double.parseDouble(b.labels().get("le").replace("+Inf", "Infinity"));
                if (le <= previousLe || b.value() < previous) {
                    throw new AssertionError(family + " buckets not increasing/cumulative at " + b);
                }
                previousLe = le;
                previous = b.value();
            }
            if (previousLe != Double.POSITIVE_INFINITY) {
                throw new AssertionError(family + labels + " has no +Inf bucket");
            }
            var count = e.value(family + "_count", labels).orElseThrow(() -> new AssertionError(family + labels + " no _count"));
            if (count != previous) {
                throw new AssertionError(family + labels + ": +Inf bucket " + previous + " != count " + count);
            }
        });
    }

    private static Sample sample(String line, int n) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        var name = line.substring(0, i);
        need(NAME.matcher(name).matches(), n, line, "metric name");
        var labels = new LinkedHashMap<String, String>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int start = i;
                while (line.charAt(i) != '=') {
                    i++;
                }
                var label = line.substring(start, i);
                need(LABEL.matcher(label).matches(), n, line, "label name");
                i++;
                need(line.charAt(i) == '"', n, line, "a quoted label value");
                i++;
                var value = new StringBuilder();
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        char next = line.charAt(++i);
                        need(next == '\\' || next == '"' || next == 'n', n, line, "only \\\\, \\\" and \\n escapes");
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                    i++;
                }
                i++;
                need(labels.put(label, value.toString()) == null, n, line, "each label once");
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        need(i < line.length() && line.charAt(i) == ' ', n, line, "a space before the value");
        var rest = line.substring(i + 1).split(" ");
        need(rest.length == 1 || rest.length == 2, n, line, "a value and an optional timestamp");
        need(FLOAT.matcher(rest[0]).matches(), n, line, "a float value");
        double value = Double.parseDouble(rest[0].replace("Inf", "Infinity"));
        return new Sample(name, labels, value);
    }

    private static void need(boolean ok, int n, String line, String expected) {
        if (!ok) {
            throw new AssertionError("line " + n + ": expected " + expected + ": " + line);
        }
    }
}
