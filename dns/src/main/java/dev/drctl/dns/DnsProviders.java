package dev.drctl.dns;

import dev.drctl.dns.route53.Route53DnsProvider;
import dev.drctl.topology.DnsSpec;
import java.time.Clock;
import java.util.Map;

/** The providers drctl has, and which one serves a {@link DnsSpec}. */
public final class DnsProviders {
    private DnsProviders() {
    }

    /**
     * The provider named by {@code spec.provider()}: Route53 (credentials from the AWS SDK's default chain),
     * a file, or the operator's command.
     *
     * @param environment the environment an exec command inherits
     * @throws DnsException {@link DnsErrorCode#BAD_DNS_CONFIG} when the spec lacks what its provider needs
     */
    public static DnsProvider forSpec(DnsSpec spec, Map<String, String> environment) {
        return forSpec(spec, environment, HostResolver.system(), Clock.systemUTC());
    }

    public static DnsProvider forSpec(DnsSpec spec, Map<String, String> environment, HostResolver resolver, Clock clock) {
        return switch (spec.provider()) {
            case ROUTE53 -> Route53DnsProvider.withDefaultCredentials(spec, resolver, clock);
            case FILE -> new FileDnsProvider(spec, resolver, clock);
            case EXEC -> new ExecDnsProvider(spec, environment, resolver, clock);
        };
    }
}
