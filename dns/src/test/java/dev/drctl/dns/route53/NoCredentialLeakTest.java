package dev.drctl.dns.route53;

import static dev.drctl.dns.route53.Route53DnsProviderTest.ACCESS_KEY;
import static dev.drctl.dns.route53.Route53DnsProviderTest.FAST;
import static dev.drctl.dns.route53.Route53DnsProviderTest.ORIGIN;
import static dev.drctl.dns.route53.Route53DnsProviderTest.PG2;
import static dev.drctl.dns.route53.Route53DnsProviderTest.SECRET_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.dns.DnsException;
import dev.drctl.dns.HostResolver;
import dev.drctl.testenv.route53.Route53Fault;
import dev.drctl.testenv.route53.Route53TestServer;
import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.DnsSpec.DnsProviderKind;
import dev.drctl.topology.DnsSpec.RecordType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * No AWS credential value (access key id or secret) appears in anything drctl prints, logs or returns, with every
 * logger at DEBUG (see simplelogger.properties) and through successes, throttling, 5xx, timeouts and refusals.
 */
class NoCredentialLeakTest {

    private static NodeSpec host(String host) {
        return new NodeSpec(new NodeName("pg-x"), host, 5432, "a", 0, false);
    }

    @Test
    void credentialsNeverAppearInLogsOutcomesOrErrors() {
        var captured = new ByteArrayOutputStream();
        var texts = new ArrayList<String>();
        var err = System.err;
        var out = System.out;
        var tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        System.setOut(tee);
        try (var server = Route53TestServer.start()) {
            var zone = server.createHostedZone("db.example.com");
            var spec = new DnsSpec(DnsProviderKind.ROUTE53, "payments-rw.db.example.com", RecordType.CNAME, 30,
                    Optional.of(zone), Optional.of(server.endpoint().toString()), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
            try (var dns = new Route53DnsProvider(spec, StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)), FAST, HostResolver.system(), Clock.systemUTC())) {
                server.failNext(2, Route53Fault.THROTTLING);
                texts.add(dns.pointWriter(PG2, ORIGIN, Duration.ofSeconds(5)).summary());
                server.failUntilCleared(Route53Fault.INTERNAL_FAILURE, null);
                texts.add(dns.pointWriter(host("pg-9.db.internal"), ORIGIN, Duration.ofMillis(400)).summary());
                try {
                    dns.readWriter();
                } catch (DnsException e) {
                    texts.add(e.getMessage());
                }
                server.clearFaults();
                server.slowResponses(Duration.ofSeconds(3), null);
                texts.add(dns.pointWriter(host("pg-8.db.internal"), ORIGIN, Duration.ofMillis(300)).summary());
                server.clearFaults();
            }
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        var everything = captured.toString(StandardCharsets.UTF_8) + String.join("\n", texts);
        // The capture really holds drctl's and the SDK's debug output (else this test would prove nothing).
        assertThat(everything).contains("Route53DnsProvider").contains("software.amazon.awssdk").contains("Throttling");
        assertThat(everything).doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY)
                .doesNotContain(SECRET_KEY.substring(0, 16));
    }
}
