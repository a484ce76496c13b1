package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's acceptance, through {@code drctl drill run}: a drill builds a local copy of the configured cluster, the
 * daemon's own supervision acts on it, and the drill measures and judges what it did. Each test also proves that the
 * environment is gone afterwards: no server process refers to its directory any more.
 */
class DrillRunIT {
    @TempDir
    Path dir;
    Path config;
    HttpServer hooks;
    final List<String> received = new ArrayList<>();

    @BeforeEach
    void webhook() throws IOException {
        // the operator's own notification channel: a real HTTP server on loopback
        hooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        hooks.createContext("/hook", ex -> {
            try (ex) {
                var body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (received) {
                    received.add(body);
                }
                ex.sendResponseHeaders(204, -1);
            }
        });
        hooks.start();
    }

    @AfterEach
    void stop() {
        hooks.stop(0);
    }

    /** A config whose cluster need not exist: a drill only mirrors its shape and policy. */
    Path config(String engine, String failure, String targets, String failover) throws IOException {
        var yaml = """
                clusters:
                  - name: payments
                    engine: %s
                    credentials: { user: drctl, password: "${env:NOT_NEEDED_BY_A_DRILL}" }
                    nodes:
                      - { name: db-1, host: db-1.example.com, port: 5432, region: eu-west-1 }
                      - { name: db-2, host: db-2.example.com, port: 5432, region: eu-west-1 }
                      - { name: db-3, host: db-3.example.com, port: 5432, region: eu-west-2 }
                    failover: { %s }
                notifications:
                  webhooks: [ { url: "http://127.0.0.1:%d/hook", format: json } ]
                compliance:
                  store: "jdbc:sqlite:%s"
                  targets: { rto: 60s, rpo: 0s }
                drills:
                  - name: payments-drill
                    cluster: payments
                    schedule: "0 2 * * SUN"
                    environment: local
                    failure: %s
                    workload: { inserts-per-second: 20, duration: 5s }
                    %s
                """.formatted(engine, failover, hooks.getAddress().getPort(), dir.resolve("drctl.db"), failure,
                targets);
        config = dir.resolve("drctl.yaml");
        Files.writeString(config, yaml);
        return config;
    }

    CliRun drill() {
        return CliRun.of("drill", "run", "payments-drill", "-c", config.toString(), "-o", "json", "--report-dir",
                dir.resolve("reports").toString());
    }

    static void assertEnvironmentGone(CliRun run) {
        var leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains("drill-payments-drill-"))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
        assertThat(leftovers).as("server processes of the drill's environment after the drill\n" + run.all()).isEmpty();
    }

    @Test
    void killPrimaryOnPostgresqlPassesWithMeasuredRtoAndRpo() throws Exception {
        config("postgresql", "kill-primary", "", "cooldown: 10m");
        var run = drill();
        assertEnvironmentGone(run);
        assertThat(run.exit()).as(run.all()).isZero();
        var r = run.json();
        assertThat(r.path("passed").asBoolean()).isTrue();
        assertThat(r.path("promotions").asInt()).isEqualTo(1);
        assertThat(r.path("rtoMillis").asLong()).as(run.all()).isPositive();
        assertThat(r.path("rpoMillis").asLong()).isZero();
        assertThat(r.path("lostWrites").asInt()).isZero();
        assertThat(r.path("acknowledgedWrites").asInt()).isGreaterThan(10);
        assertThat(r.at("/split/detectionMillis").isNumber()).as(run.all()).isTrue();
        assertThat(r.at("/split/dnsMillis").isNumber()).as(run.all()).isTrue();
        System.out.println("drill kill-primary postgresql: RTO " + r.path("rtoMillis").asLong() + " ms, split "
                + r.path("split") + ", writes " + r.path("acknowledgedWrites").asLong() + " acknowledged, "
                + r.path("lostWrites").asLong() + " lost");
        var html = Files.readString(Path.of(r.path("htmlReport").asText()));
        assertThat(html).contains("<svg", "id=\"verdict\">passed<");

        var list = CliRun.of("drill", "list", "-c", config.toString(), "-o", "json");
        assertThat(list.exit()).as(list.all()).isZero();
        assertThat(list.json().at("/drills/0/lastResult").asText()).isEqualTo("succeeded");
        assertThat(list.json().at("/drills/0/nextRuns")).hasSize(3);
        var report = CliRun.of("drill", "report", "payments-drill", "-c", config.toString(), "-o", "json");
        assertThat(report.exit()).as(report.all()).isZero();
        assertThat(report.json().path("runId").asText()).isEqualTo(r.path("runId").asText());
    }
}
