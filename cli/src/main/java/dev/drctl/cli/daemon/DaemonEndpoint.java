package dev.drctl.cli.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.drctl.topology.DaemonSpec;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.TopologyErrorCode;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP endpoint, served by the JDK's HTTP server:
 * <ul>
 *   <li>{@code GET /metrics}: {@link DaemonMetrics} in the Prometheus text format, or OpenMetrics when the
 *       {@code Accept} header asks for it; never protobuf (a scraper asking for it gets text, as the format
 *       negotiation allows), so the jar carries no protobuf runtime;</li>
 *   <li>{@code GET /health}: {@link Health} of the current {@link DaemonView} as pretty JSON, 200 when ready, else
 *       503; {@code /health/live} and {@code /health/ready} answer the same body with the status code of that one
 *       question (for probes that look at the code only);</li>
 *   <li>{@code POST /-/reload}: {@link ConfigReload} now ({@code drctl reload}, {@link DaemonClient}); 200 when
 *       applied, 422 when refused.</li>
 * </ul>
 * On a loopback address by default; with a token (required elsewhere) every request needs {@code Authorization:
 * Bearer TOKEN}, else 401.
 */
public final class DaemonEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonEndpoint.class);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Scrapes and health checks are small and rare: two threads serve them, a third request waits. */
    private static final int THREADS = 2;

    private final HttpServer server;
    private final ExecutorService threads;
    private final String host;

    private DaemonEndpoint(HttpServer server, ExecutorService threads, String host) {
        this.server = server;
        this.threads = threads;
        this.host = host;
    }

    /**
     * Starts listening.
     *
     * @param token  the resolved token of {@code spec.token()}; required when {@code spec} is not a loopback address
     * @param reload what {@code POST /-/reload} runs; empty: answered 404
     * @throws DrctlException {@link TopologyErrorCode#BAD_CONFIG} for a non-loopback address without a token,
     *                        {@link EndpointErrorCode#ENDPOINT_UNAVAILABLE} when it cannot listen there
     */
    public static DaemonEndpoint start(DaemonSpec spec, Optional<String> token, DaemonMetrics metrics,
                                       Supplier<DaemonView> views, Optional<Function<String, ConfigReload.Outcome>> reload) {
        Objects.requireNonNull(views, "views");
        if (!spec.loopback() && token.isEmpty()) {
            throw new DrctlException(TopologyErrorCode.BAD_CONFIG, "daemon.listen " + spec.listen()
                    + " is not a loopback address and no daemon.token is set; set a token or listen on 127.0.0.1");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(spec.host());
        } catch (UnknownHostException e) {
            throw new DrctlException(EndpointErrorCode.ENDPOINT_UNAVAILABLE, "daemon.listen " + spec.listen()
                    + ": host " + spec.host() + " does not resolve; expected an address of this host");
        }
        ExecutorService threads = Executors.newFixedThreadPool(THREADS,
                Thread.ofPlatform().daemon().name("drctl-http-", 1).factory());
        try {
            var server = HttpServer.create(new InetSocketAddress(address, spec.port()), 0);
            var context = server.createContext("/", exchange -> route(exchange, metrics.registry(), views, reload));
            token.ifPresent(t -> context.setAuthenticator(new BearerToken(t)));
            server.setExecutor(threads);
            server.start();
            var endpoint = new DaemonEndpoint(server, threads, address.getHostAddress());
            LOG.info("serving /health and /metrics on {}{}", endpoint.uri(), token.isPresent() ? " (bearer token required)" : "");
            return endpoint;
        } catch (IOException e) {
            threads.shutdownNow();
            throw new DrctlException(EndpointErrorCode.ENDPOINT_UNAVAILABLE, "cannot listen on " + spec.listen() + ": "
                    + e.getMessage() + "; is another drctl run (or another program) using that port? Change daemon.listen");
        }
    }

    /** The port listened on (the one taken when the config said 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:9187}. */
    public URI uri() {
        var h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static void route(HttpExchange exchange, PrometheusRegistry registry, Supplier<DaemonView> views,
                              Optional<Function<String, ConfigReload.Outcome>> reload) throws IOException {
        try (exchange) {
            var path = exchange.getRequestURI().getPath();
            var method = exchange.getRequestMethod();
            switch (path) {
                case "/metrics", "/metrics/" -> {
                    if (!method.equals("GET") && !method.equals("HEAD")) {
                        send(exchange, 405, "{\"error\": \"use GET\"}\n");
                        return;
                    }
                    scrape(exchange, registry);
                }
                case "/health", "/health/", "/health/live", "/health/ready" -> {
                    if (!method.equals("GET") && !method.equals("HEAD")) {
                        send(exchange, 405, "{\"error\": \"use GET\"}\n");
                        return;
                    }
                    var view = views.get();
                    var health = Health.of(view);
                    boolean ok = path.equals("/health/live") ? health.live() : health.ready();
                    send(exchange, ok ? 200 : 503, JSON.writeValueAsString(HealthJson.of(view, health)) + "\n");
                }
                case "/-/reload" -> {
                    if (reload.isEmpty()) {
                        send(exchange, 404, "{\"error\": \"reload is not served here\"}\n");
                    } else if (!method.equals("POST")) {
                        send(exchange, 405, "{\"error\": \"use POST\"}\n");
                    } else {
                        var outcome = reload.get().apply(trigger(exchange));
                        send(exchange, outcome instanceof ConfigReload.Outcome.Applied ? 200 : 422,
                                JSON.writeValueAsString(reloadJson(outcome)) + "\n");
                    }
                }
                default -> send(exchange, 404, "{\"error\": \"not found; try /health or /metrics\"}\n");
            }
        } catch (RuntimeException e) {
            // A view that cannot be built is an answer too: 500, and the reason in the log, never a stack to the caller.
            LOG.error("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e.toString());
            send(exchange, 500, "{\"error\": \"internal error; see the daemon's log\"}\n");
        }
    }

    /** The header {@code drctl reload} names its OS account in, for the log and the journal. */
    static final String ACTOR_HEADER = "X-Drctl-Actor";
    private static final Pattern ACTOR = Pattern.compile("user:[A-Za-z0-9._@-]{1,64}");

    private static String trigger(HttpExchange exchange) {
        var actor = exchange.getRequestHeaders().getFirst(ACTOR_HEADER);
        return "drctl reload" + (actor != null && ACTOR.matcher(actor).matches() ? " by " + actor : "")
                + " from " + exchange.getRemoteAddress().getAddress().getHostAddress();
    }

    static ObjectNode reloadJson(ConfigReload.Outcome outcome) {
        var node = JSON.createObjectNode();
        switch (outcome) {
            case ConfigReload.Outcome.Applied a -> node.put("applied", true).put("file", a.file().toString())
                    .put("at", a.at().toString()).put("clusters", a.clusters());
            case ConfigReload.Outcome.Refused r -> {
                node.put("applied", false).put("file", r.file().toString()).put("at", r.at().toString());
                var problems = node.putArray("problems");
                r.problems().forEach(problems::add);
            }
        }
        node.put("sentence", outcome.sentence());
        return node;
    }

    private static final ExpositionFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();
    private static final ExpositionFormatWriter PROMETHEUS_TEXT = PrometheusTextFormatWriter.create();

    /** The registry in the text format the {@code Accept} header prefers; gzipped when the scraper takes gzip. */
    private static void scrape(HttpExchange exchange, PrometheusRegistry registry) throws IOException {
        var accept = exchange.getRequestHeaders().getFirst("Accept");
        var writer = accept != null && OPEN_METRICS.accepts(accept) ? OPEN_METRICS : PROMETHEUS_TEXT;
        var body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, registry.scrape());
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", writer.getContentType());
        headers.set("Cache-Control", "no-store");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        var encoding = exchange.getRequestHeaders().getFirst("Accept-Encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            headers.set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream gzip = new GZIPOutputStream(exchange.getResponseBody())) {
                body.writeTo(gzip);
            }
            return;
        }
        exchange.sendResponseHeaders(200, body.size());
        body.writeTo(exchange.getResponseBody());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
