package dev.drctl.promotion;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.Comparison;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.DataSize;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;

/**
 * Who is best to replace a failed primary (safety rules 2 and 3). A pure function of the history, the
 * failed primary's name and "now".
 *
 * <p>Candidates are replicas whose latest probe reached them (within one failure-window of now), not marked
 * {@code no-failover}, inside {@code allowed-regions} when set, replicating on the primary's lineage,
 * with a known data position. They are ordered by:
 * <ol>
 *   <li>data: how many other candidates hold strictly more (fewest first; PostgreSQL by the received LSN,
 *   which a standby replays before it finishes promotion), then how many it has no order with (diverged
 *   GTID sets, LSNs on another timeline: the comparable leader goes first, the incomparable are reported);</li>
 *   <li>region: its index in {@code prefer-regions}, unlisted last;</li>
 *   <li>priority, higher first;</li>
 *   <li>lag (time, then bytes), unknown last;</li>
 *   <li>name, so the order is deterministic.</li>
 * </ol>
 * The RPO guard measures the best candidate against the primary's <i>last known</i> position (bytes
 * on one timeline; missing transactions for GTIDs) and its own lag; over {@code max-lag}, or unknown, it
 * blocks automatic promotion with the figures.
 */
public final class ReplicaRanker {
    private ReplicaRanker() {
    }

    private static final Comparator<Lag> LAG_ORDER = Comparator
            .comparing((Lag l) -> l.time().isEmpty())
            .thenComparing(l -> l.time().orElse(Duration.ZERO))
            .thenComparing(l -> l.bytes().isEmpty())
            .thenComparing(l -> l.bytes().orElse(0L));

    private record Candidate(NodeSpec spec, ProbeOutcome.Reached reached, DataPosition position, int behind,
                             Optional<Comparison> versusPrimary, List<NodeName> incomparable,
                             Optional<Integer> preferred) {
        boolean diverged() {
            return versusPrimary.orElse(Comparison.EQUAL) == Comparison.INCOMPARABLE;
        }

        int preferenceKey() {
            return preferred.orElse(Integer.MAX_VALUE);
        }
    }

    private static final Comparator<Candidate> ORDER = Comparator
            .comparingInt(Candidate::behind)
            .thenComparing(Candidate::diverged)
            .thenComparingInt((Candidate c) -> c.incomparable().size())
            .thenComparingInt(Candidate::preferenceKey)
            .thenComparing((Candidate c) -> -c.spec().priority())
            .thenComparing(c -> c.reached().lag(), LAG_ORDER)
            .thenComparing(c -> c.spec().name());

