package dev.drctl.probes;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback listener that accepts every connection and never says a word: a hung server. */
final class BlackHole implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    BlackHole() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("black-hole").start(() -> {
            try {
                while (!server.isClosed()) {
                    held.add(server.accept());
                }
            } catch (IOException e) {
                // closed: the test is over
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    int accepted() {
        return held.size();
    }

    /** A loopback port nothing listens on (bound, then released). */
    static int refusedPort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (var s : held) {
            s.close();
        }
    }
}
