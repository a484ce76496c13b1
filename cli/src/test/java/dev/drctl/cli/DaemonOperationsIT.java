package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.cli.daemon.DaemonSignals;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations side of the real {@code drctl run}, in a child JVM: its endpoint (token, {@code /metrics} in the
 * Prometheus text format, {@code /health}), SIGHUP and {@code drctl reload} with a broken config (the old one stays,
 * loudly) and then a valid one (applied), and SIGTERM (exit within {@link DaemonSignals#EXIT_BOUND}). The cluster's
 * nodes are closed loopback ports: the daemon supervises, finds nothing to act on (manual mode) and the test needs no
 * database server.
 */
class DaemonOperationsIT {
    private static final String TOKEN = "t0ken-for-tests-only";
    private static final Pattern ENDPOINT = Pattern.compile("/health and /metrics on (http://\\S+)");

    @TempDir
    Path dir;
    DaemonProcess daemon;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void down() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        http.close();
    }

    private static int freePort() throws Exception {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String config(int port, String probeInterval) {
        return """
                clusters:
                  - name: pay
                    engine: postgresql
                    credentials: { user: drctl }
                    nodes:
                      - { name: a, host: 127.0.0.1, port: 1, region: r1 }
                      - { name: b, host: 127.0.0.1, port: 2, region: r1 }
                    failover: { mode: manual, probe-interval: %s, probe-timeout: 500ms }
                compliance: { store: "jdbc:sqlite:drctl.db" }
                daemon: { listen: "127.0.0.1:%d", token: "${file:token}" }
                """.formatted(probeInterval, port);
    }

    private HttpResponse<String> get(URI base, String path, Optional<String> token) throws Exception {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode health(URI base) throws Exception {
        return new ObjectMapper().readTree(get(base, "/health", Optional.of(TOKEN)).body());
    }

    @Test
    void logLinesAreJsonWithLogFormatJson() throws Exception {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        var config = dir.resolve("drctl.yaml");
        Files.writeString(config, config(freePort(), "1s"));
        daemon = DaemonProcess.start(java.util.List.of(Drctl.class.getName(), "run", "-c", config.toString(),
                "--log-format", "json"), dir.resolve("daemon.log"), Map.of(), true);
        // the start line comes after the hooks are installed: a SIGTERM before it would find none
        Await.until("the start line", Duration.ofSeconds(30), () -> ENDPOINT.matcher(daemon.log()).find());
        assertThat(daemon.log()).contains("\"loggerName\"");
        daemon.signal("TERM");
        daemon.awaitExit(DaemonSignals.EXIT_BOUND.plusSeconds(10));
        var json = new ObjectMapper();
        var logLines = daemon.log().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(logLines).as(daemon.log()).isNotEmpty();
        for (var line : logLines) {
            var node = json.readTree(line);
            assertThat(node.path("level").asText()).as(line).isNotEmpty();
            assertThat(node.has("formattedMessage")).as(line).isTrue();
        }
        assertThat(logLines).anySatisfy(l -> assertThat(json.readTree(l).path("formattedMessage").asText())
                .startsWith("stopping (signal)"));
        // what is not JSON is the command's own stdout lines, and the JVM's and SLF4J's notices about the test class
        // path (the jar's manifest enables native access; the test JVM does not)
        assertThat(daemon.log().lines().filter(l -> !l.startsWith("{") && !l.startsWith("SLF4J")
                        && !l.startsWith("WARNING: ") && !l.isBlank()).toList())
                .allSatisfy(l -> assertThat(l).startsWith("drctl run: "));
    }

    @Test
    void endpointReloadAndStopOfTheRealDaemon() throws Exception {
        InheritedSignals.assumeHandled(InheritedSignals.SIGHUP, "SIGHUP");
        int port = freePort();
        var config = dir.resolve("drctl.yaml");
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Files.writeString(config, config(port, "1s"));
        daemon = DaemonProcess.run(config, dir.resolve("daemon.log"), Map.of());
        Await.until("the start line", Duration.ofSeconds(30), () -> ENDPOINT.matcher(daemon.log()).find()
                || !daemon.alive());
        assertThat(daemon.alive()).as(daemon.log()).isTrue();
        var m = ENDPOINT.matcher(daemon.log());
        assertThat(m.find()).as(daemon.log()).isTrue();
        var base = URI.create(m.group(1));
        assertThat(base.getPort()).isEqualTo(port);

        // the token is required; the metrics are Prometheus text
        assertThat(get(base, "/metrics", Optional.empty()).statusCode()).isEqualTo(401);
        Await.until("two probe rounds counted", Duration.ofSeconds(30), () -> {
            try {
                var text = dev.drctl.cli.daemon.PromTextAccess.parse(get(base, "/metrics", Optional.of(TOKEN)).body());
                return text.value("drctl_probe_rounds_total", Map.of("cluster", "pay")).orElse(0.0) >= 2;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        var text = dev.drctl.cli.daemon.PromTextAccess.parse(get(base, "/metrics", Optional.of(TOKEN)).body());
        assertThat(text.value("drctl_node_up", Map.of("cluster", "pay", "node", "a"))).contains(0.0);
        assertThat(text.value("drctl_probe_latency_seconds_count", Map.of("cluster", "pay", "node", "b")).orElseThrow())
                .isGreaterThanOrEqualTo(2.0);
        assertThat(text.value("drctl_store_up", Map.of())).contains(1.0);
        var health = health(base);
        assertThat(health.path("ready").asBoolean()).as(health.toPrettyString()).isTrue();
        assertThat(health.path("clusters").get(0).path("mode").asText()).isEqualTo("manual");
        assertThat(daemon.log()).doesNotContain(TOKEN);

        // SIGHUP with a broken config: refused, loudly; the daemon runs on with the old one
        Files.writeString(config, config(port, "1s").replace("engine: postgresql", "engine: oracle"));
        daemon.signal("HUP");
        // The refusal's reasons are logged on the lines after its headline: wait for them too.
        Await.until("the refused reload logged with its reason", Duration.ofSeconds(30),
                () -> daemon.log().contains("RELOAD REFUSED (SIGHUP)") && daemon.log().contains("clusters[0].engine"));
        assertThat(daemon.alive()).isTrue();
        health = health(base);
        assertThat(health.path("warnings").get(0).asText()).contains("was refused").contains("stays in force");
        assertThat(health.path("ready").asBoolean()).isTrue();
        // a scrape may reuse the daemon's view for a moment (DaemonMetrics.VIEW_REUSE): the refusal shows within it
        Await.until("drctl_config_reload_refused 1", Duration.ofSeconds(10), () -> {
            try {
                return dev.drctl.cli.daemon.PromTextAccess.parse(get(base, "/metrics", Optional.of(TOKEN)).body())
                        .value("drctl_config_reload_refused", Map.of()).equals(Optional.of(1.0));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        // drctl reload with the broken file: reported here, the daemon is not asked
        var broken = CliRun.of("reload", "-c", config.toString());
        assertThat(broken.exit()).as(broken.all()).isEqualTo(2);
        assertThat(broken.err()).contains("is not valid; the daemon was not asked and keeps its config")
                .contains("clusters[0].engine");

        // a valid change, through drctl reload: applied and journaled; the refusal is cleared
        Files.writeString(config, config(port, "2s"));
        var applied = CliRun.of("reload", "-c", config.toString(), "-o", "json");
        assertThat(applied.exit()).as(applied.all()).isZero();
        assertThat(applied.json().path("applied").asBoolean()).isTrue();
        assertThat(applied.json().path("sentence").asText()).isEqualTo("config " + config.toAbsolutePath().normalize()
                + " reloaded and applied (1 cluster(s))");
        assertThat(health(base).path("config").path("reloadRefused").isNull()).isTrue();
        assertThat(daemon.log()).contains("by user:it-tester");
        var reloads = CliRun.journal(config).stream()
                .filter(e -> e.kind() == dev.drctl.compliance.JournalKind.CONFIG_LOADED).toList();
        assertThat(reloads).extracting(e -> e.payloadTree().path("applied").asBoolean()).containsExactly(false, true);

        // SIGTERM: out within the documented bound, a clean stop
        long start = System.nanoTime();
        daemon.signal("TERM");
        int exit = daemon.awaitExit(DaemonSignals.EXIT_BOUND.plusSeconds(10));
        var took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("drctl run: SIGTERM to exit " + took.toMillis() + " ms (bound " + DaemonSignals.EXIT_BOUND
                .toSeconds() + " s)");
        assertThat(took).isLessThan(DaemonSignals.EXIT_BOUND);
        assertThat(exit).as(daemon.log()).isEqualTo(143);
        assertThat(daemon.log()).contains("stopping (signal)").contains("stopped in");
    }
}
