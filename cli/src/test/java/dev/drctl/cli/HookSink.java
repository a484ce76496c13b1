package dev.drctl.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The operator's own notification channel in a test: a real JSON webhook on loopback that keeps every body. */
final class HookSink implements AutoCloseable {
    private final HttpServer server;
    private final List<String> received = new ArrayList<>();

    HookSink() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", ex -> {
            try (ex) {
                var body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (received) {
                    received.add(body);
                }
                ex.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Whether a body containing {@code text} arrived. */
    boolean got(String text) {
        synchronized (received) {
            return received.stream().anyMatch(b -> b.contains(text));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
