package dev.drctl.notifiers;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP receiver on loopback (JDK HttpServer) that answers with scripted statuses (200 once the script
 * runs out) and keeps what it got. It deduplicates on {@code X-Drctl-Delivery} like a careful receiver would.
 */
final class WebhookReceiver implements AutoCloseable {
    record Received(Map<String, List<String>> headers, byte[] body, int answered) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    WebhookReceiver(Integer... statuses) {
        script.addAll(List.of(statuses));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            var body = exchange.getRequestBody().readAllBytes();
            int status;
            synchronized (script) {
                status = script.isEmpty() ? 200 : script.poll();
            }
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Deliveries the receiver accepted (2xx), counted once per X-Drctl-Delivery id. */
    long acceptedDistinct() {
        return received.stream().filter(r -> r.answered() / 100 == 2).map(r -> r.header("X-Drctl-Delivery")).distinct()
                .count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
