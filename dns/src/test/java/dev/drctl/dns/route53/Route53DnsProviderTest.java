package dev.drctl.dns.route53;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.dns.ChangeOrigin;
import dev.drctl.dns.DnsChangeOutcome;
import dev.drctl.dns.HostResolver;
import dev.drctl.dns.ReaderCandidate;
import dev.drctl.dns.WriterRecord;
import dev.drctl.testenv.route53.Route53Fault;
import dev.drctl.testenv.route53.Route53TestServer;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.DnsSpec.DnsProviderKind;
import dev.drctl.topology.DnsSpec.RecordType;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The real AWS SDK (signing with SigV4) against the local Route53 test server. */
class Route53DnsProviderTest {
    static final String ACCESS_KEY = "AKIADRCTLTESTKEY0001";
    static final String SECRET_KEY = "drctlTestSecret/Never+Printed0123456789";
    static final String CRRS = "ChangeResourceRecordSets";
    static final ChangeOrigin ORIGIN = new ChangeOrigin(new ClusterName("payments"), 7, "run-0042");
    static final NodeSpec PG2 = new NodeSpec(new NodeName("pg-2"), "pg-2.db.internal", 5432, "ap-south-1", 0, false);
    static final Route53DnsProvider.Pacing FAST = new Route53DnsProvider.Pacing(Duration.ofMillis(10),
            Duration.ofMillis(80), Duration.ofMillis(25), Duration.ofSeconds(2), Duration.ofSeconds(3));

    Route53TestServer server;
    String zone;

