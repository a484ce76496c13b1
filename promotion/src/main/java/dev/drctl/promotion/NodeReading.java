package dev.drctl.promotion;

import java.util.List;
import java.util.Optional;

import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.ReplicationStream;
import dev.drctl.topology.Role;

/** Small readings of observations shared by the analyzer and the ranker. Pure. */
final class NodeReading {
    private NodeReading() {
    }

    static boolean writablePrimary(NodeObservation o) {
        return o.outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.PRIMARY && r.writable();
    }

    /** The furthest data the node holds: received (what a PostgreSQL standby replays on promotion), else applied. */
    static Optional<DataPosition> position(ProbeOutcome.Reached r) {
        return r.received().or(r::applied);
    }

    static boolean receiving(ProbeOutcome.Reached r) {
        return r.stream().map(ReplicationStream::receiving).orElse(false);
    }

    /**
     * The node a replica's stream comes from. A host:port that is exactly a configured node's is that node.
     * Anything else (no address reported, or an address that is no configured node, as when replication
     * runs through a proxy or a load balancer) is taken to be {@code assumed}: the stream comes from somewhere,
     * and not from another known node, so for drctl it is the primary's.
     */
    static NodeName upstream(ReplicationStream s, ClusterSpec spec, NodeName assumed) {
        if (s.upstreamHost().isPresent() && s.upstreamPort().isPresent()) {
            var host = s.upstreamHost().get();
            int port = s.upstreamPort().get();
            for (NodeSpec n : spec.nodes()) {
                if (n.host().equalsIgnoreCase(host) && n.port() == port) {
                    return n.name();
                }
            }
        }
        return assumed;
    }

    /** A short phrase for one observation, as evidence. */
    static String describe(NodeObservation o, ClusterSpec spec, NodeName primary) {
        return switch (o.outcome()) {
            case ProbeOutcome.Failed f when f.kind() == FailureKind.AUTH -> "answers but rejects drctl's credentials ("
                    + f.detail() + ")";
            case ProbeOutcome.Failed f when f.kind() == FailureKind.BUSY -> "alive but has no connection slot free ("
                    + f.detail() + ")";
            case ProbeOutcome.Failed f -> "unreachable (" + f.kind() + (f.detail().isBlank() ? "" : ": " + f.detail()) + ")";
            case ProbeOutcome.Reached r when r.role() == Role.PRIMARY ->
                    (r.writable() ? "writable primary" : "read-only primary") + at(r);
            case ProbeOutcome.Reached r -> "replica" + at(r) + ", " + streamPhrase(r, spec, primary)
                    + ", lag " + Wording.lag(r.lag());
        };
    }

    static String streamPhrase(ProbeOutcome.Reached r, ClusterSpec spec, NodeName primary) {
        if (r.stream().isEmpty()) {
            return "no replication stream";
        }
        var s = r.stream().get();
        if (!s.receiving()) {
            return "stream down" + s.lastError().map(e -> " (" + e + ")").orElse("");
        }
        var from = upstream(s, spec, primary);
        var address = s.upstreamHost().map(h -> " via " + h + s.upstreamPort().map(p -> ":" + p).orElse("")).orElse("");
        var known = spec.nodes().stream().anyMatch(n -> n.name().equals(from)
                && s.upstreamHost().map(h -> h.equalsIgnoreCase(n.host())).orElse(false)
                && s.upstreamPort().map(p -> p == n.port()).orElse(false));
        return "streaming from " + from + (known ? "" : address) + (s.applying() ? "" : ", apply stopped");
    }

    private static String at(ProbeOutcome.Reached r) {
        return position(r).map(p -> " at " + p.display()).orElse(", position unknown");
    }

    static List<NodeName> names(ClusterSpec spec) {
        return spec.nodes().stream().map(NodeSpec::name).toList();
    }
}
