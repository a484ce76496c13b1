package dev.drctl.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The decision code stays pure (STYLE.md §7.2): its classes import only {@code dev.drctl.topology} and
 * {@code java.*}, never {@code java.sql}, I/O, the network, or a clock, and never read the time themselves.
 */
class DecisionImportsTest {
    static final List<String> DECISION_CLASSES = List.of("ClusterVerdict", "ClusterAnalyzer", "Evidence", "NodeReading",
            "ReplicaRanking", "ReplicaRanker", "Exclusion", "FailoverDecision", "FailoverDecider", "Refusal", "Cooldown",
            "Detector", "DetectorEvent", "DecisionReport", "Wording", "Request", "DataLoss", "DataLossGuard", "OutageStart",
            "Assessment", "DecisionPipeline");
    static final Path SOURCES = Path.of("src/main/java/dev/drctl/promotion");
    static final List<String> FORBIDDEN = List.of("java.sql", "java.io", "java.nio", "java.net", "java.lang.reflect",
            "java.time.Clock", "java.util.concurrent", "Instant.now(", "LocalDateTime.now(", "System.currentTimeMillis",
            "System.nanoTime", "Thread.sleep", "System.getenv", "System.out", "System.err");

    @Test
    void decisionClassesImportOnlyTopologyAndTheJdk() throws IOException {
        for (var name : DECISION_CLASSES) {
            var file = SOURCES.resolve(name + ".java");
            assertThat(file).as("decision class %s exists", name).exists();
            var text = Files.readString(file);
            for (var line : text.lines().toList()) {
                var l = line.strip();
                if (l.startsWith("import ")) {
                    var imported = l.substring("import ".length()).replace("static ", "").replace(";", "").strip();
                    assertThat(imported.startsWith("java.") || imported.startsWith("dev.drctl.topology."))
                            .as("%s imports %s", name, imported).isTrue();
                }
            }
            for (var bad : FORBIDDEN) {
                assertThat(text).as("%s must not use %s", name, bad).doesNotContain(bad);
            }
        }
    }

    /** The promoter port and its value types: not decision code, but they live in the same package. */
    static final List<String> PORT_CLASSES = List.of("Promoter", "Promoters", "ActionOutcome", "PositionReading",
            "ErrantCheck", "RejoinContext", "PromoterTimeouts", "Login");

    @Test
    void everyClassInThePackageIsClassified() throws IOException {
        try (var files = Files.list(SOURCES)) {
            var names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".java") && !n.equals("package-info.java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).toList();
            // A new class in dev.drctl.promotion must be declared decision code (and scanned) or port.
            assertThat(names).allSatisfy(n -> assertThat(DECISION_CLASSES.contains(n) || PORT_CLASSES.contains(n))
                    .as("%s is neither a decision class nor a port class: add it to one list", n).isTrue());
        }
    }
}