    @BeforeEach
    void start() {
        server = Route53TestServer.start();
        zone = server.createHostedZone("db.example.com");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    DnsSpec spec(RecordType type, Optional<String> reader) {
        return new DnsSpec(DnsProviderKind.ROUTE53, "payments-rw.db.example.com", type, 30, Optional.of(zone),
                Optional.of(server.endpoint().toString()), Optional.empty(), Optional.empty(), Optional.empty(), reader);
    }

    Route53DnsProvider provider(DnsSpec spec, HostResolver resolver) {
        return new Route53DnsProvider(spec, StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                SECRET_KEY)), FAST, resolver, Clock.systemUTC());
    }

    Route53DnsProvider provider() {
        return provider(spec(RecordType.CNAME, Optional.empty()), HostResolver.system());
    }

    @Test
    void upsertWaitsForInsyncAndReadsBack() {
        server.insyncAfter(Duration.ofMillis(300));
        try (var dns = provider()) {
            var outcome = dns.pointWriter(PG2, ORIGIN, Duration.ofSeconds(10));

            assertThat(outcome).isInstanceOf(DnsChangeOutcome.Applied.class);
            var applied = (DnsChangeOutcome.Applied) outcome;
            assertThat(applied.changeId()).isPresent();
            assertThat(applied.record().values()).containsExactly("pg-2.db.internal");
            assertThat(server.record(zone, "payments-rw.db.example.com", "CNAME")).get()
                    .satisfies(rs -> {
                        assertThat(rs.values()).containsExactly("pg-2.db.internal");
                        assertThat(rs.ttl()).isEqualTo(30);
                    });
            // PENDING at least once before INSYNC, then the read-back after it.
            assertThat(server.callCount("GetChange")).isGreaterThanOrEqualTo(2);
            var actions = server.calls().stream().map(c -> c.action()).toList();
            assertThat(actions.getLast()).isEqualTo("ListResourceRecordSets");
            assertThat(actions.lastIndexOf("GetChange")).isLessThan(actions.size() - 1);
            assertThat(server.changeComments()).containsExactly("drctl: cluster payments epoch 7 run run-0042");
            assertThat(server.calls()).allMatch(c -> c.signed() && c.status() == 200);
            assertThat(dns.readWriter()).contains(new WriterRecord("payments-rw.db.example.com", RecordType.CNAME, 30,
                    List.of("pg-2.db.internal")));
        }
    }

    @Test
    void threeThrottlesThenSuccess() {
        server.failNext(2, Route53Fault.THROTTLING, CRRS);
        server.failNext(1, Route53Fault.PRIOR_REQUEST_NOT_COMPLETE, CRRS);
        try (var dns = provider()) {
            var outcome = dns.pointWriter(PG2, ORIGIN, Duration.ofSeconds(10));

            assertThat(outcome).isInstanceOf(DnsChangeOutcome.Applied.class);
            assertThat(server.callCount(CRRS)).isEqualTo(4);
            assertThat(server.calls().stream().filter(c -> c.action().equals(CRRS)).map(c -> c.status()))
                    .containsExactly(400, 400, 400, 200);
            assertThat(server.record(zone, "payments-rw.db.example.com", "CNAME")).isPresent();
        }
    }

    @Test
    void throttledStatusPollsAndReadsAreRetriedToo() {
        server.insyncAfter(Duration.ofMillis(100));
        server.failNext(3, Route53Fault.THROTTLING, "GetChange");
        server.failNext(2, Route53Fault.SERVICE_UNAVAILABLE, "ListResourceRecordSets");
        try (var dns = provider()) {
            assertThat(dns.pointWriter(PG2, ORIGIN, Duration.ofSeconds(10))).isInstanceOf(DnsChangeOutcome.Applied.class);
            assertThat(server.callCount(CRRS)).isEqualTo(1);
        }
    }

    @Test
    void fiveHundredsUntilTheDeadlineFailClearly() {
        server.failUntilCleared(Route53Fault.INTERNAL_FAILURE, CRRS);
        try (var dns = provider()) {
            long t0 = System.nanoTime();
            var outcome = dns.pointWriter(PG2, ORIGIN, Duration.ofSeconds(1));
            var took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(outcome).isInstanceOf(DnsChangeOutcome.Failed.class);
            assertThat(((DnsChangeOutcome.Failed) outcome).reason())
                    .contains("Route53 did not accept the change of payments-rw.db.example.com")
                    .contains("HTTP 500 InternalFailure")
                    .contains("attempt(s) before the deadline")
                    .contains("drctl dns sync");
            assertThat(took).isLessThan(Duration.ofSeconds(4));
            assertThat(server.callCount(CRRS)).isGreaterThan(2);
            assertThat(server.record(zone, "payments-rw.db.example.com", "CNAME")).isEmpty();
        }
    }

    @Test
    void aChangeNotInsyncByTheDeadlineIsPendingAndASecondRunConfirmsIt() {
        server.insyncAfter(Duration.ofSeconds(2));
        try (var dns = provider()) {
            var first = dns.pointWriter(PG2, ORIGIN, Duration.ofMillis(500));
            assertThat(first).isInstanceOf(DnsChangeOutcome.Pending.class);
            assertThat(first.summary()).contains("PENDING at the deadline");

            var second = dns.pointWriter(PG2, ORIGIN, Duration.ofSeconds(5));
            assertThat(second).isInstanceOf(DnsChangeOutcome.Applied.class);
        }
    }

    @Test
    void slowAnswersAreCutAtTheDeadline() {
        server.slowResponses(Duration.ofSeconds(5), "GetChange");
        server.insyncAfter(Duration.ofSeconds(1));
        try (var dns = provider()) {
            long t0 = System.nanoTime();
            var outcome = dns.pointWriter(PG2, ORIGIN, Duration.ofMillis(800));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            assertThat(outcome).isInstanceOf(DnsChangeOutcome.Pending.class);
        }
    }

    @Test
    void reRunningIsIdempotentAndRepairsDrift() {
        try (var dns = provider()) {
            assertThat(dns.pointWriter(PG2, ORIGIN, Duration.ofSeconds(5))).isInstanceOf(DnsChangeOutcome.Applied.class);
            var again = dns.pointWriter(PG2, ORIGIN, Duration.ofSeconds(5));

            assertThat(again).isInstanceOfSatisfying(DnsChangeOutcome.Applied.class,
                    a -> assertThat(a.changeId()).isEmpty());
            assertThat(server.callCount(CRRS)).isEqualTo(1);

            server.putRecord(zone, "payments-rw.db.example.com", "CNAME", 30, List.of("pg-1.db.internal"));
            assertThat(dns.pointWriter(PG2, ORIGIN, Duration.ofSeconds(5))).isInstanceOfSatisfying(
                    DnsChangeOutcome.Applied.class, a -> assertThat(a.changeId()).isPresent());
            assertThat(server.callCount(CRRS)).isEqualTo(2);
            assertThat(server.record(zone, "payments-rw.db.example.com", "CNAME").get().values())
                    .containsExactly("pg-2.db.internal");
        }
    }

    @Test
    void anARecordGetsAddressesNeverAHostName() {
        HostResolver resolver = host -> {
            if (host.equals("pg-2.db.internal")) {
                return List.of(InetAddress.getByAddress(host, new byte[]{(byte) 192, 0, 2, 12}));
            }
            throw new UnknownHostException(host);
        };
        try (var dns = provider(spec(RecordType.A, Optional.empty()), resolver)) {
            assertThat(dns.pointWriter(PG2, ORIGIN, Duration.ofSeconds(5))).isInstanceOf(DnsChangeOutcome.Applied.class);
            assertThat(server.record(zone, "payments-rw.db.example.com", "A").get().values()).containsExactly("192.0.2.12");

            var unknown = new NodeSpec(new NodeName("pg-3"), "pg-3.db.internal", 5432, "ap-south-1", 0, false);
            var refused = dns.pointWriter(unknown, ORIGIN, Duration.ofSeconds(5));
            assertThat(refused).isInstanceOfSatisfying(DnsChangeOutcome.Failed.class, f -> assertThat(f.reason())
                    .contains("pg-3.db.internal does not resolve").contains("never a host name"));
            assertThat(server.callCount(CRRS)).isEqualTo(1);
        }
    }

    @Test
    void aCnameNeverHoldsAnAddressInRealDns() {
        var byAddress = new NodeSpec(new NodeName("pg-4"), "192.0.2.14", 5432, "ap-south-1", 0, false);
        try (var dns = provider()) {
            assertThat(dns.pointWriter(byAddress, ORIGIN, Duration.ofSeconds(5))).isInstanceOfSatisfying(
                    DnsChangeOutcome.Failed.class, f -> assertThat(f.reason()).contains("a CNAME must name a host"));
            assertThat(server.callCount(CRRS)).isZero();
        }
    }

    @Test
    void theReaderRecordDropsBadReplicasButIsNeverEmptied() {
        var spec = spec(RecordType.A, Optional.of("payments-ro.db.example.com"));
        var r1 = new NodeSpec(new NodeName("pg-1"), "192.0.2.11", 5432, "a", 0, false);
        var r3 = new NodeSpec(new NodeName("pg-3"), "192.0.2.13", 5432, "a", 0, false);
        try (var dns = provider(spec, HostResolver.system())) {
            var first = dns.updateReader(List.of(new ReaderCandidate(r1, true, "ok"), new ReaderCandidate(r3, true, "ok")),
                    ORIGIN, Duration.ofSeconds(5));
            assertThat(first).isInstanceOf(DnsChangeOutcome.Applied.class);
            assertThat(server.record(zone, "payments-ro.db.example.com", "A").get().values())
                    .containsExactlyInAnyOrder("192.0.2.11", "192.0.2.13");

            dns.updateReader(List.of(new ReaderCandidate(r1, true, "ok"), new ReaderCandidate(r3, false, "lag unknown")),
                    ORIGIN, Duration.ofSeconds(5));
            assertThat(server.record(zone, "payments-ro.db.example.com", "A").get().values()).containsExactly("192.0.2.11");

            var none = dns.updateReader(List.of(new ReaderCandidate(r1, false, "unreachable"),
                    new ReaderCandidate(r3, false, "unreachable")), ORIGIN, Duration.ofSeconds(5));
            assertThat(server.record(zone, "payments-ro.db.example.com", "A").get().values()).containsExactly("192.0.2.11");
            assertThat(none).isInstanceOf(DnsChangeOutcome.Applied.class);
            assertThat(server.callCount(CRRS)).isEqualTo(2);
            assertThat(dns.readReader()).map(WriterRecord::values).contains(List.of("192.0.2.11"));
        }
    }

    @Test
    void unsignedRequestsAreRefusedByTheServer() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(
                        server.endpoint().resolve("/2013-04-01/hostedzone/" + zone + "/rrset")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>MissingAuthenticationToken</Code>");
        assertThat(server.calls()).singleElement().satisfies(c -> assertThat(c.signed()).isFalse());
    }

    @Test
    void aMissingHostedZoneIdIsABadConfig() {
        var noZone = new DnsSpec(DnsProviderKind.ROUTE53, "x.db.example.com", RecordType.CNAME, 30, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> provider(noZone, HostResolver.system()))
                .isInstanceOf(dev.drctl.dns.DnsException.class).hasMessageContaining("hosted-zone-id");
    }
}
