package dev.drctl.dns.route53;

import dev.drctl.dns.ChangeOrigin;
import dev.drctl.dns.Deadline;
import dev.drctl.dns.DnsChangeOutcome;
import dev.drctl.dns.DnsErrorCode;
import dev.drctl.dns.DnsException;
import dev.drctl.dns.HostResolver;
import dev.drctl.dns.RecordDnsProvider;
import dev.drctl.dns.RecordValues;
import dev.drctl.dns.WriterRecord;
import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.DnsSpec.RecordType;
import dev.drctl.topology.NodeSpec;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeBatch;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.GetChangeRequest;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Moves the record in a Route53 hosted zone: {@code ChangeResourceRecordSets} (UPSERT, with a comment naming the
 * cluster, epoch and run), then {@code GetChange} until {@code INSYNC}, then {@code ListResourceRecordSets} to
 * read it back — all within the change's deadline.
 *
 * <p><b>Retries are drctl's, not the SDK's</b> (the SDK's retry strategy is set to {@code doNotRetry}): the SDK
 * bounds retries by attempt count, per call, while a failover must bound the whole change — submit, wait and
 * read-back — by one deadline, and must be able to say, when it gives up, how many attempts were made and what
 * the last error was. Throttling ({@code Throttling}, {@code PriorRequestNotComplete}), 5xx answers and I/O
 * errors are retried with exponential backoff and full jitter; each attempt is itself cut at the time left.
 * Other errors (access denied, no such zone, an invalid change batch) are not retried: waiting will not fix them.
 * Re-submitting an UPSERT is safe, so a retry after an ambiguous failure (timeout after sending) is too.
 *
 * <p>Credentials come only from the SDK's default provider chain (environment, system properties, profile,
 * container/instance role), never from drctl's config; the SDK signs each request (SigV4). No credential value
 * is ever logged or put in an outcome.
 */
