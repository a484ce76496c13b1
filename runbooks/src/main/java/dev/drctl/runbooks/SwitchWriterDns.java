package dev.drctl.runbooks;

import dev.drctl.compliance.RunStatus;
import dev.drctl.dns.ChangeOrigin;
import dev.drctl.dns.DnsChangeOutcome;
import dev.drctl.dns.DnsProvider;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Points the cluster's writer record at the new primary, once the promotion is verified (safety rule 8): UPSERT,
 * wait until live, read back ({@link DnsProvider#pointWriter}). The confirmed instant is the run's {@code dnsAt} and,
 * as clients reach the new primary through that name, its first possible write.
 *
 * <p>A change that is not confirmed in time fails the step retry-safe; after its retries the run goes on and ends
 * {@link RunStatus#PROMOTED_DNS_PENDING}: the database promotion is never rolled back for DNS, and
 * {@code drctl dns sync CLUSTER} finishes the move. {@code pointWriter} is idempotent, so a run resumed after a crash
 * simply runs this step again. Skipped when the cluster has no {@code dns:} section.
 */
public final class SwitchWriterDns implements Step {
    public static final String NAME = "switch-writer-dns";
    /** Fact: the writer record as confirmed live. */
    public static final String RECORD = NAME + ".record";
    /** Fact: the provider's change id (absent when the record was already in place). */
    public static final String CHANGE_ID = NAME + ".changeId";

    private final Optional<DnsProvider> dns;
    private final Duration timeout;

    /**
     * @param dns     the cluster's provider (owned by the caller), empty when it has no {@code dns:} section
     * @param timeout how long one attempt may take: submission, retries, the wait until live and the read-back
     */
    public SwitchWriterDns(Optional<DnsProvider> dns, Duration timeout) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration timeout() {
        // The provider keeps its own deadline; the engine's guard only catches a provider that does not.
        return timeout.plusSeconds(15);
    }

    @Override
    public RetryPolicy retry() {
        return RetryPolicy.attempts(2, Duration.ofSeconds(1));
    }

    @Override
    public String describe(RunFacts facts) {
        if (dns.isEmpty()) {
            return "no dns: section; the writer name is not moved by drctl";
        }
        var spec = dns.get().spec();
        var node = facts.get(RunFacts.NEW_PRIMARY).orElse("the new primary");
        return (facts.flag(RunFacts.DRY_RUN) ? "would point " : "point ") + spec.record() + " (" + spec.type() + ", "
                + spec.provider().name().toLowerCase(Locale.ROOT) + ") at " + node
                + ", wait until live and read it back (within " + RunbookEngine.human(timeout) + ")";
    }

    @Override
    public StepOutcome run(RunContext context) {
        if (dns.isEmpty()) {
            return new StepOutcome.Skipped("cluster " + context.cluster().name() + " has no dns: section");
        }
        var f = context.facts();
        var target = PromotionSteps.node(context, RunFacts.NEW_PRIMARY);
        long epoch = f.number(RunFacts.EPOCH).orElse(f.number(RunFacts.EPOCH_AT_START).orElse(0L) + 1);
        var outcome = dns.get().pointWriter(target, new ChangeOrigin(context.cluster().name(), epoch, context.runId()),
                timeout);
        return switch (outcome) {
            case DnsChangeOutcome.Applied a -> {
                var facts = new LinkedHashMap<String, String>();
                // A record found already in place (a resumed run) moved no later than now.
                var live = a.liveAt().isAfter(context.now()) ? context.now() : a.liveAt();
                facts.put(RunFacts.DNS_AT, live.toString());
                var writable = f.instant(RunFacts.WRITABLE_AT);
                if (writable.isEmpty() || live.isAfter(writable.get())) {
                    facts.put(RunFacts.FIRST_WRITE_AT, live.toString());
                }
                facts.put(RECORD, a.record().describe());
                a.changeId().ifPresent(id -> facts.put(CHANGE_ID, id));
                yield new StepOutcome.Succeeded(target.name() + ": " + a.summary(), facts);
            }
            case DnsChangeOutcome.Pending p -> new StepOutcome.Failed("writer record " + dns.get().spec().record()
                    + " not confirmed at " + target.name() + ": " + p.summary(), true);
            case DnsChangeOutcome.Failed x -> new StepOutcome.Failed("writer record " + dns.get().spec().record()
                    + " not moved to " + target.name() + ": " + x.summary(), true);
        };
    }

    @Override
    public Optional<Tolerated> toleratedFailure(RunFacts facts) {
        var cluster = facts.get(RunFacts.CLUSTER).orElse("CLUSTER");
        return Optional.of(new Tolerated(RunStatus.PROMOTED_DNS_PENDING, "the promotion stands (it is not rolled "
                + "back for DNS), but the writer record does not point at " + facts.get(RunFacts.NEW_PRIMARY)
                .orElse("the new primary") + " yet: run drctl dns sync " + cluster + " to finish it"));
    }
}
