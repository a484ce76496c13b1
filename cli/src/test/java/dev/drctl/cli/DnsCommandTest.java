package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.testenv.route53.Route53TestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drctl dns} through the production Route53 path (SDK default credential chain, endpoint from the config)
 * against the Route53 test server, with nodes nobody listens on: no writable primary, so show exits 1 and sync
 * refuses with 3, touching nothing.
 */
class DnsCommandTest {
    // Test-only: the SDK's default chain reads these system properties; drctl's config never holds credentials.
    private static final String KEY_ID = "AKIADRCTLCLITEST0001";
    private static final String SECRET = "cliTestSecretValue/0123456789abcdefghij";

    @TempDir
    Path dir;
    Route53TestServer server;
    String zone;

    @BeforeEach
    void start() {
        server = Route53TestServer.start();
        zone = server.createHostedZone("db.example.com");
        System.setProperty("aws.accessKeyId", KEY_ID);
        System.setProperty("aws.secretAccessKey", SECRET);
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        server.close();
    }

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), Map.of()));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path config(boolean withDns) throws IOException {
        var yaml = """
                clusters:
                  - name: ghosts
                    engine: postgresql
                    credentials: { user: drctl }
                    nodes:
                      - { name: g1, host: g1.db.example.com, port: %d, region: r1 }
                      - { name: g2, host: g2.db.example.com, port: %d, region: r2 }
                %s
                compliance:
                  store: "jdbc:sqlite:%s"
                """.formatted(freePort(), freePort(), withDns ? "    dns: { provider: route53, hosted-zone-id: " + zone
                + ", endpoint: \"" + server.endpoint() + "\", record: ghosts-rw.db.example.com, type: CNAME, ttl: 30 }"
                : "", dir.resolve("drctl.db"));
        var file = dir.resolve("drctl.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void showSaysNoPrimaryAndExitsOne() throws IOException {
        server.putRecord(zone, "ghosts-rw.db.example.com", "CNAME", 30, List.of("g1.db.example.com"));
        var r = run("dns", "show", "ghosts", "-c", config(true).toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("writer    ghosts-rw.db.example.com CNAME 30 g1.db.example.com")
                .contains("primary   (none writable)")
                .contains("DRIFTED: no node answered as a writable primary");
        assertThat(server.calls()).allMatch(c -> c.signed());
        assertThat(r.out() + r.err()).doesNotContain(KEY_ID).doesNotContain(SECRET);
    }

    @Test
    void showJsonHasStableFields() throws Exception {
        var r = run("dns", "show", "ghosts", "-c", config(true).toString(), "-o", "json");
        assertThat(r.exit()).isEqualTo(1);
        var json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("cluster").asText()).isEqualTo("ghosts");
        assertThat(json.get("provider").asText()).isEqualTo("route53");
        assertThat(json.get("record").isNull()).isTrue();
        assertThat(json.get("inSync").asBoolean()).isFalse();
        assertThat(json.get("writableNodes")).isEmpty();
    }

    @Test
    void syncRefusesWithoutASingleWritablePrimaryAndChangesNothing() throws IOException {
        var r = run("dns", "sync", "ghosts", "-c", config(true).toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.err()).contains("drctl: dns sync refused for ghosts: no node answered as a writable primary");
        assertThat(server.callCount("ChangeResourceRecordSets")).isZero();
        assertThat(Files.exists(dir.resolve("drctl.db"))).isFalse();
    }

    @Test
    void aClusterWithoutDnsIsABadConfig() throws IOException {
        var r = run("dns", "show", "ghosts", "-c", config(false).toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("cluster ghosts has no 'dns:' section");

        var unknown = run("dns", "sync", "nope", "-c", config(true).toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no cluster named 'nope' in ");
    }
}
