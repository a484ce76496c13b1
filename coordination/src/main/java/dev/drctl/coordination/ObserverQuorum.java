package dev.drctl.coordination;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a majority of the live daemons see the primary dead (issue 13): the leader of a cluster fails it over only
 * then, so one daemon cut off from the primary cannot trigger a failover. A pure function of the live daemons, their
 * published observations and {@code now}.
 *
 * <p>Only a live daemon's own, fresh observation counts: an observation older than {@code maxAge} (its daemon stalled
 * or stopped probing) and one from a daemon whose session is gone are no evidence either way. The majority is of the
 * live daemons, not of those that published, so a daemon that does not publish counts against a failover.
 */
public final class ObserverQuorum {
    private ObserverQuorum() {
    }

    /** The outcome of {@link #assess}. */
    public sealed interface Assessment {
        /** Daemons whose fresh observation says PrimaryDead. */
        List<String> seeingDead();

        /** The live daemons the majority is counted over. */
        Set<String> live();

        /** How many are needed: a strict majority of the live daemons. */
        default int needed() {
            return live().size() / 2 + 1;
        }

        String sentence();

        record Reached(List<String> seeingDead, Set<String> live) implements Assessment {
            public Reached {
                seeingDead = List.copyOf(seeingDead);
                live = Set.copyOf(live);
            }

            @Override
            public String sentence() {
                return seeingDead.size() + " of " + live.size() + " live daemons see the primary dead ("
                        + String.join(", ", seeingDead) + "): quorum reached";
            }
        }

        /** @param notCounted daemons whose view did not count, each with why (other verdict, stale, none published) */
        record NotReached(List<String> seeingDead, Set<String> live, List<String> notCounted) implements Assessment {
            public NotReached {
                seeingDead = List.copyOf(seeingDead);
                live = Set.copyOf(live);
                notCounted = List.copyOf(notCounted);
            }

            @Override
            public String sentence() {
                return seeingDead.size() + " of " + live.size() + " live daemons see the primary dead, " + needed()
                        + " needed: no quorum for a failover" + (notCounted.isEmpty() ? ""
                        : " (" + String.join("; ", notCounted) + ")");
            }
        }
    }

    /**
     * @param live         the daemons whose ZooKeeper session is alive now
     * @param observations the published observations of one cluster (any daemon's, any age)
     * @param maxAge       an observation older than this at {@code now} is stale
     */
    public static Assessment assess(Set<String> live, Collection<Observation> observations, Instant now,
                                    Duration maxAge) {
        Objects.requireNonNull(now, "now");
        var seeingDead = new ArrayList<String>();
        var notCounted = new ArrayList<String>();
        for (var daemon : new TreeSet<>(live)) {
            var own = observations.stream().filter(o -> o.daemon().equals(daemon))
                    .max(java.util.Comparator.comparing(Observation::at));
            if (own.isEmpty()) {
                notCounted.add(daemon + ": nothing published");
            } else if (Duration.between(own.get().at(), now).compareTo(maxAge) > 0) {
                notCounted.add(daemon + ": its observation of " + own.get().at() + " is stale");
            } else if (!own.get().seesPrimaryDead()) {
                notCounted.add(daemon + ": " + own.get().verdict());
            } else {
                seeingDead.add(daemon);
            }
        }
        boolean reached = !live.isEmpty() && seeingDead.size() >= live.size() / 2 + 1;
        return reached ? new Assessment.Reached(seeingDead, live)
                : new Assessment.NotReached(seeingDead, live, notCounted);
    }
}
