package dev.drctl.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.compliance.OutboxStats;
import dev.drctl.promotion.ClusterVerdict;
import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.DaemonSpec;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;
import dev.drctl.topology.TopologyErrorCode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint over real loopback HTTP: {@code /metrics} scraped and read by a strict parser of the text format,
 * {@code /health} as JSON whose readiness follows the {@link DaemonView}, and the bearer token.
 */
class DaemonEndpointTest {
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final ClusterName PAY = new ClusterName("pay");
    static final NodeName A = new NodeName("a");
    static final NodeName B = new NodeName("b");
    static final NodeName C = new NodeName("c");
    static final ObjectMapper JSON = new ObjectMapper();
    static final ClusterSpec CLUSTER = ConfigLoader.parse("""
            clusters:
              - name: pay
                engine: postgresql
                credentials: { user: drctl }
                nodes:
                  - { name: a, host: 127.0.0.1, port: 5432, region: r1 }
                  - { name: b, host: 127.0.0.1, port: 5433, region: r1 }
                  - { name: c, host: 127.0.0.1, port: 5434, region: r2 }
            """, Path.of("/etc/drctl/drctl.yaml")).clusters().getFirst();

    final HttpClient http = HttpClient.newHttpClient();
    final AtomicReference<DaemonView> view = new AtomicReference<>(view(true, T0.plusSeconds(5)));
    DaemonEndpoint endpoint;

