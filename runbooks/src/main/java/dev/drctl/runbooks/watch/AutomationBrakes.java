package dev.drctl.runbooks.watch;

import dev.drctl.compliance.AutomationTable.AutomaticFailover;
import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The brakes on automation (issue 12, lessons of outages where automation itself spread the damage): whether the
 * daemon may act on a cluster now. Three holds, from the store only, so every drctl process sees the same ones and a
 * restart forgets none:
 * <ol>
 *   <li>maintenance mode ({@code drctl maintenance on}): a person said hands off;</li>
 *   <li>the cooldown after the cluster's last failover (safety rule 6), cleared early only by {@code drctl ack};</li>
 *   <li>the global circuit breaker: at most {@link BreakerPolicy#maxFailovers} automatic failovers across all
 *       clusters within its window.</li>
 * </ol>
 * When several apply, they are listed in that order (the person's word first, then the cluster's own state, then the
 * global one) and {@link #hold} answers the first. The decision is the pure {@link #holds(Facts, BreakerPolicy,
 * Instant)}; this class only reads its facts.
 *
 * <p>Two clusters whose primaries die in the same round would both see a closed breaker before either run is in the
 * store; {@link #admit} closes that gap in this process: it checks and counts the admitted failover in one step.
 */
public final class AutomationBrakes {
    private final StateStore store;
    private final BreakerPolicy breaker;
    private final List<Admission> admitted = new ArrayList<>();

    public AutomationBrakes(StateStore store, BreakerPolicy breaker) {
        this.store = Objects.requireNonNull(store, "store");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
    }

    /**
     * What the brakes decide from.
     *
     * @param cluster             the cluster decided on (its holds name it in the commands that end them)
     * @param maintenance         the cluster's maintenance mode, if on
     * @param cooldownStart       the failover the cluster's cooldown counts from (none once acknowledged)
     * @param cooldown            the cluster's {@code failover.cooldown}
     * @param automaticFailovers  when each automatic failover counted by the breaker started, on every cluster
     */
    public record Facts(ClusterName cluster, Optional<dev.drctl.compliance.Maintenance> maintenance,
                        Optional<Instant> cooldownStart, Duration cooldown, List<Instant> automaticFailovers) {
        public Facts {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(maintenance, "maintenance");
            Objects.requireNonNull(cooldownStart, "cooldownStart");
            Objects.requireNonNull(cooldown, "cooldown");
            automaticFailovers = List.copyOf(automaticFailovers);
        }
    }

    /**
     * The circuit breaker at an instant.
     *
     * @param failovers automatic failovers counted within the window
     * @param openUntil when the breaker closes again, while it is open
     */
    public record BreakerState(int failovers, BreakerPolicy policy, Optional<Instant> openUntil) {
        public boolean open() {
            return openUntil.isPresent();
        }
    }

    /** A failover this process admitted ({@link #admit}) whose run the store may not show yet. */
    record Admission(ClusterName cluster, Instant at) {
    }

    // ---- the pure decision ---------------------------------------------------------------------------------------

    /** Every hold on automation at {@code now}, in precedence order; empty when automation may act. */
    public static List<AutomationHold> holds(Facts facts, BreakerPolicy policy, Instant now) {
        var out = new ArrayList<AutomationHold>();
        facts.maintenance().ifPresent(m -> out.add(new AutomationHold.Maintenance(m.cluster(), m.reason(),
                m.by().value(), m.since())));
        facts.cooldownStart().ifPresent(last -> {
            var until = last.plus(facts.cooldown());
            if (now.isBefore(until)) {
                out.add(new AutomationHold.CoolingDown(facts.cluster(), last, until));
            }
        });
        var state = breaker(facts.automaticFailovers(), policy, now);
        state.openUntil().ifPresent(until -> out.add(new AutomationHold.BreakerOpen(state.failovers(),
                policy.window(), until)));
        return List.copyOf(out);
    }

    /**
     * The breaker over the automatic failovers started at {@code starts}: one counts while {@code now} is before its
     * start plus the window (a start at {@code now - window} has left it). Open when the count reaches the maximum,
     * until enough of them left the window for one more to be allowed.
     */
    public static BreakerState breaker(List<Instant> starts, BreakerPolicy policy, Instant now) {
        var inWindow = starts.stream().filter(s -> now.isBefore(s.plus(policy.window())))
                .sorted(Comparator.naturalOrder()).toList();
        int n = inWindow.size();
        if (n < policy.maxFailovers()) {
            return new BreakerState(n, policy, Optional.empty());
        }
        // Allowed again once n - max + 1 of them left the window: the (n - max)-th oldest (0-based) leaving it.
        return new BreakerState(n, policy, Optional.of(inWindow.get(n - policy.maxFailovers()).plus(policy.window())));
    }

    /**
     * The starts the breaker counts: the automatic runs that acted, and the admissions of this process that no run
     * of their cluster started at or after them answers yet (a run refused before it acted answers its admission
     * and counts for nothing).
     */
    static List<Instant> counted(List<AutomaticFailover> runs, List<Admission> admissions) {
        var out = new ArrayList<Instant>();
        runs.stream().filter(AutomaticFailover::acted).forEach(r -> out.add(r.startedAt()));
        for (var a : admissions) {
            boolean answered = runs.stream().anyMatch(r -> r.cluster().equals(a.cluster())
                    && !r.startedAt().isBefore(a.at()));
            if (!answered) {
                out.add(a.at());
            }
        }
        return out;
    }

    // ---- the store's facts ---------------------------------------------------------------------------------------

    /** Whether automation may act on {@code cluster} at {@code now}: empty when it may, else the first hold. */
    public Optional<AutomationHold> hold(ClusterSpec cluster, Instant now) {
        return holds(cluster, now).stream().findFirst();
    }

    /** Every hold on {@code cluster} at {@code now}, in precedence order ({@code drctl status} shows them all). */
    public List<AutomationHold> holds(ClusterSpec cluster, Instant now) {
        return holds(facts(cluster, now), breaker, now);
    }

    /**
     * The cluster's maintenance mode, if on: the one hold on every automatic action, not only failovers (the daemon
     * fences no returning writer of a cluster in maintenance either; it pages).
     */
    public Optional<AutomationHold.Maintenance> maintenance(ClusterSpec cluster) {
        return store.automation().maintenance(cluster.name())
                .map(m -> new AutomationHold.Maintenance(m.cluster(), m.reason(), m.by().value(), m.since()));
    }

    /** The circuit breaker at {@code now}. */
    public BreakerState breaker(Instant now) {
        return breaker(countedStarts(now), breaker, now);
    }

    /**
     * For the daemon, just before it starts an automatic failover of {@code cluster}: the hold that forbids it, or
     * empty, and then the failover is counted by the breaker at once (before its run reaches the store), so a second
     * cluster admitted in the same instant sees it. Serialised in this process.
     */
    public synchronized Optional<AutomationHold> admit(ClusterSpec cluster, Instant now) {
        var hold = hold(cluster, now);
        if (hold.isEmpty()) {
            admitted.add(new Admission(cluster.name(), now));
        }
        return hold;
    }

    /**
     * The failover admitted for {@code cluster} did not start at all (e.g. another drctl held the cluster's lock, so
     * no run was recorded): it no longer counts.
     */
    public synchronized void withdraw(ClusterName cluster) {
        for (int i = admitted.size() - 1; i >= 0; i--) {
            if (admitted.get(i).cluster().equals(cluster)) {
                admitted.remove(i);
                return;
            }
        }
    }

    public BreakerPolicy policy() {
        return breaker;
    }

    private Facts facts(ClusterSpec cluster, Instant now) {
        return new Facts(cluster.name(), store.automation().maintenance(cluster.name()),
                store.cooldownStart(cluster.name()), cluster.failover().cooldown(), countedStarts(now));
    }

    private synchronized List<Instant> countedStarts(Instant now) {
        var since = now.minus(breaker.window());
        admitted.removeIf(a -> !a.at().isAfter(since));
        return counted(store.automation().automaticFailoversSince(since), admitted);
    }
}
