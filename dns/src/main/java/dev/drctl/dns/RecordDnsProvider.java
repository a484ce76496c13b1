package dev.drctl.dns;

import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.DnsSpec.RecordType;
import dev.drctl.topology.NodeSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of {@link DnsProvider} every technology shares: turning a node into record values, skipping a change
 * the record already holds, choosing reader answers, verifying after the write. A provider supplies the two
 * primitives {@link #read} and {@link #write}.
 */
public abstract class RecordDnsProvider implements DnsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(RecordDnsProvider.class);

    protected final DnsSpec spec;
    protected final Clock clock;
    private final RecordValues values;

    protected RecordDnsProvider(DnsSpec spec, RecordValues values, Clock clock) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.values = Objects.requireNonNull(values, "values");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The record {@code name}/{@code type} as the provider holds it now.
     *
     * @throws DnsException {@link DnsErrorCode#READ_FAILED}
     */
    protected abstract Optional<WriterRecord> read(String name, RecordType type);

    /**
     * Writes {@code desired} (UPSERT), waits until it is live and reads it back, all before {@code deadline}.
     *
     * @param primary the node a writer record now points at; empty for the reader record
     */
    protected abstract DnsChangeOutcome write(WriterRecord desired, ChangeOrigin origin, Optional<NodeSpec> primary,
                                              Deadline deadline);

    @Override
    public DnsSpec spec() {
        return spec;
    }

    @Override
    public Optional<WriterRecord> readWriter() {
        return read(spec.record(), spec.type());
    }

    @Override
    public Optional<WriterRecord> readReader() {
        return spec.readerRecord().flatMap(name -> read(name, spec.type()));
    }

    @Override
    public WriterRecord writerFor(NodeSpec target) {
        return new WriterRecord(spec.record(), spec.type(), spec.ttl(), values.of(spec.type(), target));
    }

    @Override
    public DnsChangeOutcome pointWriter(NodeSpec target, ChangeOrigin origin, Duration timeout) {
        var deadline = Deadline.after(timeout, clock);
        WriterRecord desired;
        try {
            desired = writerFor(target);
        } catch (DnsException e) {
            return new DnsChangeOutcome.Failed(e.getMessage());
        }
        return change(desired, origin, Optional.of(target), deadline);
    }

    @Override
    public DnsChangeOutcome updateReader(List<ReaderCandidate> replicas, ChangeOrigin origin, Duration timeout) {
        if (spec.readerRecord().isEmpty()) {
            return new DnsChangeOutcome.Failed("no reader-record is configured for " + spec.record());
        }
        var deadline = Deadline.after(timeout, clock);
        var valued = new LinkedHashMap<NodeSpec, ReaderSelection.Valued>();
        for (var c : replicas) {
            if (c.publishable()) {
                try {
                    valued.put(c.node(), ReaderSelection.Valued.of(values.of(spec.type(), c.node())));
                } catch (DnsException e) {
                    valued.put(c.node(), ReaderSelection.Valued.unusable(e.getMessage()));
                }
            }
        }
        Optional<WriterRecord> current;
        try {
            current = readReader();
        } catch (DnsException e) {
            return new DnsChangeOutcome.Failed("cannot read the reader record before changing it: " + e.getMessage());
        }
        var selection = ReaderSelection.choose(replicas, valued, current);
        LOG.info("reader record {}: {}", spec.readerRecord().get(), selection.note());
        if (selection.publish().isEmpty()) {
            return current.filter(r -> !r.values().isEmpty())
                    .<DnsChangeOutcome>map(r -> new DnsChangeOutcome.Applied(clock.instant(), Optional.empty(), r))
                    .orElseGet(() -> new DnsChangeOutcome.Failed(selection.note()));
        }
        var desired = new WriterRecord(spec.readerRecord().get(), spec.type(), spec.ttl(), selection.publish().get());
        return change(desired, origin, Optional.empty(), deadline);
    }

    private DnsChangeOutcome change(WriterRecord desired, ChangeOrigin origin, Optional<NodeSpec> primary,
                                    Deadline deadline) {
        Optional<WriterRecord> current;
        try {
            current = read(desired.name(), desired.type());
        } catch (DnsException e) {
            // Not knowing the current value is no reason to leave the name wrong: the UPSERT is idempotent.
            LOG.warn("cannot read {} before changing it ({}); writing anyway", desired.name(), e.getMessage());
            current = Optional.empty();
        }
        if (current.filter(c -> holds(c, desired, primary)).isPresent()) {
            LOG.info("{} already holds {}; nothing to change", desired.name(), desired.describe());
            return new DnsChangeOutcome.Applied(clock.instant(), Optional.empty(), desired);
        }
        LOG.info("changing {} from {} to {} ({})", desired.name(), current.map(WriterRecord::describe).orElse("(absent)"),
                desired.describe(), origin.comment());
        var outcome = write(desired, origin, primary, deadline);
        LOG.info("{}: {}", desired.name(), outcome.summary());
        return outcome;
    }

    /**
     * Whether {@code current} already is the wanted change, so nothing needs sending. Equal records, for DNS; a
     * provider that keeps more than DNS can (the file provider's node) refines it.
     */
    protected boolean holds(WriterRecord current, WriterRecord desired, Optional<NodeSpec> primary) {
        return current.equals(desired);
    }

    /**
     * Reads {@code desired}'s name back and compares; the shared last step of every {@link #write}.
     *
     * @param liveAt when the provider reported the change live
     */
    protected DnsChangeOutcome verify(WriterRecord desired, Optional<String> changeId, Instant liveAt) {
        Optional<WriterRecord> back;
        try {
            back = read(desired.name(), desired.type());
        } catch (DnsException e) {
            return new DnsChangeOutcome.Pending(changeId, "the change was reported live but reading "
                    + desired.name() + " back failed: " + e.getMessage());
        }
        if (back.filter(desired::equals).isPresent()) {
            return new DnsChangeOutcome.Applied(liveAt, changeId, desired);
        }
        return new DnsChangeOutcome.Failed("read back " + desired.name() + " after the change"
                + changeId.map(id -> " " + id).orElse("") + " and found "
                + back.map(WriterRecord::describe).orElse("no record") + " instead of " + desired.describe());
    }
}
