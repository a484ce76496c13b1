package dev.drctl.runbooks;

import dev.drctl.compliance.RunStatus;
import dev.drctl.dns.ChangeOrigin;
import dev.drctl.dns.DnsChangeOutcome;
import dev.drctl.dns.DnsProvider;
import dev.drctl.dns.ReaderCandidate;
import dev.drctl.probes.ProbeScheduler;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sets the reader record to the replicas that are healthy after the failover: a fresh probe round, each node but the
 * new primary judged by {@link ReaderCandidate#judge} against max-lag, then {@link DnsProvider#updateReader}, which
 * never empties the record. Only in runbooks of clusters with a {@code reader-record}. A failure leaves the run
 * {@link RunStatus#PROMOTED_DNS_PENDING}; the promotion stands.
 */
public final class UpdateReaderDns implements Step {
    public static final String NAME = "update-reader-dns";

    private final DnsProvider dns;
    private final ProbeScheduler probes;
    private final Duration timeout;

    /** @param probes the scheduler the fresh round is taken with (owned by the caller) */
    public UpdateReaderDns(DnsProvider dns, ProbeScheduler probes, Duration timeout) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.probes = Objects.requireNonNull(probes, "probes");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration timeout() {
        return timeout.plusSeconds(30);
    }

    @Override
    public RetryPolicy retry() {
        return RetryPolicy.attempts(2, Duration.ofSeconds(1));
    }

    @Override
    public String describe(RunFacts facts) {
        return (facts.flag(RunFacts.DRY_RUN) ? "would set " : "set ") + dns.spec().readerRecord().orElse("the reader record")
                + " to the replicas of " + facts.get(RunFacts.NEW_PRIMARY).orElse("the new primary")
                + " that answer within max-lag (probed again; never emptied)";
    }

    @Override
    public StepOutcome run(RunContext context) {
        var cluster = context.cluster();
        var primary = context.facts().node(RunFacts.NEW_PRIMARY);
        var round = probes.probeOnce(cluster);
        var candidates = cluster.nodes().stream().filter(n -> primary.map(p -> !p.equals(n.name())).orElse(true))
                .map(n -> ReaderCandidate.judge(n, round.latest(n.name()), cluster.failover())).toList();
        var f = context.facts();
        long epoch = f.number(RunFacts.EPOCH).orElse(f.number(RunFacts.EPOCH_AT_START).orElse(0L));
        var outcome = dns.updateReader(candidates, new ChangeOrigin(cluster.name(), epoch, context.runId()), timeout);
        var judged = String.join("; ", candidates.stream().map(c -> c.node().name() + (c.publishable() ? " published"
                : " left out (" + c.reason() + ")")).toList());
        return switch (outcome) {
            case DnsChangeOutcome.Applied a -> new StepOutcome.Succeeded(a.summary() + " [" + judged + "]",
                    Map.of(NAME + ".record", a.record().describe()));
            case DnsChangeOutcome.Pending p -> new StepOutcome.Failed("reader record " + p.summary() + " [" + judged
                    + "]", true);
            case DnsChangeOutcome.Failed x -> new StepOutcome.Failed("reader record " + x.summary() + " [" + judged
                    + "]", true);
        };
    }

    @Override
    public Optional<Tolerated> toleratedFailure(RunFacts facts) {
        return Optional.of(new Tolerated(RunStatus.PROMOTED_DNS_PENDING, "the promotion stands; the reader record "
                + dns.spec().readerRecord().orElse("") + " keeps its previous answers until it is updated"));
    }
}
