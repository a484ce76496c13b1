package dev.drctl.testenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault observed on real loopback sockets, with an echo server as the target. */
class FaultProxyTest {
    ServerSocket echo;
    FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    var s = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s; var in = s.getInputStream(); var out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // the client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = FaultProxy.start("test", "127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    Socket client() throws IOException {
        var s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 2_000);
        s.setSoTimeout(5_000);
        return s;
    }

    static String roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        var buf = new byte[text.length()];
        int read = 0;
        while (read < buf.length) {
            int n = s.getInputStream().read(buf, read, buf.length - read);
            if (n < 0) {
                throw new IOException("closed after " + read + " bytes");
            }
            read += n;
        }
        return new String(buf, StandardCharsets.UTF_8);
    }

    @Test
    void passForwardsBothWays() throws IOException {
        try (var s = client()) {
            assertThat(roundTrip(s, "ping")).isEqualTo("ping");
            assertThat(roundTrip(s, "x".repeat(100_000))).hasSize(100_000);
        }
        assertThat(proxy.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void refuseRejectsNewConnectionsUntilLiftedOnTheSamePort() throws IOException {
        int port = proxy.port();
        try (var open = client()) {
            assertThat(roundTrip(open, "accepted")).isEqualTo("accepted");
            proxy.refuse();
            assertThatThrownBy(this::client).isInstanceOf(ConnectException.class);
            assertThat(roundTrip(open, "still here")).isEqualTo("still here"); // open connections stay
            proxy.pass();
            assertThat(proxy.port()).isEqualTo(port);
            try (var s = client()) {
                assertThat(roundTrip(s, "back")).isEqualTo("back");
            }
        }
    }

    @Test
    void blackholeAcceptsAndNeverAnswersThenLetsHeldBytesThrough() throws IOException {
        try (var open = client()) {
            assertThat(roundTrip(open, "a")).isEqualTo("a");
            proxy.blackhole();
            try (var fresh = client()) { // the TCP connect itself succeeds
                fresh.setSoTimeout(300);
                fresh.getOutputStream().write('x');
                assertThatThrownBy(() -> fresh.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            }
            open.setSoTimeout(300);
            open.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> open.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            proxy.pass();
            open.setSoTimeout(5_000);
            var buf = open.getInputStream().readNBytes(4);
            assertThat(new String(buf, StandardCharsets.UTF_8)).isEqualTo("held");
        }
    }

    @Test
    void latencyDelaysEachDirection() throws IOException {
        try (var s = client()) {
            roundTrip(s, "warm-up");
            proxy.latency(Duration.ofMillis(150));
            long start = System.nanoTime();
            roundTrip(s, "slow");
            var took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isBetween(Duration.ofMillis(290), Duration.ofMillis(2_000));
            proxy.pass();
            start = System.nanoTime();
            roundTrip(s, "fast");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(290));
        }
    }

    @Test
    void cutExistingResetsLiveConnectionsAndNewOnesStillPass() throws IOException {
        try (var s = client()) {
            roundTrip(s, "before");
            assertThat(proxy.cutExisting()).isEqualTo(1);
            assertThatThrownBy(() -> {
                int n = s.getInputStream().read();
                if (n < 0) {
                    throw new SocketException("end of stream");
                }
            }).isInstanceOf(SocketException.class);
        }
        try (var s = client()) {
            assertThat(roundTrip(s, "after")).isEqualTo("after");
        }
        Deadline.in(Duration.ofSeconds(5)).await("closed connections forgotten",
                () -> proxy.openConnections() == 0 ? Deadline.Attempt.done() : Deadline.Attempt.notYet(
                        proxy.openConnections() + " open"));
    }

    @Test
    void aTargetThatIsDownClosesTheClientConnection() throws IOException {
        echo.close();
        try (var s = client()) {
            assertThatThrownBy(() -> roundTrip(s, "anyone?")).isInstanceOf(IOException.class);
        }
    }
}
