package dev.drctl.runbooks;

import dev.drctl.dns.DnsProvider;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.topology.DrctlException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where the DNS steps go in the built-in runbooks: {@link SwitchWriterDns} once the promotion is verified and the
 * epoch advanced (so the change comment names the new epoch), {@link UpdateReaderDns} once the replicas follow the new
 * primary, only when a {@code reader-record} is configured.
 */
public final class DnsSteps {
    /** How long a DNS change may take when the environment does not say ({@value #TIMEOUT_VARIABLE}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** Environment variable: an ISO-8601 duration ({@code PT20S}) bounding each DNS change of a run. */
    public static final String TIMEOUT_VARIABLE = "DRCTL_DNS_TIMEOUT";

    private DnsSteps() {
    }

    /** The failover with its DNS steps: after {@code advance-epoch} and after {@code repoint-replicas}. */
    public static Runbook failover(Runbook runbook, Optional<DnsProvider> dns, ProbeScheduler probes, Duration timeout) {
        var out = runbook.withStepAfter(FailoverRunbook.ADVANCE_EPOCH, new SwitchWriterDns(dns, timeout));
        return withReader(out, FailoverRunbook.REPOINT_REPLICAS, dns, probes, timeout);
    }

    /**
     * The switchover with its DNS steps: the writer after the new primary's {@code advance-epoch}, the reader at the
     * end (the old primary is a replica again only after the rejoin).
     */
    public static Runbook switchover(Runbook runbook, Optional<DnsProvider> dns, ProbeScheduler probes,
                                     Duration timeout) {
        var out = runbook.withStepAfter(FailoverRunbook.ADVANCE_EPOCH, new SwitchWriterDns(dns, timeout));
        var last = out.steps().getLast().name();
        return withReader(out, last, dns, probes, timeout);
    }

    private static Runbook withReader(Runbook runbook, String after, Optional<DnsProvider> dns, ProbeScheduler probes,
                                      Duration timeout) {
        if (dns.isEmpty() || dns.get().spec().readerRecord().isEmpty()) {
            return runbook;
        }
        return runbook.withStepAfter(after, new UpdateReaderDns(dns.get(), probes, timeout));
    }

    /** {@value #TIMEOUT_VARIABLE} from {@code environment}, else {@link #DEFAULT_TIMEOUT}. */
    public static Duration timeout(Map<String, String> environment) {
        var text = environment.get(TIMEOUT_VARIABLE);
        if (text == null || text.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            var d = Duration.parse(text.trim());
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("not positive");
            }
            return d;
        } catch (RuntimeException e) {
            throw new DrctlException(RunbookErrorCode.BAD_SETTING, TIMEOUT_VARIABLE + "=" + text
                    + " is not a positive ISO-8601 duration (e.g. PT30S); unset it for the default of "
                    + RunbookEngine.human(DEFAULT_TIMEOUT));
        }
    }
}
