package dev.drctl.runbooks.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.drctl.topology.DrctlException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The drill environment's notification channel: a JSON webhook on 127.0.0.1 that keeps what it is sent, so the drill
 * sees who would have been paged, and no real person is.
 */
final class PageSink implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<String> kinds = new ArrayList<>();
    private final List<String> subjects = new ArrayList<>();

    PageSink() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot listen on 127.0.0.1: " + e.getMessage());
        }
        server.createContext("/pages", exchange -> {
            try (exchange) {
                var body = exchange.getRequestBody().readAllBytes();
                String kind;
                String subject;
                try {
                    var tree = JSON.readTree(body);
                    kind = tree.path("kind").asText("UNKNOWN");
                    subject = tree.path("subject").asText("");
                } catch (IOException e) {
                    kind = "UNREADABLE";
                    subject = "";
                }
                synchronized (kinds) {
                    kinds.add(kind);
                    subjects.add(kind + ": " + subject);
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/pages";
    }

    /** How many notifications of {@code kind} (e.g. FAILOVER_BLOCKED) arrived. */
    int count(String kind) {
        synchronized (kinds) {
            return (int) kinds.stream().filter(kind::equals).count();
        }
    }

    /** Each notification received, as "KIND: subject". */
    List<String> received() {
        synchronized (kinds) {
            return List.copyOf(subjects);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
