package dev.drctl.runbooks;

import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.ReplicationStream;
import dev.drctl.topology.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Is the primary really gone, as far as a manual {@code drctl failover} can tell? A pure function of the probe burst
 * the command just took ({@code failure-threshold} rounds at {@code probe-interval}, spanning {@code failure-window}),
 * the primary the store last recorded (if any) and the policy.
 *
 * <p>A command has no daemon history: it never saw the primary alive nor the replicas streaming from it, which the
 * daemon's {@code ClusterAnalyzer} needs to declare death. The person running the command vouches for the outage; this
 * check makes sure the burst does not contradict them (safety rule 1):
 * <ol>
 *   <li>any node answered as a writable primary: it is alive (two: split brain) → refused;</li>
 *   <li>the old primary is the store's last recorded primary, else the only node that never answered, else the only
 *   node answering as a read-only primary (fenced earlier); anything else is ambiguous → refused;</li>
 *   <li>it must have failed every probe of the burst with REFUSED, TIMEOUT or OTHER (AUTH means it is up), at least
 *   {@code failure-threshold} of them spanning {@code failure-window};</li>
 *   <li>no reachable replica may still receive a stream from it (or from an address that is no other configured
 *   node): then drctl is the one cut off → refused.</li>
 * </ol>
 */
public final class ManualConfirmation {
    private ManualConfirmation() {
    }

    /** The outcome: confirmed with its evidence, or refused with the reason and what a human may do. */
    public sealed interface Assessment {
        String summary();

        /**
         * @param fenced      the old primary answers as a read-only primary (already fenced) rather than not at all
         * @param detectedAt  the first failed probe of the old primary in the burst
         * @param lostStreams reachable replicas whose stream is down
         */
        record Confirmed(NodeName oldPrimary, boolean fenced, int failedProbes, Duration span, Instant detectedAt,
                         List<NodeName> lostStreams, String summary) implements Assessment {
            public Confirmed {
                Objects.requireNonNull(oldPrimary, "oldPrimary");
                Objects.requireNonNull(span, "span");
                Objects.requireNonNull(detectedAt, "detectedAt");
                lostStreams = List.copyOf(lostStreams);
                Objects.requireNonNull(summary, "summary");
            }
        }

        record Refused(String summary) implements Assessment {
            public Refused {
                Objects.requireNonNull(summary, "summary");
            }
        }
    }