public final class Route53DnsProvider extends RecordDnsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(Route53DnsProvider.class);
    /** Less time than this left is not worth an HTTP call: it could only time out. */
    private static final Duration MIN_ATTEMPT = Duration.ofMillis(20);
    private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException",
            "PriorRequestNotComplete", "RequestLimitExceeded", "TooManyRequestsException");

    private final Route53Client client;
    private final String hostedZoneId;
    private final Pacing pacing;

    /**
     * How fast to retry and poll.
     *
     * @param firstBackoff the first retry's backoff ceiling; doubled per attempt up to {@code maxBackoff}
     * @param pollInterval between {@code GetChange} calls while the change is PENDING
     * @param callTimeout  one HTTP call's ceiling (also bounded by the time left)
     * @param readTimeout  the bound of a plain read ({@code drctl dns show})
     */
    public record Pacing(Duration firstBackoff, Duration maxBackoff, Duration pollInterval, Duration callTimeout,
                         Duration readTimeout) {
        /** Route53's own advice: GetChange about once a second is plenty; backoff up to a few seconds. */
        public static Pacing defaults() {
            return new Pacing(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(1),
                    Duration.ofSeconds(10), Duration.ofSeconds(20));
        }
    }

    /**
     * A provider that signs with {@code credentials}. Production passes the SDK default chain (see
     * {@link #withDefaultCredentials}); nothing else in drctl supplies credentials.
     */
    public Route53DnsProvider(DnsSpec spec, AwsCredentialsProvider credentials, Pacing pacing, HostResolver resolver,
                              Clock clock) {
        super(spec, new RecordValues(resolver, true), clock);
        this.hostedZoneId = spec.hostedZoneId().filter(z -> !z.isBlank()).map(Route53DnsProvider::bareZoneId)
                .orElseThrow(() -> new DnsException(DnsErrorCode.BAD_DNS_CONFIG, "dns provider route53 needs "
                        + "'hosted-zone-id: Z…' for " + spec.record()));
        this.pacing = pacing;
        this.client = client(spec, credentials, pacing);
    }

    /** The production provider: credentials from the SDK's default chain. */
    public static Route53DnsProvider withDefaultCredentials(DnsSpec spec, HostResolver resolver, Clock clock) {
        return new Route53DnsProvider(spec, DefaultCredentialsProvider.builder().build(), Pacing.defaults(), resolver, clock);
    }

    private static Route53Client client(DnsSpec spec, AwsCredentialsProvider credentials, Pacing pacing) {
        var builder = Route53Client.builder()
                .credentialsProvider(credentials)
                .region(spec.region().filter(r -> !r.isBlank()).map(Region::of).orElse(Region.AWS_GLOBAL))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(min(Duration.ofSeconds(3), pacing.callTimeout()))
                        .socketTimeout(pacing.callTimeout()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .build());
        spec.endpoint().filter(e -> !e.isBlank()).ifPresent(e -> {
            try {
                builder.endpointOverride(URI.create(e));
            } catch (IllegalArgumentException bad) {
                throw new DnsException(DnsErrorCode.BAD_DNS_CONFIG, "dns endpoint '" + e + "' is not a URL: "
                        + bad.getMessage() + "; write it like https://route53.amazonaws.com", bad);
            }
        });
        try {
            return builder.build();
        } catch (SdkException e) {
            throw new DnsException(DnsErrorCode.BAD_DNS_CONFIG, "cannot set up the Route53 client for " + spec.record()
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@code /hostedzone/Z123} and {@code Z123} name the same zone. */
    static String bareZoneId(String id) {
        var s = id.trim();
        return s.startsWith("/hostedzone/") ? s.substring("/hostedzone/".length()) : s;
    }

    @Override
    protected Optional<WriterRecord> read(String name, RecordType type) {
        return read(name, type, Deadline.after(pacing.readTimeout(), clock));
    }

    private Optional<WriterRecord> read(String name, RecordType type, Deadline deadline) {
        var attempt = call("ListResourceRecordSets " + name + " " + type, deadline, timeout ->
                client.listResourceRecordSets(ListResourceRecordSetsRequest.builder()
                        .hostedZoneId(hostedZoneId)
                        .startRecordName(name)
                        .startRecordType(RRType.fromValue(type.name()))
                        .maxItems("1")
                        .overrideConfiguration(timeout)
                        .build()));
        return switch (attempt) {
            case Attempt.Done<ListResourceRecordSetsResponse> done ->
                    done.value().resourceRecordSets().stream()
                            .filter(rs -> WriterRecord.normalize(rs.name()).equals(WriterRecord.normalize(name))
                                    && rs.typeAsString().equals(type.name()))
                            .findFirst()
                            .map(rs -> new WriterRecord(rs.name(), type, rs.ttl() == null ? 0 : rs.ttl().intValue(),
                                    rs.resourceRecords().stream().map(ResourceRecord::value).toList()));
            case Attempt.GaveUp<?> gaveUp -> throw new DnsException(DnsErrorCode.READ_FAILED, "cannot read " + name
                    + " " + type + " from Route53 zone " + hostedZoneId + ": " + gaveUp.reason());
        };
    }

    @Override
    protected DnsChangeOutcome write(WriterRecord desired, ChangeOrigin origin, Optional<NodeSpec> primary,
                                     Deadline deadline) {
        var request = ChangeResourceRecordSetsRequest.builder()
                .hostedZoneId(hostedZoneId)
                .changeBatch(ChangeBatch.builder()
                        .comment(origin.comment())
                        .changes(Change.builder()
                                .action(ChangeAction.UPSERT)
                                .resourceRecordSet(ResourceRecordSet.builder()
                                        .name(desired.name())
                                        .type(RRType.fromValue(desired.type().name()))
                                        .ttl((long) desired.ttl())
                                        .resourceRecords(desired.values().stream()
                                                .map(v -> ResourceRecord.builder().value(v).build()).toList())
                                        .build())
                                .build())
                        .build());
        var submitted = call("ChangeResourceRecordSets " + desired.name(), deadline, timeout ->
                client.changeResourceRecordSets(request.overrideConfiguration(timeout).build()).changeInfo());
        ChangeInfo info;
        switch (submitted) {
            case Attempt.Done<ChangeInfo> done -> info = done.value();
            case Attempt.GaveUp<?> gaveUp -> {
                return new DnsChangeOutcome.Failed("Route53 did not accept the change of " + desired.name() + " to "
                        + String.join(",", desired.values()) + " in zone " + hostedZoneId + ": " + gaveUp.reason()
                        + "; the record is unchanged as far as drctl knows; 'drctl dns sync' retries it");
            }
        }
        var changeId = bareChangeId(info.id());
        LOG.info("Route53 accepted change {} for {} ({}); waiting for INSYNC", changeId, desired.name(), origin.comment());
        var status = info.status();
        while (status != ChangeStatus.INSYNC) {
            // A poll with a few milliseconds left can only time out; say what is known instead.
            if (!deadline.pause(pacing.pollInterval()) || deadline.remaining().compareTo(MIN_ATTEMPT) < 0) {
                return new DnsChangeOutcome.Pending(Optional.of(changeId), "Route53 change " + changeId + " was still "
                        + status + " at the deadline; it will finish on its own, and 'drctl dns sync' confirms it");
            }
            var polled = call("GetChange " + changeId, deadline, timeout ->
                    client.getChange(GetChangeRequest.builder().id(changeId).overrideConfiguration(timeout).build())
                            .changeInfo().status());
            switch (polled) {
                case Attempt.Done<ChangeStatus> done -> status = done.value();
                case Attempt.GaveUp<?> gaveUp -> {
                    return new DnsChangeOutcome.Pending(Optional.of(changeId), "Route53 accepted change " + changeId
                            + " but its status could not be read before the deadline: " + gaveUp.reason());
                }
            }
        }
        var liveAt = clock.instant();
        try {
            var back = read(desired.name(), desired.type(), deadline);
            if (back.filter(desired::equals).isPresent()) {
                return new DnsChangeOutcome.Applied(liveAt, Optional.of(changeId), desired);
            }
            return new DnsChangeOutcome.Failed("Route53 change " + changeId + " is INSYNC but reading " + desired.name()
                    + " back found " + back.map(WriterRecord::describe).orElse("no record") + " instead of "
                    + desired.describe() + " (another writer changed it?)");
        } catch (DnsException e) {
            return new DnsChangeOutcome.Pending(Optional.of(changeId), "Route53 change " + changeId + " is INSYNC but "
                    + "the read-back failed: " + e.getMessage());
        }
    }

    static String bareChangeId(String id) {
        return id.startsWith("/change/") ? id.substring("/change/".length()) : id;
    }

    /** One SDK call with drctl's retries; never throws an SDK exception. */
    private <T> Attempt<T> call(String what, Deadline deadline, Function<AwsRequestOverrideConfiguration, T> sdkCall) {
        int attempts = 0;
        String last = "no attempt was made: the deadline had already passed";
        String lastAnswer = "";
        while (deadline.remaining().compareTo(MIN_ATTEMPT) >= 0) {
            attempts++;
            var timeout = AwsRequestOverrideConfiguration.builder()
                    .apiCallTimeout(max(Duration.ofMillis(1), min(pacing.callTimeout(), deadline.remaining())))
                    .build();
            try {
                return new Attempt.Done<>(sdkCall.apply(timeout));
            } catch (AwsServiceException e) {
                var code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
                last = "HTTP " + e.statusCode() + " " + code + " (" + (e.awsErrorDetails() == null ? e.getMessage()
                        : e.awsErrorDetails().errorMessage()) + ")";
                lastAnswer = last;
                if (!THROTTLING.contains(code) && e.statusCode() < 500) {
                    return new Attempt.GaveUp<>(last + ", not retried: waiting will not fix it");
                }
            } catch (SdkClientException e) {
                last = "no answer: " + e.getMessage();
            }
            var ceiling = backoff(attempts);
            var sleep = Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling.toMillis() + 1));
            LOG.warn("Route53 {} attempt {} failed: {}; retrying in {} ms", what, attempts, last, sleep.toMillis());
            if (!deadline.pause(sleep)) {
                break;
            }
        }
        return new Attempt.GaveUp<>(attempts + " attempt(s) before the deadline, the last: " + last
                + (lastAnswer.isEmpty() || lastAnswer.equals(last) ? "" : "; Route53's last answer: " + lastAnswer));
    }

    private Duration backoff(int attempt) {
        var exp = pacing.firstBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return min(exp, pacing.maxBackoff());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public void close() {
        client.close();
    }

    private sealed interface Attempt<T> {
        record Done<T>(T value) implements Attempt<T> {
        }

        record GaveUp<T>(String reason) implements Attempt<T> {
        }
    }
}
