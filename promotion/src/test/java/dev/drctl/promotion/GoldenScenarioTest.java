package dev.drctl.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.drctl.topology.DataSize;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverMode;
import dev.drctl.topology.FailureKind;

/**
 * Golden scenarios (STYLE.md §7.8, layer 2), orchestrator's integration-test shape: each folder under
 * {@code src/test/resources/scenarios/} holds {@code observations.yaml} (the cluster, its policy and what
 * each node showed) and {@code expected.txt} (the rendered verdict, evidence, ranking and decision). A
 * reviewer reads a case without reading Java. Run with {@code -Ddecide.golden.update=true} to rewrite
 * the expected files after a deliberate wording change, then review the diff.
 */
class GoldenScenarioTest {
    static final Path SCENARIOS = Path.of("src/test/resources/scenarios");

    static Stream<String> scenarios() throws IOException {
        try (var dirs = Files.list(SCENARIOS)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void rendersAsExpected(String name) throws IOException {
        var dir = SCENARIOS.resolve(name);
        var fixture = load(dir.resolve("observations.yaml"));
        var out = ClusterDecisionTest.run(fixture);
        var actual = DecisionReport.render(out.verdict(), out.ranking(), out.decision());
        var expectedFile = dir.resolve("expected.txt");
        if (Boolean.getBoolean("decide.golden.update") || !Files.exists(expectedFile)) {
            Files.writeString(expectedFile, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(expectedFile));
    }

    @SuppressWarnings("unchecked")
    static Observations load(Path file) throws IOException {
        Map<String, Object> doc = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Map.class);
        var f = Observations.cluster((String) doc.get("cluster"));
        if (doc.containsKey("engine")) {
            f.engine(Engine.valueOf(((String) doc.get("engine")).toUpperCase(Locale.ROOT)));
        }
        var policy = (Map<String, Object>) doc.getOrDefault("policy", Map.of());
        if (policy.containsKey("mode")) {
            f.mode(FailoverMode.valueOf(((String) policy.get("mode")).toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        if (policy.containsKey("failure-threshold")) {
            f.threshold((Integer) policy.get("failure-threshold"), duration(policy.get("failure-window")));
        }
        if (policy.containsKey("max-lag")) {
            var m = (Map<String, Object>) policy.get("max-lag");
            f.maxLag(new DataSize(((Number) m.get("bytes")).longValue()), Duration.ofSeconds(((Number) m.get("seconds")).longValue()));
        }
        if (policy.containsKey("prefer-regions")) {
            f.preferRegions(((List<String>) policy.get("prefer-regions")).toArray(String[]::new));
        }
        if (policy.containsKey("allowed-regions")) {
            f.allowedRegions(((List<String>) policy.get("allowed-regions")).toArray(String[]::new));
        }
        if (policy.containsKey("cooldown")) {
            f.cooldown(duration(policy.get("cooldown")));
        }
        if (doc.containsKey("failed-over-ago")) {
            f.failedOverAgo(duration(doc.get("failed-over-ago")));
        }
        for (var n : (List<Map<String, Object>>) doc.get("nodes")) {
            var name = (String) n.get("name");
            switch ((String) n.get("role")) {
                case "primary" -> f.primary(name);
                case "replica" -> f.replica(name);
                default -> throw new IllegalArgumentException(file + ": role must be primary or replica: " + n);
            }
            for (var e : n.entrySet()) {
                var v = e.getValue();
                switch (e.getKey()) {
                    case "name", "role" -> { }
                    case "region" -> f.region((String) v);
                    case "priority" -> f.priority((Integer) v);
                    case "no-failover" -> {
                        if ((Boolean) v) f.noFailover();
                    }
                    case "at" -> f.at(String.valueOf(v));
                    case "timeline" -> f.timeline((Integer) v);
                    case "position" -> {
                        if ("unknown".equals(v)) f.positionUnknown();
                    }
                    case "lag" -> {
                        if ("unknown".equals(v)) f.lagUnknown();
                        else f.lag(duration(v));
                    }
                    case "streaming-from" -> f.streamingFrom((String) v);
                    case "failing" -> {
                        var m = (Map<String, Object>) v;
                        f.failing((Integer) m.get("probes"), duration(m.get("over")),
                                FailureKind.valueOf((String) m.getOrDefault("kind", "REFUSED")));
                    }
                    case "latest" -> {
                        switch ((String) v) {
                            case "not-streaming" -> f.notStreaming();
                            case "no-stream" -> f.noStream();
                            case "unreachable" -> f.unreachable();
                            case "refused" -> f.unreachable(FailureKind.REFUSED);
                            case "read-only" -> f.readOnly();
                            default -> throw new IllegalArgumentException(file + ": unknown latest: " + v);
                        }
                    }
                    default -> throw new IllegalArgumentException(file + ": unknown key " + e.getKey());
                }
            }
        }
        return f;
    }

    /** {@code 3s}, {@code 10m}, {@code 800ms}. */
    static Duration duration(Object v) {
        var s = String.valueOf(v);
        if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        if (s.endsWith("s")) return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
        if (s.endsWith("m")) return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
        throw new IllegalArgumentException("not a duration: " + s);
    }
}
