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
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's side of the coordination through ZooKeeper (issue 13): the watches' {@link Peers} (publish each
 * verdict, lead or follow, count the quorum) and the engine's {@link Lease} (leadership and token before every step),
 * both read from one {@link ClusterLeadership}. Cut off from ZooKeeper for longer than the session timeout, the daemon
 * journals it and pages once, until the connection is back.
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
            case ClusterLeadership.Look.Leading l -> new Standing.Leads();
            case ClusterLeadership.Look.NotLeading n -> new Standing.Follows(n.reason());
        };
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