    public static Assessment assess(ClusterHistory burst, Optional<NodeName> lastRecordedPrimary) {
        var spec = burst.cluster();
        var cluster = spec.name();
        var writable = new ArrayList<NodeName>();
        for (var node : spec.nodes()) {
            if (burst.of(node.name()).stream().anyMatch(ManualConfirmation::writablePrimary)) {
                writable.add(node.name());
            }
        }
        if (writable.size() >= 2) {
            return new Assessment.Refused(cluster + ": " + names(writable) + " all answer as writable primaries (split "
                    + "brain); failover refused: fence all but one by hand (read-only or stopped), then drctl rejoin "
                    + cluster + " NODE for the others");
        }
        if (writable.size() == 1) {
            return new Assessment.Refused(cluster + ": primary " + writable.getFirst() + " is alive: it answered as a "
                    + "writable primary during the " + rounds(burst) + " probe rounds just taken; failover refused (it "
                    + "would make two writers). For a planned change of primary use drctl switchover " + cluster
                    + " [--to NODE]");
        }
        var never = spec.nodes().stream().map(n -> n.name()).filter(n -> burst.of(n).stream().noneMatch(NodeObservation::reached))
                .toList();
        var readOnlyPrimaries = spec.nodes().stream().map(n -> n.name())
                .filter(n -> burst.latest(n).map(o -> o.outcome() instanceof ProbeOutcome.Reached r
                        && r.role() == Role.PRIMARY).orElse(false)).toList();
        NodeName primary;
        if (lastRecordedPrimary.isPresent() && !answersAsReplica(burst, lastRecordedPrimary.get())) {
            primary = lastRecordedPrimary.get();
        } else if (never.size() == 1) {
            primary = never.getFirst();
        } else if (never.isEmpty() && readOnlyPrimaries.size() == 1) {
            primary = readOnlyPrimaries.getFirst();
        } else if (never.isEmpty()) {
            return new Assessment.Refused(cluster + ": every node answers and none is a writable primary, so there is "
                    + "no failed primary to replace; failover refused. Look with drctl status " + cluster);
        } else {
            return new Assessment.Refused(cluster + ": cannot tell which node was the primary: " + names(never)
                    + " do not answer and the store records no earlier failover; failover refused. Bring the nodes "
                    + "that are not the primary back, or check the config");
        }
        var history = burst.of(primary);
        var latest = history.isEmpty() ? Optional.<NodeObservation>empty() : Optional.of(history.getLast());
        if (latest.isPresent() && latest.get().outcome() instanceof ProbeOutcome.Reached r) {
            // A read-only primary or a replica answering: it is fenced already, not dead; promoting is still safe.
            if (r.role() == Role.PRIMARY && !r.writable()) {
                return new Assessment.Confirmed(primary, true, 0, Duration.ZERO, latest.get().at(), lostStreams(burst,
                        primary), cluster + ": old primary " + primary + " answers read-only (fenced); it takes no "
                        + "writes");
            }
            return new Assessment.Refused(cluster + ": " + primary + ", the primary the store last recorded, answers as "
                    + "a replica; failover refused. Look with drctl status " + cluster);
        }
        int failed = 0;
        Instant first = null;
        Instant last = null;
        for (var o : history) {
            if (o.outcome() instanceof ProbeOutcome.Failed f) {
                if (f.kind() == FailureKind.AUTH) {
                    return new Assessment.Refused(cluster + ": primary " + primary + " answers but rejects drctl's "
                            + "credentials: it is up, not dead; failover refused. Fix the credentials and look again");
                }
                failed++;
                if (first == null) {
                    first = o.at();
                }
                last = o.at();
            }
        }
        var policy = spec.failover();
        var span = first == null ? Duration.ZERO : Duration.between(first, last).plus(policy.probeInterval());
        if (failed < policy.failureThreshold() || span.compareTo(policy.failureWindow()) < 0) {
            return new Assessment.Refused(cluster + ": primary " + primary + " failed " + failed + " probes over "
                    + human(span) + "; confirming needs " + policy.failureThreshold() + " over "
                    + human(policy.failureWindow()) + "; failover refused: run it again");
        }
        var streaming = new ArrayList<NodeName>();
        for (var node : spec.nodes()) {
            if (node.name().equals(primary)) {
                continue;
            }
            var o = burst.latest(node.name());
            if (o.isPresent() && o.get().outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.REPLICA
                    && r.stream().map(ReplicationStream::receiving).orElse(false)
                    && fromPrimaryOrUnknown(r.stream().get(), spec, primary)) {
                streaming.add(node.name());
            }
        }
        if (!streaming.isEmpty()) {
            return new Assessment.Refused(cluster + ": drctl cannot reach primary " + primary + " but " + names(streaming)
                    + (streaming.size() == 1 ? " still streams" : " still stream") + " from it: drctl is cut off, the "
                    + "primary is alive; failover refused (safety rule 1). Check drctl's network path to " + primary);
        }
        var lost = lostStreams(burst, primary);
        return new Assessment.Confirmed(primary, false, failed, span, first, lost, cluster + ": primary " + primary
                + " is down: " + failed + " consecutive failed probes over " + human(span)
                + (lost.isEmpty() ? "" : " and " + names(lost) + (lost.size() == 1 ? " has" : " have")
                + " no stream from it"));
    }

    private static List<NodeName> lostStreams(ClusterHistory burst, NodeName primary) {
        var out = new ArrayList<NodeName>();
        for (var node : burst.cluster().nodes()) {
            if (node.name().equals(primary)) {
                continue;
            }
            var o = burst.latest(node.name());
            if (o.isPresent() && o.get().outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.REPLICA
                    && !r.stream().map(ReplicationStream::receiving).orElse(false)) {
                out.add(node.name());
            }
        }
        return out;
    }

    private static boolean answersAsReplica(ClusterHistory burst, NodeName node) {
        return burst.latest(node).map(o -> o.outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.REPLICA)
                .orElse(false);
    }

    static boolean writablePrimary(NodeObservation o) {
        return o.outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.PRIMARY && r.writable();
    }

    /** A stream from another configured node is no evidence about the primary; anything else (a proxy) may be it. */
    private static boolean fromPrimaryOrUnknown(ReplicationStream s, ClusterSpec spec, NodeName primary) {
        if (s.upstreamHost().isEmpty() || s.upstreamPort().isEmpty()) {
            return true;
        }
        var host = s.upstreamHost().get();
        int port = s.upstreamPort().get();
        return spec.nodes().stream().filter(n -> n.host().equals(host) && n.port() == port)
                .allMatch(n -> n.name().equals(primary));
    }

    private static int rounds(ClusterHistory burst) {
        return burst.byNode().values().stream().mapToInt(List::size).max().orElse(0);
    }

    static String names(List<NodeName> nodes) {
        var s = nodes.stream().map(NodeName::value).toList();
        if (s.size() <= 1) {
            return String.join("", s);
        }
        return String.join(", ", s.subList(0, s.size() - 1)) + " and " + s.getLast();
    }

    static String human(Duration d) {
        long tenths = Math.round(d.toMillis() / 100.0);
        return (tenths / 10) + "." + (tenths % 10) + "s";
    }
}