    public static ReplicaRanking rank(ClusterHistory history, NodeName failedPrimary, Instant now) {
        var spec = history.cluster();
        var policy = spec.failover();
        var freshAfter = now.minus(policy.failureWindow());
        var excluded = new ArrayList<ReplicaRanking.Excluded>();
        var eligible = new ArrayList<NodeSpec>();
        var reachedBy = new HashMap<NodeName, ProbeOutcome.Reached>();
        for (var node : spec.nodes()) {
            var name = node.name();
            var latest = history.latest(name);
            Optional<ReplicaRanking.Excluded> why;
            if (name.equals(failedPrimary)) {
                why = excluded(name, Exclusion.FAILED_PRIMARY, "the primary the candidates would replace");
            } else if (node.noFailover()) {
                why = excluded(name, Exclusion.NO_FAILOVER, "marked no-failover: never promoted");
            } else if (!policy.regionAllowed(node.region())) {
                why = excluded(name, Exclusion.REGION_NOT_ALLOWED, "region " + node.region()
                        + " is outside allowed-regions " + policy.allowedRegions()
                        + ": never promoted there, whatever its data");
            } else if (latest.isEmpty()) {
                why = excluded(name, Exclusion.UNREACHABLE, "not probed yet");
            } else if (latest.get().outcome() instanceof ProbeOutcome.Failed f) {
                why = excluded(name, Exclusion.UNREACHABLE, "latest probe failed (" + f.kind()
                        + (f.detail().isBlank() ? "" : ": " + f.detail()) + ")");
            } else if (latest.get().at().isBefore(freshAfter)) {
                why = excluded(name, Exclusion.UNREACHABLE, "latest observation at " + Wording.instant(latest.get().at())
                        + " is stale");
            } else {
                var r = (ProbeOutcome.Reached) latest.get().outcome();
                if (r.role() == Role.PRIMARY) {
                    why = excluded(name, Exclusion.NOT_A_REPLICA, "answers as a "
                            + (r.writable() ? "writable" : "read-only") + " primary, not as a replica");
                } else if (!onLineage(history, name, failedPrimary, new HashSet<>())) {
                    why = excluded(name, Exclusion.OTHER_LINEAGE, "replicates from "
                            + lastUpstream(history, name, failedPrimary).map(NodeName::value).orElse("elsewhere")
                            + ", which is not on " + failedPrimary + "'s lineage");
                } else if (NodeReading.position(r).isEmpty()) {
                    why = excluded(name, Exclusion.POSITION_UNKNOWN,
                            "reports no data position: never treated as caught up");
                } else {
                    why = Optional.empty();
                    reachedBy.put(name, r);
                    eligible.add(node);
                }
            }
            why.ifPresent(excluded::add);
        }

        var primaryPosition = lastKnownPosition(history, failedPrimary);
        var candidates = new ArrayList<Candidate>();
        for (var node : eligible) {
            var r = reachedBy.get(node.name());
            var pos = NodeReading.position(r).orElseThrow();
            int behind = 0;
            var incomparable = new ArrayList<NodeName>();
            for (var other : eligible) {
                if (other == node) {
                    continue;
                }
                var otherPos = NodeReading.position(reachedBy.get(other.name())).orElseThrow();
                switch (otherPos.compareWith(pos)) {
                    case AHEAD -> behind++;
                    case INCOMPARABLE -> incomparable.add(other.name());
                    case EQUAL, BEHIND -> { }
                }
            }
            int pref = policy.preferRegions().indexOf(node.region());
            candidates.add(new Candidate(node, r, pos, behind, primaryPosition.map(pos::compareWith), incomparable,
                    pref < 0 ? Optional.empty() : Optional.of(pref)));
        }
        candidates.sort(ORDER);

        var ranked = new ArrayList<ReplicaRanking.Ranked>();
        for (int i = 0; i < candidates.size(); i++) {
            var c = candidates.get(i);
            var shortfall = primaryPosition.flatMap(c.position()::shortfallFrom);
            String placed;
            if (i == 0) {
                placed = candidates.size() == 1 ? "the only candidate" : "first: " + wins(c, candidates.get(1));
            } else {
                placed = loses(c, candidates.get(i - 1));
            }
            var reason = placed + "; data " + c.position().display()
                    + shortfall.map(s -> s.amount() == 0 ? " (all of " + failedPrimary + "'s last known data)"
                            : " (lacks " + s + " of " + failedPrimary + "'s last known data)").orElse("")
                    + ", region " + c.spec().region()
                    + c.preferred().map(p -> " (preferred #" + (p + 1) + ")").orElse(policy.preferRegions().isEmpty() ? "" : " (not preferred)")
                    + ", priority " + c.spec().priority() + ", lag " + Wording.lag(c.reached().lag());
            ranked.add(new ReplicaRanking.Ranked(c.spec().name(), i + 1, c.position(), c.behind(), c.versusPrimary(), c.incomparable(),
                    shortfall, c.spec().region(), c.preferred(), c.spec().priority(), c.reached().lag(), reason));
        }
        var rpoBlock = ranked.isEmpty() ? Optional.<String>empty() : rpoGuard(ranked.getFirst(), failedPrimary, primaryPosition,
                policy.maxLagBytes(), policy.maxLagTime());
        return new ReplicaRanking(ranked, excluded, rpoBlock);
    }

    private static Optional<ReplicaRanking.Excluded> excluded(NodeName node, Exclusion why, String detail) {
        return Optional.of(new ReplicaRanking.Excluded(node, why, detail));
    }

