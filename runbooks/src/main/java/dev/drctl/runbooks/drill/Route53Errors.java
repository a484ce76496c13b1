package dev.drctl.runbooks.drill;

import dev.drctl.testenv.route53.Route53Fault;
import dev.drctl.testenv.route53.Route53TestServer;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The {@code route53-errors} drill's DNS: testenv's Route53-protocol server on 127.0.0.1 holding the environment's
 * writer record (never the production zone), made to answer the failover's first {@link #ERRORS} record changes with
 * 503 ServiceUnavailable.
 *
 * <p>The AWS SDK signs every request with the credentials its default chain finds. Where it finds none (a machine
 * with no AWS account), placeholder credentials are set as the {@code aws.*} system properties for the drill's
 * duration and removed afterwards; the test server checks the signature's form only. Credentials that exist are
 * never replaced (the process may act on a production zone meanwhile).
 */
final class Route53Errors implements AutoCloseable {
    /** The record changes answered with an error. */
    static final int ERRORS = 3;
    static final String DOMAIN = "drill.test";
    private static final String KEY_PROPERTY = "aws.accessKeyId";
    private static final String SECRET_PROPERTY = "aws.secretAccessKey";

    private final Route53TestServer server;
    private final String zone;
    private final String record;
    private final ClusterSpec cluster;
    private final boolean placeholders;
    private volatile int changesBefore = Integer.MAX_VALUE;

    private Route53Errors(Route53TestServer server, String zone, ClusterSpec cluster, boolean placeholders) {
        this.server = server;
        this.zone = zone;
        this.cluster = cluster;
        this.record = cluster.name().value() + "-rw." + DOMAIN;
        this.placeholders = placeholders;
    }

    static Route53Errors start(ClusterSpec cluster) {
        boolean placeholders = false;
        if (!credentialsFound()) {
            System.setProperty(KEY_PROPERTY, "AKIADRILLPLACEHOLDER");
            System.setProperty(SECRET_PROPERTY, "drill-placeholder-not-a-secret");
            placeholders = true;
        }
        var server = Route53TestServer.start();
        return new Route53Errors(server, server.createHostedZone(DOMAIN), cluster, placeholders);
    }

    private static boolean credentialsFound() {
        if (System.getProperty(KEY_PROPERTY) != null) {
            return true;
        }
        try (var chain = DefaultCredentialsProvider.builder().build()) {
            chain.resolveCredentials();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The actor's config: the cluster's writer record in this server's zone, an A record. */
    DrctlConfig config(DrctlConfig config) {
        return SideChannels.withDns(config, new DnsSpec(DnsSpec.DnsProviderKind.ROUTE53, record, DnsSpec.RecordType.A,
                30, Optional.of(zone), Optional.of(server.endpoint().toString()), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty()));
    }

    /** From now on, the next {@link #ERRORS} record changes are answered with an error. */
    void failNext() {
        changesBefore = server.changeComments().size();
        server.failNext(ERRORS, Route53Fault.SERVICE_UNAVAILABLE, "ChangeResourceRecordSets");
    }

    /** Whether a record change went through since {@link #failNext} (past the errors). */
    boolean changedSinceErrors() {
        return server.changeComments().size() > changesBefore;
    }

    /** What the record says at the end, against what it should say: the new primary's address. */
    DrillObservation.DnsAfterErrors outcome(NodeName primary) {
        var values = server.record(zone, record, "A").map(Route53TestServer.RecordSet::values).orElse(List.of());
        var expected = cluster.nodes().stream().filter(n -> n.name().equals(primary)).findFirst().map(Route53Errors::ip)
                .map(List::of).orElse(List.of());
        return new DrillObservation.DnsAfterErrors(ERRORS, server.callCount("ChangeResourceRecordSets"), values,
                expected);
    }

    private static String ip(NodeSpec node) {
        try {
            return InetAddress.getByName(node.host()).getHostAddress();
        } catch (UnknownHostException e) {
            return node.host();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            if (placeholders) {
                System.clearProperty(KEY_PROPERTY);
                System.clearProperty(SECRET_PROPERTY);
            }
        }
    }
}
