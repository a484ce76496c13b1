package dev.drctl.dns;

import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The port that moves a cluster's writer name (and keeps its optional reader name) — Route53, a file, or the
 * operator's command. One instance serves one cluster's {@link DnsSpec}; obtain it from
 * {@link DnsProviders#forSpec}. Safe for use by one thread at a time.
 *
 * <p>Contract, for every implementation:
 * <ul>
 *   <li><b>Idempotent.</b> {@link #pointWriter} and {@link #updateReader} UPSERT: re-running one (after a crash,
 *       a timeout, or from {@code drctl dns sync}) leaves the same record and reports no error. When the record
 *       already holds the wanted values nothing is sent and the outcome is {@link DnsChangeOutcome.Applied}
 *       with an empty change id. A retry is always safe.</li>
 *   <li><b>Bounded.</b> Each change finishes within its {@code timeout}: submission, retries (throttling and
 *       server errors, with exponential backoff and jitter), waiting until the change is live (Route53:
 *       {@code INSYNC}) and the read-back that verifies it all come out of it.</li>
 *   <li><b>Verified.</b> {@link DnsChangeOutcome.Applied} is only returned after the record was read back
 *       holding the wanted values (safety rule 8). A change accepted but not confirmed in time is
 *       {@link DnsChangeOutcome.Pending}; anything else is {@link DnsChangeOutcome.Failed} with the reason —
 *       never a silent success (DESIGN.md, mistake 7).</li>
 *   <li><b>Outcomes are values.</b> A change never throws for an expected failure (throttling past the
 *       deadline, an unresolvable host, a failing command). The read methods throw {@link DnsException}
 *       ({@link DnsErrorCode#READ_FAILED}) when the record cannot be read; construction throws
 *       {@link DnsException} ({@link DnsErrorCode#BAD_DNS_CONFIG}) for an unusable spec.</li>
 *   <li><b>No secrets.</b> Credentials come from the provider's own chain (AWS: the SDK default chain), never
 *       from drctl's config, and never appear in an outcome, an exception message or a log line.</li>
 * </ul>
 */
public interface DnsProvider extends AutoCloseable {

    /** The spec this provider serves. */
    DnsSpec spec();

    /** The writer record as the provider holds it now; empty when it does not exist. */
    Optional<WriterRecord> readWriter();

    /** The reader record as the provider holds it now; empty when none is configured or it does not exist. */
    Optional<WriterRecord> readReader();

    /**
     * The node the writer record was last pointed at, for providers that keep it beside the record (the file
     * provider does); empty for DNS itself. Several nodes may share one host (testenv runs every node on
     * 127.0.0.1), and then the record's values alone cannot tell them apart.
     *
     * @throws DnsException {@link DnsErrorCode#READ_FAILED}
     */
    default Optional<NodeName> writerNode() {
        return Optional.empty();
    }

    /**
     * The writer record that would point at {@code target}: its host for a CNAME, its resolved addresses for
     * A/AAAA. Used for drift checks and dry runs.
     *
     * @throws DnsException {@link DnsErrorCode#TARGET_UNUSABLE} when the node cannot be put in the record
     */
    WriterRecord writerFor(NodeSpec target);

    /**
     * Points the writer record at {@code target} (UPSERT, TTL from the spec), waits until the change is live and
     * reads it back. Call it only after the new primary is verified to accept writes (safety rule 8).
     */
    DnsChangeOutcome pointWriter(NodeSpec target, ChangeOrigin origin, Duration timeout);

    /**
     * Sets the reader record to the publishable replicas' values. Replicas that are not publishable are removed,
     * but never all at once: with none publishable the record is left as it is (see {@link ReaderSelection}).
     * Without a configured reader record it returns {@link DnsChangeOutcome.Failed} saying so; callers check
     * {@code spec().readerRecord()} first.
     */
    DnsChangeOutcome updateReader(List<ReaderCandidate> replicas, ChangeOrigin origin, Duration timeout);

    /** Releases the provider's resources (HTTP client). Idempotent. */
    @Override
    void close();
}