    @AfterEach
    void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        http.close();
    }

    static DaemonView view(boolean storeUp, Instant at) {
        var store = storeUp
                ? new DaemonView.StoreStatus("jdbc:sqlite:/var/lib/drctl/drctl.db", true, at, Optional.empty(),
                Optional.of(new OutboxStats(3, 1, 2, 40, Optional.of(at.minusSeconds(90)))))
                : new DaemonView.StoreStatus("jdbc:postgresql://127.0.0.1:5999/drctl", false, at,
                Optional.of("Connection to 127.0.0.1:5999 refused"), Optional.empty());
        var healthy = new ClusterVerdict.Healthy(PAY, A, List.of());
        var cluster = new DaemonView.ClusterView(PAY, "auto", Duration.ofSeconds(1), Optional.of(at.minusSeconds(1)),
                DaemonMetrics.verdictName(healthy), healthy.summary(),
                Map.of(B, new Lag(Optional.of(1024L), Optional.of(Duration.ofMillis(250))), C, Lag.unknown()),
                Optional.of(new DaemonView.Brake(DaemonView.Brake.Kind.COOLING_DOWN, "pay failed over at 09:55; "
                        + "cooling down until 10:05", Optional.of(T0.plusSeconds(300)))),
                Optional.empty(), Optional.empty(), Optional.of(at.minus(Duration.ofDays(10))));
        return new DaemonView(at, T0, new DaemonView.ConfigState(Path.of("/etc/drctl/drctl.yaml"), T0, Optional.empty()),
                true, store, List.of(cluster));
    }

    static ClusterHistory round(Instant at) {
        var primary = new ProbeOutcome.Reached(Role.PRIMARY, true, Optional.empty(), Optional.empty(), Lag.none(),
                Optional.empty(), "15.4");
        var replica = new ProbeOutcome.Reached(Role.REPLICA, false, Optional.empty(), Optional.empty(),
                new Lag(Optional.of(1024L), Optional.of(Duration.ofMillis(250))), Optional.empty(), "15.4");
        return new ClusterHistory(CLUSTER, Map.of(
                A, List.of(new NodeObservation(A, at, Duration.ofMillis(3), primary)),
                B, List.of(new NodeObservation(B, at, Duration.ofMillis(40), replica)),
                C, List.of(new NodeObservation(C, at, Duration.ofMillis(800),
                        new ProbeOutcome.Failed(FailureKind.REFUSED, "connection refused")))));
    }

    private DaemonEndpoint start(DaemonSpec spec, Optional<String> token, DaemonMetrics metrics) {
        endpoint = DaemonEndpoint.start(spec, token, metrics, view::get, Optional.empty());
        return endpoint;
    }

    private HttpResponse<String> get(String path, Optional<String> token) throws Exception {
        var request = HttpRequest.newBuilder(endpoint.uri().resolve(path)).timeout(Duration.ofSeconds(10));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreScrapedAsPrometheusTextFormat() throws Exception {
        var metrics = new DaemonMetrics(view::get);
        start(new DaemonSpec("127.0.0.1", 0, Optional.empty()), Optional.empty(), metrics);
        var healthy = new ClusterVerdict.Healthy(PAY, A, List.of());
        metrics.round(PAY, round(T0), healthy);
        metrics.round(PAY, round(T0), healthy); // the same round reported twice is counted once in the histogram
        metrics.round(PAY, round(T0.plusSeconds(1)), healthy);
        metrics.failover(PAY, "COMPLETED");
        metrics.failover(PAY, "Refused ");
        metrics.verdict(new ClusterName("ledger"), "PrimaryDead");

        var response = get("/metrics", Optional.empty());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        var text = PromText.parse(response.body());

        assertThat(text.types()).containsEntry("drctl_probe_latency_seconds", "histogram")
                .containsEntry("drctl_failovers_total", "counter").containsEntry("drctl_cluster_verdict", "gauge")
                .containsEntry("drctl_replica_lag_bytes", "gauge").containsEntry("drctl_breaker_open", "gauge");
        assertThat(text.value("drctl_probe_latency_seconds_count", Map.of("cluster", "pay", "node", "c"))).contains(2.0);
        assertThat(text.value("drctl_probe_latency_seconds_bucket", Map.of("cluster", "pay", "node", "a", "le", "0.005")))
                .contains(2.0);
        assertThat(text.value("drctl_probe_latency_seconds_bucket", Map.of("cluster", "pay", "node", "c", "le", "0.5")))
                .contains(0.0);
        assertThat(text.value("drctl_cluster_verdict", Map.of("cluster", "pay", "verdict", "healthy"))).contains(1.0);
        assertThat(text.value("drctl_cluster_verdict", Map.of("cluster", "pay", "verdict", "primary_dead"))).contains(0.0);
        assertThat(text.value("drctl_replica_lag_bytes", Map.of("cluster", "pay", "node", "b"))).contains(1024.0);
        assertThat(text.value("drctl_replica_lag_seconds", Map.of("cluster", "pay", "node", "b"))).contains(0.25);
        assertThat(text.value("drctl_replica_lag_bytes", Map.of("cluster", "pay", "node", "a"))).isEmpty();
        assertThat(text.value("drctl_node_up", Map.of("cluster", "pay", "node", "c"))).contains(0.0);
        assertThat(text.value("drctl_probe_rounds_total", Map.of("cluster", "pay"))).contains(3.0);
        assertThat(text.value("drctl_failovers_total", Map.of("cluster", "pay", "outcome", "completed"))).contains(1.0);
        assertThat(text.value("drctl_cluster_verdict", Map.of("cluster", "ledger", "verdict", "primary_dead"))).contains(1.0);
        assertThat(text.value("drctl_failovers_total", Map.of("cluster", "pay", "outcome", "refused"))).contains(1.0);
        // read from the view at scrape time
        assertThat(text.value("drctl_outbox_pending_messages", Map.of())).contains(3.0);
        assertThat(text.value("drctl_outbox_given_up_messages", Map.of())).contains(2.0);
        assertThat(text.value("drctl_outbox_oldest_pending_age_seconds", Map.of())).contains(90.0);
        assertThat(text.value("drctl_store_up", Map.of())).contains(1.0);
        assertThat(text.value("drctl_ready", Map.of())).contains(1.0);
        assertThat(text.value("drctl_breaker_open", Map.of())).contains(0.0);
        assertThat(text.value("drctl_automation_held", Map.of("cluster", "pay", "brake", "cooling_down"))).contains(1.0);
        assertThat(text.value("drctl_automation_held", Map.of("cluster", "pay", "brake", "maintenance"))).contains(0.0);
        assertThat(text.value("drctl_last_successful_drill_age_seconds", Map.of("cluster", "pay")))
                .contains((double) Duration.ofDays(10).toSeconds());
        assertThat(text.value("drctl_runbook_running", Map.of("cluster", "pay"))).contains(0.0);
        assertThat(text.of("jvm_memory_used_bytes")).isNotEmpty();
    }

    @Test
    void aScraperAskingForProtobufOrOpenMetricsGetsTextNeverAnError() throws Exception {
        start(new DaemonSpec("127.0.0.1", 0, Optional.empty()), Optional.empty(), new DaemonMetrics(view::get));
        // what Prometheus sends with native histograms on: protobuf first; the jar has no protobuf writer
        var protobuf = scrape("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", Optional.empty());
        assertThat(protobuf.statusCode()).isEqualTo(200);
        assertThat(protobuf.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(PromText.parse(protobuf.body()).value("drctl_ready", Map.of())).contains(1.0);

        var openMetrics = scrape("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5",
                Optional.empty());
        assertThat(openMetrics.statusCode()).isEqualTo(200);
        assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/openmetrics-text; version=1.0.0");
        assertThat(openMetrics.body()).contains("drctl_ready 1.0").endsWith("# EOF\n");

        var gzipped = http.send(HttpRequest.newBuilder(endpoint.uri().resolve("/metrics"))
                .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        var text = new String(new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))
                .readAllBytes(), StandardCharsets.UTF_8);
        assertThat(PromText.parse(text).value("drctl_ready", Map.of())).contains(1.0);

        var post = http.send(HttpRequest.newBuilder(endpoint.uri().resolve("/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    private HttpResponse<String> scrape(String accept, Optional<String> token) throws Exception {
        var request = HttpRequest.newBuilder(endpoint.uri().resolve("/metrics")).header("Accept", accept)
                .timeout(Duration.ofSeconds(10));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsReadyJsonAndTurnsUnreadyWithItsReasonWhenTheStoreIsUnreachable() throws Exception {
        start(new DaemonSpec("127.0.0.1", 0, Optional.empty()), Optional.empty(), new DaemonMetrics(view::get));

        var ready = get("/health", Optional.empty());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.path("status").asText()).isEqualTo("ready");
        assertThat(body.path("reasons")).isEmpty();
        assertThat(body.path("warnings").get(0).asText()).startsWith("2 notification(s) given up");
        var pay = body.path("clusters").get(0);
        assertThat(pay.path("verdict").asText()).isEqualTo("healthy");
        assertThat(pay.path("lag").path("b").path("bytes").asLong()).isEqualTo(1024);
        assertThat(pay.path("lag").path("c").path("bytes").isNull()).isTrue();
        assertThat(pay.path("brake").path("kind").asText()).isEqualTo("cooling_down");

        view.set(view(false, T0.plusSeconds(6)));
        var unready = get("/health", Optional.empty());
        assertThat(unready.statusCode()).isEqualTo(503);
        body = JSON.readTree(unready.body());
        assertThat(body.path("status").asText()).isEqualTo("not-ready");
        assertThat(body.path("live").asBoolean()).isTrue();
        assertThat(body.path("reasons").get(0).asText()).startsWith(
                "state store jdbc:postgresql://127.0.0.1:5999/drctl unreachable at 2026-11-28T10:00:06Z: Connection to");
        assertThat(get("/health/live", Optional.empty()).statusCode()).isEqualTo(200);
        assertThat(get("/health/ready", Optional.empty()).statusCode()).isEqualTo(503);
    }

    @Test
    void aLoopThatEndsNoRoundMakesTheDaemonNotLive() throws Exception {
        start(new DaemonSpec("127.0.0.1", 0, Optional.empty()), Optional.empty(), new DaemonMetrics(view::get));
        var at = T0.plusSeconds(100);
        var fresh = view(true, at);
        var stuck = new DaemonView.ClusterView(PAY, "auto", Duration.ofSeconds(1), Optional.of(at.minusSeconds(45)),
                "healthy", "", Map.of(), Optional.empty(), Optional.of("failover"), Optional.empty(), Optional.empty());
        view.set(new DaemonView(at, T0, fresh.config(), true, fresh.store(), List.of(stuck)));

        var response = get("/health/live", Optional.empty());
        assertThat(response.statusCode()).isEqualTo(503);
        var body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("not-live");
        assertThat(body.path("reasons").get(0).asText()).isEqualTo("pay: supervision loop ended no probe round for 45 s "
                + "(last at 2026-11-28T10:00:55Z); expected one within 30s");
    }

    @Test
    void withATokenEveryRequestMustCarryIt() throws Exception {
        start(new DaemonSpec("127.0.0.1", 0, Optional.of(new dev.drctl.topology.SecretRef.Env("T"))),
                Optional.of("s3cret-token"), new DaemonMetrics(view::get));

        for (var path : List.of("/metrics", "/health", "/nothing")) {
            var none = get(path, Optional.empty());
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"drctl\"");
            assertThat(get(path, Optional.of("s3cret-tokeN")).statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, Optional.of("s3cret-token-and-more")).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(get("/metrics", Optional.of("s3cret-token")).statusCode()).isEqualTo(200);
        assertThat(get("/health", Optional.of("s3cret-token")).statusCode()).isEqualTo(200);
        assertThat(get("/nothing", Optional.of("s3cret-token")).statusCode()).isEqualTo(404);
    }

    @Test
    void aNonLoopbackAddressWithoutATokenIsRefused() {
        assertThatThrownBy(() -> start(new DaemonSpec("0.0.0.0", 0, Optional.empty()), Optional.empty(),
                new DaemonMetrics(view::get)))
                .isInstanceOfSatisfying(DrctlException.class, e -> {
                    assertThat(e.code()).isEqualTo(TopologyErrorCode.BAD_CONFIG);
                    assertThat(e.code().exitCode()).isEqualTo(2);
                })
                .hasMessage("daemon.listen 0.0.0.0:0 is not a loopback address and no daemon.token is set; set a token "
                        + "or listen on 127.0.0.1");
    }

    @Test
    void aPortInUseIsAClearFailure() {
        var metrics = new DaemonMetrics(view::get);
        start(new DaemonSpec("127.0.0.1", 0, Optional.empty()), Optional.empty(), metrics);
        var taken = endpoint.port();
        assertThatThrownBy(() -> DaemonEndpoint.start(new DaemonSpec("127.0.0.1", taken, Optional.empty()),
                Optional.empty(), metrics, view::get, Optional.empty()))
                .isInstanceOfSatisfying(DrctlException.class, e -> assertThat(e.code().exitCode()).isEqualTo(1))
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken + ": ");
        assertThat(URI.create(endpoint.uri().toString()).getHost()).isEqualTo("127.0.0.1");
    }
}
