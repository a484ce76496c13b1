package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.cli.daemon.DaemonId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon id (issue 13): stable across restarts by default (host name and a hash of the store), a valid id
 * whatever the host is called, and {@code --daemon-id} checked before anything starts.
 */
class DaemonIdTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultIdIsTheHostAndAHashOfTheStoreTheSameOnEveryStart() {
        var host = "db-mum-3.bank.internal";
        var id = DaemonId.byDefault(host, "jdbc:postgresql://store/drctl").value();
        assertThat(id).matches("db-mum-3\\.bank\\.internal-[0-9a-f]{6}")
                .isEqualTo(DaemonId.byDefault(host, "jdbc:postgresql://store/drctl").value())
                .isNotEqualTo(DaemonId.byDefault(host, "jdbc:sqlite:/var/lib/drctl/drctl.db").value());
        assertThat(DaemonId.byDefault("_odd host/name", "jdbc:sqlite:x").value()).matches("odd-host-name-[0-9a-f]{6}");
        assertThat(DaemonId.byDefault("", "jdbc:sqlite:x").value()).matches("drctl-[0-9a-f]{6}");
        assertThat(DaemonId.byDefault("h".repeat(300), "jdbc:sqlite:x").value()).hasSize(97);
    }

    @Test
    void daemonIdWithoutCoordinationOrMalformedIsBadUsage() throws Exception {
        var plain = dir.resolve("plain.yaml");
        Files.writeString(plain, config(""));
        var alone = CliRun.of("run", "-c", plain.toString(), "--daemon-id", "mum-1");
        assertThat(alone.exit()).as(alone.all()).isEqualTo(2);
        assertThat(alone.err()).contains("--daemon-id mum-1: the config " + plain + " has no coordination: section");

        var coordinated = dir.resolve("coordinated.yaml");
        Files.writeString(coordinated, config("coordination: { zookeeper: \"127.0.0.1:1\" }\n"));
        var bad = CliRun.of("run", "-c", coordinated.toString(), "--daemon-id", "mum 1");
        assertThat(bad.exit()).as(bad.all()).isEqualTo(2);
        assertThat(bad.err()).contains("--daemon-id \"mum 1\": expected a letter or digit");
    }

    private String config(String extra) {
        return """
                clusters:
                  - name: pay
                    engine: postgresql
                    credentials: { user: drctl }
                    nodes:
                      - { name: a, host: 127.0.0.1, port: 1, region: r1 }
                      - { name: b, host: 127.0.0.1, port: 2, region: r1 }
                    failover: { mode: manual }
                compliance: { store: "jdbc:sqlite:%s" }
                """.formatted(dir.resolve("drctl.db")) + extra;
    }
}
