package dev.drctl.cli.daemon;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.StateStore;
import dev.drctl.coordination.ClusterLeadership;
import dev.drctl.coordination.Observation;
import dev.drctl.coordination.ObserverQuorum;
import dev.drctl.runbooks.Lease;
import dev.drctl.runbooks.RunAnnouncements;
import dev.drctl.runbooks.watch.Peers;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrctlException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import dev.drctl.compliance.LeadershipToken;
import dev.drctl.coordination.CoordinationView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's side of the coordination through ZooKeeper (issue 13): the watches' {@link Peers} (publish each
 * verdict, lead or follow, count the quorum) and the engine's {@link Lease} (leadership and token before every step),
 * both read from one {@link ClusterLeadership}. Cut off from ZooKeeper for longer than the session timeout, the daemon
 * journals it and pages once, until the connection is back.
 *
 * <p>A term begins in the store: the first time the watch finds this daemon leading a cluster under a new token, the
 * token is recorded (and the term journaled) before the daemon acts at all. From then on the store refuses every
 * intent of an older term, even one of a predecessor that was only paused (a long GC, a frozen VM) and has not yet
 * noticed that its term is over, whether or not this daemon has acted yet.
 */
final class ZooKeeperPeers implements Peers, Lease {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperPeers.class);
    private static final DateTimeFormatter INCIDENT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final ClusterLeadership leadership;
    private final Duration maxAge;
    private final Duration sessionTimeout;
    private final StateStore store;
    private final Optional<RunAnnouncements> notices;
    private final Actor actor;
    private final Clock clock;
    private final AtomicBoolean pagedCutOff = new AtomicBoolean();
    /** Per cluster, the token of the term this daemon recorded in the store last. */
    private final Map<ClusterName, Long> recorded = new ConcurrentHashMap<>();
    /** Per cluster, the token of the term last found stale (said once, not every round). */
    private final Map<ClusterName, Long> staleSaid = new ConcurrentHashMap<>();
    private volatile Figures figures;

    /** @param maxAge an observation older than this does not count towards the quorum */
    ZooKeeperPeers(ClusterLeadership leadership, Duration maxAge, Duration sessionTimeout, StateStore store,
                   Optional<RunAnnouncements> notices, Actor actor, Clock clock) {
        this.leadership = leadership;
        this.maxAge = maxAge;
        this.sessionTimeout = sessionTimeout;
        this.store = store;
        this.notices = notices;
        this.actor = actor;
        this.clock = clock;
    }

    ClusterLeadership leadership() {
        return leadership;
    }

    @Override
    public void publish(ClusterName cluster, String verdict, String summary, Instant at) {
        leadership.publish(new Observation(leadership.daemonId(), cluster, verdict, summary, at));
        watchConnection(at);
    }

    @Override
    public Standing standing(ClusterName cluster) {
        return switch (leadership.look(cluster)) {
            case ClusterLeadership.Look.Leading l -> begun(cluster, l.token());
            case ClusterLeadership.Look.NotLeading n -> new Standing.Follows(n.reason());
        };
    }

    /**
     * Leads once the term's token is recorded in the store (once per term): the token check and the journal entry
     * saying who leads from when, in one transaction. A store that holds a newer token says this term is over
     * already; a store that cannot be written keeps this daemon from acting (it could not journal an intent either).
     */
    private Standing begun(ClusterName cluster, LeadershipToken token) {
        if (Long.valueOf(token.value()).equals(recorded.get(cluster))) {
            return new Standing.Leads();
        }
        var payload = new LinkedHashMap<String, Object>();
        payload.put("decision", "leads");
        payload.put("rule", "one actor (safety rule 5)");
        payload.put("coordination", leadership.description());
        payload.put("leadershipToken", token.value());
        payload.put("leader", token.holder());
        payload.put("summary", "daemon " + leadership.daemonId() + " leads " + cluster + " from now (fencing token "
                + token.value() + "): the store refuses every older term's action from here on");
        try {
            var check = store.atomically("record the leadership term of " + cluster, tx -> {
                var c = tx.checkLeadership(cluster, token);
                if (c instanceof LeadershipToken.Check.Accepted) {
                    tx.append(JournalDraft.of(actor, JournalKind.DECISION, payload).cluster(cluster));
                }
                return c;
            });
            return switch (check) {
                case LeadershipToken.Check.Accepted a -> {
                    recorded.put(cluster, token.value());
                    log.info("daemon {} leads {} (fencing token {}, recorded in the store)", leadership.daemonId(),
                            cluster, token.value());
                    yield new Standing.Leads();
                }
                case LeadershipToken.Check.Stale stale -> {
                    if (!Long.valueOf(token.value()).equals(staleSaid.put(cluster, token.value()))) {
                        log.error("daemon {} leads {} in ZooKeeper but the store refuses its term: {}. If the "
                                + "ZooKeeper ensemble was rebuilt (its counter started again), see docs/ha.md",
                                leadership.daemonId(), cluster, stale.sentence());
                    }
                    yield new Standing.Follows(stale.sentence());
                }
            };
        } catch (DrctlException e) {
            return new Standing.Follows("daemon " + leadership.daemonId() + " leads " + cluster + " (token "
                    + token.value() + ") but could not record its term in the store: " + e.getMessage());
        }
    }

    /**
     * The coordination as this daemon sees it now, for {@code /metrics}: read from ZooKeeper at most once a second
     * (a scrape never waits on a cut-off ensemble: the view then answers from the connection state at once).
     */
    Figures figures(java.util.Collection<ClusterName> clusters, Instant now) {
        var f = figures;
        if (f != null && Duration.between(f.at(), now).abs().compareTo(Duration.ofSeconds(1)) < 0) {
            return f;
        }
        var view = leadership.view();
        var leading = new LinkedHashMap<ClusterName, Boolean>();
        var quorums = new LinkedHashMap<ClusterName, ObserverQuorum.Assessment>();
        for (var cluster : clusters) {
            leading.put(cluster, leadership.look(cluster) instanceof ClusterLeadership.Look.Leading);
            if (view.reachable()) {
                quorums.put(cluster, ObserverQuorum.assess(java.util.Set.copyOf(view.liveDaemons()),
                        view.observations(cluster), now, maxAge));
            }
        }
        f = new Figures(now, leadership.daemonId(), leadership.connection() == ClusterLeadership.Connection.CONNECTED,
                view, leading, quorums);
        figures = f;
        return f;
    }

    /**
     * What {@code /metrics} shows of the coordination.
     *
     * @param leading per cluster, whether this daemon leads it
     * @param quorums per cluster, the observer quorum as the live daemons' published views make it now
     */
    record Figures(Instant at, String daemonId, boolean connected, CoordinationView view,
                   Map<ClusterName, Boolean> leading, Map<ClusterName, ObserverQuorum.Assessment> quorums) {
        Figures {
            leading = Map.copyOf(leading);
            quorums = Map.copyOf(quorums);
        }
    }

    @Override
    public Quorum quorum(ClusterName cluster, Instant now) {
        var assessment = leadership.quorum(cluster, now, maxAge);
        return switch (assessment) {
            case ObserverQuorum.Assessment.Reached r -> new Quorum.Reached(r.sentence());
            case ObserverQuorum.Assessment.NotReached n -> new Quorum.NotReached(n.sentence());
        };
    }

    @Override
    public String description() {
        return leadership.description();
    }

    @Override
    public Look look(ClusterName cluster) {
        return switch (leadership.look(cluster)) {
            case ClusterLeadership.Look.Leading l -> new Look.Held(l.token());
            case ClusterLeadership.Look.NotLeading n -> new Look.Lost(n.reason());
        };
    }

    /** Cut off for longer than a session: no daemon can act through this one; journal and page once. */
    private void watchConnection(Instant now) {
        var connection = leadership.connection();
        if (connection == ClusterLeadership.Connection.CONNECTED) {
            if (pagedCutOff.compareAndSet(true, false)) {
                log.info("ZooKeeper is back: daemon {} takes part again", leadership.daemonId());
            }
            return;
        }
        var since = leadership.connectionSince();
        if (Duration.between(since, now).compareTo(sessionTimeout) < 0 || !pagedCutOff.compareAndSet(false, true)) {
            return;
        }
        var summary = "daemon " + leadership.daemonId() + " is cut off from " + leadership.description() + " ("
                + connection.name().toLowerCase() + " since " + since + "): it takes no automatic action on any "
                + "cluster until ZooKeeper answers again. drctl failover CLUSTER by hand still works (with the store "
                + "lock)";
        log.error(summary);
        var payload = new LinkedHashMap<String, Object>();
        payload.put("decision", "not acting");
        payload.put("rule", "one actor (safety rule 5)");
        payload.put("coordination", leadership.description());
        payload.put("summary", summary);
        try {
            store.journal().append(JournalDraft.of(actor, JournalKind.DECISION, payload));
        } catch (DrctlException e) {
            log.warn("the loss of ZooKeeper could not be journaled: {}", e.getMessage());
        }
        notices.ifPresent(n -> {
            try {
                n.enqueue(n.notifications().exception(Optional.empty(), "zookeeper-" + leadership.daemonId() + "-"
                                + INCIDENT_TIME.format(since), clock.instant(), "drctl daemon cut off from ZooKeeper",
                        summary, "check the ZooKeeper ensemble and this host's network to it"));
            } catch (RuntimeException e) {
                log.warn("the loss of ZooKeeper could not be queued for people: {}", e.getMessage());
            }
        });
    }
}
