package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drctl reload} when no daemon can be asked: a clear sentence and exit 1, never a stack trace. */
class ReloadCommandTest {
    static final String BASE = """
            clusters:
              - name: pay
                engine: postgresql
                credentials: { user: drctl }
                nodes:
                  - { name: a, host: 127.0.0.1, port: 5432, region: r1 }
                  - { name: b, host: 127.0.0.1, port: 5433, region: r1 }
            """;

    @TempDir
    Path dir;

    @Test
    void noDaemonAtTheConfiguredAddressIsExitOne() throws Exception {
        int port;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        var config = dir.resolve("drctl.yaml");
        Files.writeString(config, BASE + "daemon: { listen: \"127.0.0.1:" + port + "\" }\n");
        var r = CliRun.of("reload", "-c", config.toString());
        assertThat(r.exit()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("no drctl run answers at http://127.0.0.1:" + port + " (connection refused)")
                .doesNotContain("Exception");
    }

    @Test
    void aDaemonOnAFreePortIsToldToUseSighup() throws Exception {
        var config = dir.resolve("drctl.yaml");
        Files.writeString(config, BASE + "daemon: { listen: \"127.0.0.1:0\" }\n");
        var r = CliRun.of("reload", "-c", config.toString());
        assertThat(r.exit()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("daemon.listen has port 0").contains("SIGHUP");
    }
}
