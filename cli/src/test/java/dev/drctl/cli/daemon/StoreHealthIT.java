package dev.drctl.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.compliance.StateStore;
import dev.drctl.runbooks.watch.AutomationBrakes;
import dev.drctl.runbooks.watch.BreakerPolicy;
import dev.drctl.testenv.FaultProxy;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.DaemonSpec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /health} turns unready when the state store becomes unreachable, and ready again when it answers: a real
 * PostgreSQL store (a fresh database on the machine's PostgreSQL) reached through a fault proxy that then refuses
 * new connections and cuts the open ones. The view is the daemon's own {@link DaemonStatus} over that store.
 */
class StoreHealthIT {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    String database;
    FaultProxy proxy;
    StateStore store;
    DaemonEndpoint endpoint;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void down() throws Exception {
        if (endpoint != null) {
            endpoint.close();
        }
        if (store != null) {
            store.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        http.close();
        if (database != null) {
            try (var c = DriverManager.getConnection(ADMIN_URL); var st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void healthTurnsUnreadyWhenTheStoreIsUnreachableAndReadyWhenItAnswersAgain() throws Exception {
        database = "drctl_health_" + UUID.randomUUID().toString().replace("-", "");
        try (var c = DriverManager.getConnection(ADMIN_URL); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        proxy = FaultProxy.start("store", "127.0.0.1", 5432);
        var config = ConfigLoader.parse("""
                clusters:
                  - name: pay
                    engine: postgresql
                    credentials: { user: drctl }
                    failover: { mode: manual }
                    nodes:
                      - { name: a, host: 127.0.0.1, port: 1, region: r1 }
                      - { name: b, host: 127.0.0.1, port: 2, region: r1 }
                compliance: { store: "jdbc:postgresql://127.0.0.1:%d/%s?user=postgres" }
                """.formatted(proxy.port(), database), Path.of("/etc/drctl/drctl.yaml"));
        var clock = Clock.systemUTC();
        store = StateStore.open(config.compliance(), clock, Set.of());
        var started = clock.instant();
        var status = new DaemonStatus(clock, started, store, new AutomationBrakes(store, BreakerPolicy.defaults()),
                () -> config, List::of, () -> true,
                () -> new DaemonView.ConfigState(config.source(), started, Optional.empty()));
        endpoint = DaemonEndpoint.start(new DaemonSpec("127.0.0.1", 0, Optional.empty()), Optional.empty(),
                new DaemonMetrics(status::view), status::view, Optional.empty());

        var ready = health();
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(json(ready).path("store").path("reachable").asBoolean()).isTrue();
        assertThat(json(ready).path("store").path("store").asText()).doesNotContain("password");

        proxy.refuse();
        proxy.cutExisting();
        await("unready once the store stops answering", () -> health().statusCode() == 503);
        var unready = health();
        var body = json(unready);
        assertThat(body.path("status").asText()).isEqualTo("not-ready");
        assertThat(body.path("live").asBoolean()).as("the loops are alive: no restart wanted").isTrue();
        assertThat(body.path("reasons").get(0).asText())
                .startsWith("state store jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database)
                .contains(" unreachable at ")
                .endsWith("; nothing can be journaled, so no automatic action is taken");
        assertThat(body.path("store").path("outboxPending").isNull()).isTrue();
        var metrics = PromText.parse(http.send(HttpRequest.newBuilder(endpoint.uri().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(metrics.value("drctl_store_up", java.util.Map.of())).contains(0.0);
        assertThat(metrics.value("drctl_ready", java.util.Map.of())).contains(0.0);
        assertThat(metrics.of("drctl_outbox_pending_messages")).isEmpty();

        proxy.pass();
        await("ready again once the store answers", () -> health().statusCode() == 200);
        assertThat(json(health()).path("store").path("outboxPending").asLong()).isZero();
    }

    private HttpResponse<String> health() {
        try {
            return http.send(HttpRequest.newBuilder(endpoint.uri().resolve("/health")).timeout(Duration.ofSeconds(20))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode json(HttpResponse<String> r) throws Exception {
        return new ObjectMapper().readTree(r.body());
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 30 s: " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }
}