    /** The failed primary's position in its latest answered probe: the best drctl knows of what it held. */
    private static Optional<DataPosition> lastKnownPosition(ClusterHistory history, NodeName primary) {
        var list = history.of(primary);
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).outcome() instanceof ProbeOutcome.Reached r) {
                return NodeReading.position(r);
            }
        }
        return Optional.empty();
    }

    private static Optional<ProbeOutcome.Reached> lastReached(ClusterHistory history, NodeName node) {
        var list = history.of(node);
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).outcome() instanceof ProbeOutcome.Reached r) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The node it last reported streaming from (proxied or unreported addresses count as the primary). */
    private static Optional<NodeName> lastUpstream(ClusterHistory history, NodeName node, NodeName primary) {
        var list = history.of(node);
        for (int i = list.size() - 1; i >= 0; i--) {
            NodeObservation o = list.get(i);
            if (o.outcome() instanceof ProbeOutcome.Reached r && r.stream().isPresent()) {
                return Optional.of(NodeReading.upstream(r.stream().get(), history.cluster(), primary));
            }
        }
        return Optional.empty();
    }

    // A replica of a replica (cascading) is on the lineage; a replica of some other primary is not.
    private static boolean onLineage(ClusterHistory history, NodeName node, NodeName primary, Set<NodeName> seen) {
        if (node.equals(primary)) {
            return true;
        }
        if (!seen.add(node)) {
            return false;
        }
        var last = lastReached(history, node);
        if (last.isPresent() && last.get().role() == Role.PRIMARY) {
            return false;
        }
        var up = lastUpstream(history, node, primary);
        return up.isEmpty() || onLineage(history, up.get(), primary, seen);
    }

    private static String wins(Candidate a, Candidate b) {
        var data = b.position().compareWith(a.position());
        if (a.behind() != b.behind()) {
            return data == Comparison.BEHIND ? "ahead of " + b.spec().name() + " on data" : "holds the most data";
        }
        if (a.diverged() != b.diverged()) {
            return "the comparable leader; " + b.spec().name() + "'s data has no order with the primary's";
        }
        if (a.incomparable().size() != b.incomparable().size()) {
            return "the comparable leader; " + b.spec().name() + "'s data has no order with "
                    + Wording.names(b.incomparable());
        }
        var same = sameData(a, b);
        if (a.preferenceKey() != b.preferenceKey()) {
            return same + ", in a more preferred region (" + a.spec().region() + " over " + b.spec().region() + ")";
        }
        if (a.spec().priority() != b.spec().priority()) {
            return same + " and region preference, higher priority (" + a.spec().priority() + " over "
                    + b.spec().priority() + ")";
        }
        if (LAG_ORDER.compare(a.reached().lag(), b.reached().lag()) != 0) {
            return same + ", region preference and priority, lower lag (" + Wording.lag(a.reached().lag()) + " vs "
                    + Wording.lag(b.reached().lag()) + ")";
        }
        return "tied with " + b.spec().name() + " on data, region preference, priority and lag; first by name";
    }

    private static String loses(Candidate b, Candidate a) {
        var data = b.position().compareWith(a.position());
        if (a.behind() != b.behind()) {
            return switch (data) {
                case BEHIND -> "behind " + a.spec().name() + " on data";
                case INCOMPARABLE -> "data has no order with " + a.spec().name() + "'s and is behind "
                        + Wording.count(b.behind(), "other candidate", "other candidates");
                case EQUAL, AHEAD -> "behind " + Wording.count(b.behind(), "other candidate", "other candidates")
                        + " on data";
            };
        }
        if (a.diverged() != b.diverged()) {
            return "data has no order with the primary's last known position (another timeline or errant"
                    + " transactions): ranked after the comparable leader";
        }
        if (a.incomparable().size() != b.incomparable().size()) {
            return "data has no order with " + Wording.names(b.incomparable())
                    + " (diverged GTID sets or another timeline): ranked after the comparable leader";
        }
        var same = sameData(b, a);
        if (a.preferenceKey() != b.preferenceKey()) {
            return same + ", but region " + b.spec().region() + " is less preferred than " + a.spec().name() + "'s "
                    + a.spec().region();
        }
        if (a.spec().priority() != b.spec().priority()) {
            return same + " and region preference, but priority " + b.spec().priority() + " is below "
                    + a.spec().name() + "'s " + a.spec().priority();
        }
        if (LAG_ORDER.compare(a.reached().lag(), b.reached().lag()) != 0) {
            var lag = b.reached().lag();
            return same + ", region preference and priority, but lag " + Wording.lag(lag)
                    + (lag.time().isEmpty() && lag.bytes().isEmpty() ? " (never treated as 0)" : "")
                    + " vs " + a.spec().name() + "'s " + Wording.lag(a.reached().lag());
        }
        return "tied with " + a.spec().name() + " on data, region preference, priority and lag; placed after it by name";
    }

    private static String sameData(Candidate x, Candidate y) {
        return x.position().compareWith(y.position()) == Comparison.EQUAL
                ? "same data as " + y.spec().name()
                : "data with no order against " + y.spec().name() + "'s";
    }

    private static Optional<String> rpoGuard(ReplicaRanking.Ranked best, NodeName primary,
                                             Optional<DataPosition> primaryPosition, DataSize maxBytes, Duration maxTime) {
        var breaches = new ArrayList<String>();
        String loss;
        if (primaryPosition.isEmpty()) {
            loss = "cannot be measured: " + primary + "'s last position is unknown";
            breaches.add("data loss unknown");
        } else if (best.shortfall().isEmpty()) {
            loss = "cannot be measured against " + primary + "'s last known position "
                    + primaryPosition.get().display() + " (" + best.position().display() + " has no order with it)";
            breaches.add("data loss unknown");
        } else {
            var s = best.shortfall().get();
            loss = (s.amount() == 0 ? "holds all of " : "lacks " + s + " of ") + primary + "'s last known position "
                    + primaryPosition.get().display();
            if (best.versusPrimary().orElse(Comparison.EQUAL) == Comparison.INCOMPARABLE) {
                breaches.add("it holds transactions " + primary + " never had (errant)");
            }
            if (s.unit() == DataPosition.Shortfall.Unit.BYTES && s.amount() > maxBytes.bytes()) {
                breaches.add(new DataSize(s.amount()) + " behind is over max-lag " + maxBytes);
            }
        }
        var lag = best.lag();
        if (lag.time().isEmpty() && lag.bytes().isEmpty()) {
            breaches.add("its lag is unknown (never treated as 0)");
        }
        lag.time().filter(t -> t.compareTo(maxTime) > 0).ifPresent(t ->
                breaches.add("lag " + Wording.duration(t) + " is over max-lag " + Wording.duration(maxTime)));
        lag.bytes().filter(b -> b > maxBytes.bytes()).ifPresent(b ->
                breaches.add("lag " + new DataSize(b) + " is over max-lag " + maxBytes));
        if (breaches.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("RPO guard: best candidate " + best.node() + " " + loss + ", lag " + Wording.lag(lag)
                + "; max-lag " + maxBytes + " / " + Wording.duration(maxTime) + ": " + String.join(", ", breaches));
    }
}
