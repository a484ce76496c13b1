package dev.drctl.runbooks.drill;

import dev.drctl.compliance.RunRecord;
import dev.drctl.topology.NodeName;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened in the environment after the injection, as measured: the failover runs the actor journaled in the
 * environment's store, who was paged, and what the writer workload saw.
 *
 * @param failovers      the failover runs started at or after the injection, in their latest recorded state
 * @param pages          notifications of a blocked failover (humans paged) the environment sent
 * @param firstWrite     the first write acknowledged by the new primary after the injection
 * @param acknowledged   acknowledged writes in all
 * @param lost           acknowledged writes the surviving primary does not hold, by id
 * @param earliestLostAt when the earliest lost write was acknowledged
 * @param oldPrimaryWritableAtEnd for a returning old primary: whether it still accepted a write at the end
 * @param mail           {@code smtp-down}: the mail server's outage and what it received once back
 * @param dns            {@code route53-errors}: the errors Route53 answered and the record at the end
 * @param writeUnavailability the game day: the longest time no write was acknowledged across a switchover
 */
public record DrillObservation(NodeName oldPrimary, Instant injectedAt, List<RunRecord> failovers, int pages,
                               Optional<WriterWorkload.Ack> firstWrite, long acknowledged, List<Long> lost,
                               Optional<Instant> earliestLostAt, Optional<Boolean> oldPrimaryWritableAtEnd,
                               Optional<MailAfterOutage> mail, Optional<DnsAfterErrors> dns,
                               Optional<java.time.Duration> writeUnavailability) {
    /**
     * The notifications the environment's email channel delivered once SMTP was back.
     *
     * @param smtpBackAt  when the mail server came back (it was down from before the injection)
     * @param delivered   each mail received, as "subject" with when
     */
    public record MailAfterOutage(Instant smtpBackAt, List<Delivered> delivered) {
        public MailAfterOutage {
            Objects.requireNonNull(smtpBackAt, "smtpBackAt");
            delivered = List.copyOf(delivered);
        }

        public record Delivered(Instant at, String subject) {
        }
    }

    /**
     * Route53 answering errors during the failover.
     *
     * @param errorsInjected the requests answered with an error
     * @param changeCalls    ChangeResourceRecordSets calls received in all (the retries included)
     * @param record         the writer record's values at the end
     * @param expected       the values naming the new primary
     */
    public record DnsAfterErrors(int errorsInjected, long changeCalls, List<String> record, List<String> expected) {
        public DnsAfterErrors {
            record = List.copyOf(record);
            expected = List.copyOf(expected);
        }
    }

    /** An observation of a failure with no side channel measured. */
    public DrillObservation(NodeName oldPrimary, Instant injectedAt, List<RunRecord> failovers, int pages,
                            Optional<WriterWorkload.Ack> firstWrite, long acknowledged, List<Long> lost,
                            Optional<Instant> earliestLostAt, Optional<Boolean> oldPrimaryWritableAtEnd) {
        this(oldPrimary, injectedAt, failovers, pages, firstWrite, acknowledged, lost, earliestLostAt,
                oldPrimaryWritableAtEnd, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public DrillObservation {
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(writeUnavailability, "writeUnavailability");
        Objects.requireNonNull(oldPrimary, "oldPrimary");
        Objects.requireNonNull(injectedAt, "injectedAt");
        failovers = List.copyOf(failovers);
        Objects.requireNonNull(firstWrite, "firstWrite");
        lost = List.copyOf(lost);
        Objects.requireNonNull(earliestLostAt, "earliestLostAt");
        Objects.requireNonNull(oldPrimaryWritableAtEnd, "oldPrimaryWritableAtEnd");
    }

    /** The runs that promoted a node. */
    public List<RunRecord> promotions() {
        return failovers.stream().filter(r -> r.promotedAt().isPresent()).toList();
    }

    /** The run that promoted first, if any. */
    public Optional<RunRecord> promotion() {
        return promotions().stream().findFirst();
    }

    /** Failover runs that ended without promoting (refused by a safety rule, or failed before the promotion). */
    public List<RunRecord> refusals() {
        return failovers.stream().filter(r -> r.promotedAt().isEmpty() && r.finishedAt().isPresent()).toList();
    }
}
