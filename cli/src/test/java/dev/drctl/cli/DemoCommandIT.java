package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's acceptance for {@code drctl demo}, run non-interactively: it finishes with its figures and its report
 * paths, the daemon failed over by itself, and afterwards no server process refers to the demo's directory.
 */
class DemoCommandIT {
    @TempDir
    Path dir;

    @Test
    void postgresqlDemoPrintsItsFiguresAndLeavesNothingRunning() throws Exception {
        var run = CliRun.of("demo", "--dir", dir.toString(), "--seconds", "10", "-o", "json");
        assertThat(run.exit()).as(run.all()).isZero();
        var r = run.json();
        var servers = r.path("serverRoot").asText();
        assertThat(servers).as(run.all()).isNotBlank();
        assertThat(processesOf(servers)).as("processes of the demo's topology after the demo\n" + run.all()).isEmpty();
        assertThat(r.path("promotions").asInt()).isEqualTo(1);
        assertThat(r.path("rtoMillis").asLong()).as(run.all()).isPositive();
        assertThat(r.has("rpoMillis")).as(run.all()).isTrue();
        assertThat(r.path("acknowledgedWrites").asInt()).isPositive();
        assertThat(r.at("/split/detectionMillis").isNumber()).as(run.all()).isTrue();
        assertThat(r.at("/split/dnsMillis").isNumber()).as(run.all()).isTrue();
        // the narration went to standard error (json on standard output): the daemon's steps, as they happened
        assertThat(run.err()).contains("inject", "promote: succeeded", "switch-writer-dns");
        assertThat(Files.readString(Path.of(r.path("htmlReport").asText()))).contains("<svg");
        assertThat(Files.readString(Path.of(r.path("auditReport").asText()))).containsIgnoringCase("<html");
        assertThat(Path.of(servers)).doesNotExist();
    }

    /**
     * The fallback of a machine without PostgreSQL, forced here where it is installed: the demo runs zonky's embedded
     * build (replicas seeded by a file copy, having no pg_basebackup) and still fails over by itself.
     */
    @Test
    void postgresqlDemoRunsFromTheEmbeddedBuild() throws Exception {
        var run = CliRun.of("demo", "--binaries", "embedded", "--dir", dir.toString(), "--seconds", "10", "-o", "json");
        org.junit.jupiter.api.Assumptions.assumeFalse(run.exit() != 0 && run.err().contains("embedded fallback")
                || run.err().contains("no embedded PostgreSQL for"), "embedded PostgreSQL not available: " + run.err());
        assertThat(run.exit()).as(run.all()).isZero();
        var r = run.json();
        assertThat(r.path("serverPrograms").asText()).as(run.all()).contains("postgresql-15.8.0/bin")
                .doesNotStartWith("/usr/lib/postgresql");
        assertThat(r.path("promotions").asInt()).as(run.all()).isEqualTo(1);
        assertThat(r.path("rtoMillis").asLong()).as(run.all()).isPositive();
        assertThat(r.path("acknowledgedWrites").asInt()).isPositive();
        System.out.println("embedded demo: rtoMillis=" + r.path("rtoMillis") + " rpoMillis=" + r.path("rpoMillis")
                + " programs=" + r.path("serverPrograms").asText());
        assertThat(processesOf(r.path("serverRoot").asText())).isEmpty();
    }

    @Test
    void anUnknownBinarySourceIsBadUsage() {
        var run = CliRun.of("demo", "--dir", dir.toString(), "--binaries", "borrowed");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("'borrowed' is not a PostgreSQL binary source");
        var mariadb = CliRun.of("demo", "--dir", dir.toString(), "--engine", "mariadb", "--binaries", "embedded");
        assertThat(mariadb.exit()).isEqualTo(2);
        assertThat(mariadb.err()).contains("drctl embeds PostgreSQL only");
    }

    /** Ctrl-C (here SIGTERM to a child JVM: the same shutdown hooks) while the servers run tears them down. */
    @Test
    void interruptedDemoLeavesNoServerRunning() throws Exception {
        var log = dir.resolve("demo.log");
        var home = dir.resolve("demo");
        String servers;
        try (var demo = DaemonProcess.start(List.of(Drctl.class.getName(), "demo", "--dir", home.toString(),
                "--seconds", "120"), log, Map.of(), false)) {
            Await.until("the demo's writer runs against its servers (" + log + ")", Duration.ofSeconds(180),
                    () -> demo.log().contains("] write ") || !demo.alive());
            assertThat(demo.alive()).as(demo.log()).isTrue();
            var m = Pattern.compile("\\] servers\\s+(\\S+)").matcher(demo.log());
            assertThat(m.find()).as(demo.log()).isTrue();
            servers = m.group(1);
            assertThat(processesOf(servers)).as("the servers run before the interruption").isNotEmpty();
        }
        assertThat(processesOf(servers)).as("processes of the demo's topology after Ctrl-C\n" + Files.readString(log))
                .isEmpty();
    }

    static List<String> processesOf(String serverRoot) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains(serverRoot))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
    }

    @Test
    void anUnknownPolicyIsBadUsage() {
        var run = CliRun.of("demo", "--dir", dir.toString(), "--policy", "reckless");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("unknown policy 'reckless'");
    }
}
