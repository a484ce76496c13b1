package dev.drctl.topology;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the cluster's writer name lives and how to move it.
 *
 * @param hostedZoneId route53 only
 * @param endpoint     route53 only: an endpoint override (a local Route53-protocol server in tests)
 * @param region       route53 only: the SDK region (Route53 is global; defaults to aws-global)
 * @param file         file provider only: the file the record is written to
 * @param command      exec provider only: the operator's command
 * @param readerRecord optional multi-value record of the healthy replicas
 */
public record DnsSpec(
        DnsProviderKind provider,
        String record,
        RecordType type,
        int ttl,
        Optional<String> hostedZoneId,
        Optional<String> endpoint,
        Optional<String> region,
        Optional<Path> file,
        Optional<String> command,
        Optional<String> readerRecord) {

    public DnsSpec {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(type, "type");
    }

    public enum DnsProviderKind { ROUTE53, FILE, EXEC }

    public enum RecordType { CNAME, A, AAAA }
}
