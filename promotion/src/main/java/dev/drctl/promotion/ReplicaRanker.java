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
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.Comparison;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.DataSize;
import dev.drctl.topology.FailoverPolicy;
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
 *
 * <h2>Data loss (safety rule 3)</h2>
 * Each candidate gets a {@link DataLoss}, measured on its <i>received</i> position (never on received minus
 * replayed: a replica whose stream broke shows 0 B of replay lag however much it never got):
 * <ul>
 *   <li><b>Known primary position</b> K, seen at L: the failed primary's latest answer in these rounds, or the
 *   store's {@link ClusterMemory} position when later (or the only one), used only when it names this primary.
 *   None → every loss is {@link DataLoss.Unknown} ("last position unknown").</li>
 *   <li><b>Reference</b> R: K, raised to any candidate's received position that is ahead of it (the primary wrote
 *   it, a replica got it). Losses are measured against R: bytes on one timeline, transactions for GTID sets (those
 *   of R it lacks, named: MariaDB {@code 0-1-101..145}, MySQL {@code uuid:101-145}).</li>
 *   <li><b>First failure</b> F: the first failed probe of the primary after L (store's or these rounds', the
 *   earlier); none while it still answers; "now" when nobody saw it fail. K is <b>stale</b> when F − L exceeds one
 *   failure-window plus one probe round (interval + timeout): nobody watched the primary in between.</li>
 *   <li><b>In contact</b> at time T: a round saw the replica receiving at or after T − (interval + timeout), or its
 *   {@code lastContact} is no older than that.</li>
 *   <li>The loss is <b>bounded</b> ({@link DataLoss.None} when 0, else {@link DataLoss.Bounded}) when the candidate
 *   was in contact at L (at F when K is stale), or — K not stale — its position proves it has everything of K
 *   (lacks 0 of it). Otherwise it is {@link DataLoss.Unknown}, saying when it stopped receiving against when the
 *   primary was last seen, with what it is known to lack at least. A position with no order against R (another
 *   timeline) is unknown.</li>
 * </ul>
 * <h2>RPO guard</h2>
 * Each candidate's {@link ReplicaRanking.Ranked#rpoBlock} is present, refusing automatic promotion, when its loss
 * is unknown; when it is bounded in bytes over {@code max-lag.bytes}; when it is bounded in transactions and the
 * count is above 0 — {@code max-lag.bytes} does not measure GTIDs and a transaction count has no byte size, so any
 * known missing transaction against the reference is a loss drctl never accepts on its own; when it holds
 * transactions the primary's last known position lacks (errant, named); when its apply lag is unknown or over
 * {@code max-lag}. {@link ReplicaRanking#rpoBlock} is the best candidate's. The sentence names the figures and,
 * for an unknown loss or missing transactions, the {@code --accept-data-loss} command that promotes anyway.
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

    /** The ranking with nothing remembered by the store: {@link #rank(ClusterHistory, NodeName, ClusterMemory, Instant)}. */
    public static ReplicaRanking rank(ClusterHistory history, NodeName failedPrimary, Instant now) {
        return rank(history, failedPrimary, ClusterMemory.none(), now);
    }

    /**
     * The candidates to replace {@code failedPrimary}, each with its {@link DataLoss}, measured against the best
     * known primary position: the latest one these rounds saw the primary answer with, else the one the store
     * remembers ({@code memory}, used only when it names the same primary or none).
     */
    public static ReplicaRanking rank(ClusterHistory history, NodeName failedPrimary, ClusterMemory memory,
                                      Instant now) {
        return rank(history, Optional.of(failedPrimary), memory, now);
    }

    /**
     * The ranking when no primary is known (none was ever seen writable, e.g. in one snapshot taken after it
     * died): every reachable replica by the same order, no lineage check, and an RPO guard that always
     * blocks, since the data loss cannot be measured.
     */
    public static ReplicaRanking rankWithoutPrimary(ClusterHistory history, Instant now) {
        return rank(history, Optional.empty(), ClusterMemory.none(), now);
    }

    private static ReplicaRanking rank(ClusterHistory history, Optional<NodeName> primary, ClusterMemory memory,
                                       Instant now) {
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
            if (primary.isPresent() && name.equals(primary.get())) {
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
                } else if (primary.isPresent() && !onLineage(history, name, primary.get(), new HashSet<>())) {
                    why = excluded(name, Exclusion.OTHER_LINEAGE, "replicates from "
                            + lastUpstream(history, name, primary.get()).map(NodeName::value).orElse("elsewhere")
                            + ", which is not on " + primary.get() + "'s lineage");
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

        var known = primary.flatMap(p -> primaryKnown(history, p, memory));
        var primaryPosition = known.map(DataLoss.Basis::reference);
        var failedPrimary = primary.map(NodeName::value).orElse("the primary");
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
        var reference = known.map(k -> furthest(k, candidates));
        var failure = primary.flatMap(p -> known.flatMap(k -> firstFailure(history, p, k, memory, now)));

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
            var loss = estimate(history, c, primary, known, reference, failure);
            // Errant: only a set with no order against the primary's can hold transactions it never wrote; those
            // are the ones no known position of the primary's lineage (the reference) holds. A candidate merely
            // ahead of the last known position holds what the primary wrote after it.
            var errant = c.diverged()
                    ? reference.map(ref -> ref.reference().missingFrom(c.position())).orElse(List.<String>of())
                    : List.<String>of();
            var draft = new ReplicaRanking.Ranked(c.spec().name(), i + 1, c.position(), c.behind(), c.versusPrimary(),
                    c.incomparable(), shortfall, c.spec().region(), c.preferred(), c.spec().priority(), c.reached().lag(),
                    reason, loss, errant, Optional.empty(), Optional.empty());
            var block = rpoGuard(draft, history.cluster().name().value(), primary, primaryPosition, reference,
                    policy.maxLagBytes(), policy.maxLagTime());
            ranked.add(new ReplicaRanking.Ranked(draft.node(), draft.place(), draft.position(), draft.behindCandidates(),
                    draft.versusPrimary(), draft.incomparableWith(), draft.shortfall(), draft.region(),
                    draft.preferredRegion(), draft.priority(), draft.lag(), draft.reason(), loss, errant,
                    block.map(RpoBlock::withCommand), block.map(RpoBlock::breach)));
        }
        var rpoBlock = ranked.isEmpty() ? Optional.<String>empty() : ranked.getFirst().rpoBlock();
        return new ReplicaRanking(ranked, excluded, rpoBlock);
    }

    private static Optional<ReplicaRanking.Excluded> excluded(NodeName node, Exclusion why, String detail) {
        return Optional.of(new ReplicaRanking.Excluded(node, why, detail));
    }

    /**
     * The failed primary's last known position: the latest these rounds saw it answer with, or the store's record
     * when that is later (or the rounds never saw it answer). The store's record counts only when it names this
     * primary (or no primary): another node's position says nothing of what this one wrote.
     */
    private static Optional<DataLoss.Basis> primaryKnown(ClusterHistory history, NodeName primary, ClusterMemory memory) {
        Optional<DataLoss.Basis> probed = Optional.empty();
        var list = history.of(primary);
        for (int i = list.size() - 1; i >= 0 && probed.isEmpty(); i--) {
            var o = list.get(i);
            if (o.outcome() instanceof ProbeOutcome.Reached r) {
                probed = NodeReading.position(r).map(p -> new DataLoss.Basis(p, DataLoss.Source.PROBED, primary,
                        Optional.of(o.at())));
                if (probed.isEmpty()) {
                    break;
                }
            }
        }
        var remembered = memory.lastPosition()
                .filter(p -> memory.lastPrimary().map(primary::equals).orElse(true))
                .map(p -> new DataLoss.Basis(p, DataLoss.Source.REMEMBERED, primary, memory.lastPositionAt()));
        if (probed.isEmpty() || remembered.isEmpty()) {
            return probed.or(() -> remembered);
        }
        var p = probed.get();
        var m = remembered.get();
        // The later sighting wins; a remembered position further on the same lineage wins too (the rounds may
        // have caught a primary that restarted from an older state — the data it held is still what it wrote).
        boolean memoryLater = m.at().isPresent() && m.at().get().isAfter(p.at().orElseThrow());
        return Optional.of(memoryLater || m.reference().compareWith(p.reference()) == Comparison.AHEAD ? m : p);
    }

    /** The reference a loss is measured against: the primary's last known position, or further if a replica got it. */
    private static DataLoss.Basis furthest(DataLoss.Basis known, List<Candidate> candidates) {
        var best = known;
        for (var c : candidates) {
            if (c.position().compareWith(best.reference()) == Comparison.AHEAD) {
                best = new DataLoss.Basis(c.position(), DataLoss.Source.REPLICA, c.spec().name(),
                        Optional.empty());
            }
        }
        return best;
    }

    /**
     * When the primary was first seen failing after its last known position: the store's record or these rounds',
     * whichever is earlier; empty while it still answers in these rounds; {@code now} when nobody saw it fail (the
     * rounds hold no answer of it, the store no failure).
     */
    private static Optional<Instant> firstFailure(ClusterHistory history, NodeName primary, DataLoss.Basis known,
                                                  ClusterMemory memory, Instant now) {
        var seen = known.at().orElse(Instant.MIN);
        Optional<Instant> probed = Optional.empty();
        for (var o : history.of(primary)) {
            if (o.outcome() instanceof ProbeOutcome.Failed && o.at().isAfter(seen)) {
                probed = Optional.of(o.at());
                break;
            }
        }
        var remembered = memory.firstFailureAt().filter(t -> t.isAfter(seen));
        if (probed.isPresent() && remembered.isPresent()) {
            return Optional.of(probed.get().isBefore(remembered.get()) ? probed.get() : remembered.get());
        }
        if (probed.isPresent() || remembered.isPresent()) {
            return probed.or(() -> remembered);
        }
        var latest = history.latest(primary);
        if (latest.isPresent() && latest.get().outcome() instanceof ProbeOutcome.Reached) {
            return Optional.empty();
        }
        return Optional.of(now);
    }

    /**
     * How long a primary's last known position may precede its first seen failure and still stand for what it held
     * when it failed: one failure-window plus one probe round (interval and timeout). A gap beyond it means nobody
     * watched the primary in between (a one-shot command run long after the last one), so what it wrote then is
     * unknown.
     */
    private static Duration watchGap(FailoverPolicy policy) {
        return policy.failureWindow().plus(policy.probeInterval()).plus(policy.probeTimeout());
    }

    private static DataLoss estimate(ClusterHistory history, Candidate c, Optional<NodeName> primary,
                                     Optional<DataLoss.Basis> known, Optional<DataLoss.Basis> reference,
                                     Optional<Instant> failure) {
        var name = c.spec().name();
        var failed = primary.map(NodeName::value).orElse("the primary");
        if (primary.isEmpty()) {
            return new DataLoss.Unknown("no primary was seen, so its last position is unknown");
        }
        if (known.isEmpty() || reference.isEmpty()) {
            return new DataLoss.Unknown(failed + "'s last position is unknown: no probe round saw it answer and the"
                    + " store has no record of it");
        }
        var k = known.get();
        var ref = reference.get();
        var pos = c.position();
        var shortfall = pos.shortfallFrom(ref.reference());
        if (shortfall.isEmpty()) {
            return new DataLoss.Unknown(name + "'s data " + pos.display() + " has no order with " + ref.words()
                    + " (another timeline or kind of position)");
        }
        var s = shortfall.get();
        var missing = pos.missingFrom(ref.reference());
        var seenAt = k.at();
        var policy = history.cluster().failover();
        var tolerance = policy.probeInterval().plus(policy.probeTimeout());
        boolean stale = seenAt.isEmpty() || failure.map(f -> Duration.between(seenAt.get(), f).compareTo(watchGap(policy)) > 0)
                .orElse(false);
        var mustReach = stale ? failure.or(() -> seenAt) : seenAt;
        boolean inContact = mustReach.isPresent() && inContactAt(history, name, mustReach.get().minus(tolerance));
        boolean holdsKnown = pos.shortfallFrom(k.reference()).map(x -> x.amount() == 0).orElse(false);
        if (inContact || (!stale && holdsKnown)) {
            return s.amount() == 0 ? new DataLoss.None(ref) : new DataLoss.Bounded(s, missing, ref);
        }
        var atLeast = Optional.of(s).filter(x -> x.amount() > 0);
        if (stale) {
            var gap = failure.map(f -> seenAt.map(a -> ", " + gap(Duration.between(a, f))
                    + " before it was first seen failing at " + Wording.instant(f)).orElse("")).orElse("");
            return new DataLoss.Unknown(failed + "'s last known position was " + (k.source() == DataLoss.Source.REMEMBERED
                    ? "recorded" : "seen") + seenAt.map(t -> " at " + Wording.instant(t)).orElse(" at an unknown time")
                    + gap + ", and " + name + " " + contact(history, name, mustReach, failed + " was first seen failing")
                    + ": what " + failed + " wrote in between may be missing", atLeast, missing);
        }
        var lacks = pos.shortfallFrom(k.reference()).map(x -> ", and lacks " + x
                + named(pos.missingFrom(k.reference())) + " of " + k.words()).orElse("");
        return new DataLoss.Unknown(name + " " + contact(history, name, seenAt, failed + " was last seen") + lacks, atLeast,
                missing);
    }

    /** How long before: seconds under a minute, else whole minutes ("45 min", "1 h 5 min"): a stale stream's age. */
    private static String gap(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return Wording.duration(Duration.ofSeconds(s));
        }
        long h = s / 3600;
        long m = s % 3600 / 60;
        return h == 0 ? m + " min" : h + " h" + (m == 0 ? "" : " " + m + " min");
    }

    private static String named(List<String> missing) {
        return missing.isEmpty() ? "" : " (" + String.join(", ", missing) + ")";
    }

    /** The replica streamed at or after {@code since}: seen receiving then, or its last contact is no older. */
    private static boolean inContactAt(ClusterHistory history, NodeName node, Instant since) {
        for (var o : history.of(node)) {
            if (o.outcome() instanceof ProbeOutcome.Reached r && r.stream().isPresent()) {
                var s = r.stream().get();
                if (s.receiving() && !o.at().isBefore(since)) {
                    return true;
                }
                if (s.lastContact().map(t -> !t.isBefore(since)).orElse(false)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** When a replica stopped receiving, said against the moment the primary was last seen. */
    private static String contact(ClusterHistory history, NodeName node, Optional<Instant> reference, String event) {
        Optional<Instant> lastContact = Optional.empty();
        Optional<Instant> lastReceiving = Optional.empty();
        for (var o : history.of(node)) {
            if (o.outcome() instanceof ProbeOutcome.Reached r && r.stream().isPresent()) {
                var s = r.stream().get();
                if (s.lastContact().isPresent()) {
                    lastContact = s.lastContact();
                }
                if (s.receiving()) {
                    lastReceiving = Optional.of(o.at());
                }
            }
        }
        var before = reference.map(ref -> " before " + event + " at " + Wording.instant(ref)).orElse("");
        if (lastContact.isPresent()) {
            var at = lastContact.get();
            return "stopped receiving at " + Wording.instant(at) + reference.map(ref -> ", "
                    + gap(Duration.between(at, ref)) + " before "
                    + event + " at " + Wording.instant(ref)).orElse("");
        }
        if (lastReceiving.isPresent()) {
            return "was last seen receiving at " + Wording.instant(lastReceiving.get()) + before
                    + " (its last contact with its upstream is not reported)";
        }
        return "is not receiving and was not seen receiving" + before.replace(" before ", " since ")
                + " (its last contact with its upstream is not reported)";
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

    /**
     * Why promoting one candidate is refused without {@code --accept-data-loss}, and the command that promotes it
     * anyway when the loss is one a person may knowingly take (unknown, or missing transactions).
     */
    private record RpoBlock(String breach, Optional<String> command) {
        String withCommand() {
            return breach + command.map(c -> "; " + c + " promotes it anyway").orElse("");
        }
    }

    private static Optional<RpoBlock> rpoGuard(ReplicaRanking.Ranked c, String cluster, Optional<NodeName> knownPrimary,
                                             Optional<DataPosition> primaryPosition,
                                             Optional<DataLoss.Basis> reference, DataSize maxBytes, Duration maxTime) {
        var breaches = new ArrayList<String>();
        var primary = knownPrimary.map(NodeName::value).orElse("the primary");
        boolean overridable = false;
        String loss;
        if (knownPrimary.isEmpty()) {
            loss = "cannot be measured: no primary was seen, so its last position is unknown";
            breaches.add("data loss unknown");
        } else if (primaryPosition.isEmpty()) {
            loss = "cannot be measured: " + primary + "'s last position is unknown";
            breaches.add("data loss unknown");
        } else if (c.shortfall().isEmpty()) {
            loss = "cannot be measured against " + primary + "'s last known position "
                    + primaryPosition.get().display() + " (" + c.position().display() + " has no order with it)";
            breaches.add("data loss unknown");
        } else {
            var fromPrimary = reference.map(r -> r.source() != DataLoss.Source.REPLICA).orElse(true);
            loss = switch (c.loss()) {
                case DataLoss.Unknown u -> {
                    breaches.add("data loss unknown");
                    overridable = true;
                    yield "data loss unknown: " + u.reason();
                }
                case DataLoss.None n -> fromPrimary
                        ? "holds all of " + primary + "'s last known position " + primaryPosition.get().display()
                        : "holds all of " + n.basis().words();
                case DataLoss.Bounded b -> {
                    if (b.amount().unit() == DataPosition.Shortfall.Unit.TRANSACTIONS) {
                        breaches.add("missing " + b.amount() + named(b.missing()) + ": max-lag.bytes does not measure"
                                + " GTIDs, so any missing transaction refuses automatic promotion");
                        overridable = true;
                    }
                    if (b.amount().unit() == DataPosition.Shortfall.Unit.BYTES && b.amount().amount() > maxBytes.bytes()) {
                        breaches.add(new DataSize(b.amount().amount()) + " behind is over max-lag " + maxBytes);
                    }
                    yield fromPrimary
                            ? "lacks " + b.amount() + " of " + primary + "'s last known position "
                                    + primaryPosition.get().display()
                            : "lacks " + b.amount() + " of " + b.basis().words();
                }
            };
            if (c.versusPrimary().orElse(Comparison.EQUAL) == Comparison.INCOMPARABLE) {
                breaches.add("it holds transactions " + primary + " never had (errant"
                        + (c.errant().isEmpty() ? "" : ": " + String.join(", ", c.errant())) + ")");
            }
        }
        var lag = c.lag();
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
        return Optional.of(new RpoBlock("RPO guard: " + (c.place() == 1 ? "best candidate " : "candidate ") + c.node()
                + " " + loss + ", lag " + Wording.lag(lag) + "; max-lag " + maxBytes + " / " + Wording.duration(maxTime)
                + ": " + String.join(", ", breaches),
                overridable ? Optional.of("drctl failover " + cluster + (c.place() == 1 ? "" : " --to " + c.node())
                        + " --accept-data-loss") : Optional.empty()));
    }
}
