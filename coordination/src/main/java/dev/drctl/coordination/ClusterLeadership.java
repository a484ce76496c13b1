package dev.drctl.coordination;

import dev.drctl.compliance.LeadershipToken;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.CoordinationSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This daemon's part in the coordination of several daemons through ZooKeeper (issue 13; safety rules 1, 5, 6).
 *
 * <ul>
 *   <li><b>Leadership per cluster:</b> one Curator {@link LeaderLatch} per cluster under {@code /leaders/<cluster>};
 *   any daemon can lead any cluster. Leadership spreads by {@link Preference} (rendezvous hashing): a leader that is
 *   not the cluster's preferred daemon hands it on when idle ({@link #rebalance}).</li>
 *   <li><b>Fencing token:</b> a term's token is the creation zxid of the leader's latch node. The latch leader is the
 *   oldest node, so every later leader's node was created later and carries a larger zxid: tokens grow with every
 *   term, across daemons, without a write of their own.</li>
 *   <li><b>Stop acting when cut off:</b> {@link #look} answers {@link Look.Leading} only while the connection is
 *   {@code CONNECTED}; on {@code SUSPENDED} (the client heard nothing for 2/3 of the session timeout) or {@code LOST}
 *   it answers {@link Look.NotLeading} at once, before ZooKeeper expires the session and another daemon can lead.
 *   See docs/ha.md for the timing argument.</li>
 *   <li><b>Observer quorum:</b> every daemon publishes its verdict of every cluster ({@link #publish}, an ephemeral
 *   node {@code /observations/<cluster>/<daemon>}) and registers itself ({@code /daemons/<daemon>}); the leader fails
 *   over only when {@link #quorum} is reached.</li>
 * </ul>
 * Nothing here blocks the caller on ZooKeeper except the reads and writes that say so (publish, quorum, view,
 * rebalance), each bounded by Curator's connection timeout.
 */
public final class ClusterLeadership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterLeadership.class);
    static final String DAEMONS = "/daemons";
    static final String LEADERS = "/leaders";
    static final String OBSERVATIONS = "/observations";
    private static final String LATCH_NAME = "latch-";

    /** What {@link #look} found. */
    public sealed interface Look {
        /** @param since when this term began (this daemon's clock) */
        record Leading(LeadershipToken token, Instant since) implements Look {
            public Leading {
                Objects.requireNonNull(token, "token");
                Objects.requireNonNull(since, "since");
            }
        }

        record NotLeading(String reason) implements Look {
            public NotLeading {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /** The connection to the ensemble as this daemon last heard of it. */
    public enum Connection { CONNECTING, CONNECTED, SUSPENDED, LOST, CLOSED }

    /**
     * Whether this daemon's id is registered among the live daemons ({@code /daemons/<id>}, an ephemeral node of its
     * session). A daemon contends for no cluster before it is registered, and never while another live daemon holds
     * its id: two daemons under one name would be one voter in the quorum and one holder in the journal.
     */
    public sealed interface Registration {
        /** Not registered yet: ZooKeeper has not answered, or a node of the same id is waited out (see below). */
        record Pending(String reason) implements Registration {
            public Pending {
                Objects.requireNonNull(reason, "reason");
            }
        }

        record Registered(Instant at) implements Registration {
            public Registered {
                Objects.requireNonNull(at, "at");
            }
        }

        /**
         * Another live daemon holds this id: its node outlived a whole session timeout (a crashed predecessor's node
         * goes when its session expires, within one), so it is not a leftover.
         *
         * @param holder what that daemon wrote in its node: host, pid, since
         */
        record Duplicate(String holder) implements Registration {
            public Duplicate {
                Objects.requireNonNull(holder, "holder");
            }

            public String sentence(String daemonId, String ensemble) {
                return "daemon id \"" + daemonId + "\" is already used by another live daemon on " + ensemble + " ("
                        + holder + "); two daemons under one id would count as one in the quorum and be one name in "
                        + "the journal. Give this daemon its own id: coordination.daemon-id in its config or drctl run "
                        + "--daemon-id ID";
            }
        }
    }

    private record Term(long token, String path, Instant since) {
    }

    /** One cluster's latch and the term this daemon holds in it, if any. */
    private final class Seat {
        final ClusterName cluster;
        volatile LeaderLatch latch;
        volatile Term term;
        /** A read of the term's token is queued: at most one at a time. */
        final java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean();

        Seat(ClusterName cluster) {
            this.cluster = cluster;
        }
    }

    private final CoordinationSpec spec;
    private final String daemonId;
    private final Clock clock;
    private final CuratorFramework client;
    /** What this daemon writes in its {@code /daemons/<id>} node, for a refused duplicate to name it. */
    private final byte[] presence;
    private volatile Registration registration = new Registration.Pending("ZooKeeper has not answered yet");
    private volatile boolean joined;
    private final Map<ClusterName, Seat> seats = new LinkedHashMap<>();
    /** Reads a new term's token off the ZooKeeper event thread (a blocking call there would deadlock it). */
    private final ExecutorService terms;
    private volatile Connection connection = Connection.CONNECTING;
    private volatile Instant connectionSince;

    private ClusterLeadership(CoordinationSpec spec, String daemonId, Collection<ClusterName> clusters, Clock clock) {
        this.spec = spec;
        this.daemonId = daemonId;
        this.clock = clock;
        this.connectionSince = clock.instant();
        int session = Math.toIntExact(spec.sessionTimeout().toMillis());
        this.client = CuratorFrameworkFactory.builder()
                .connectString(spec.connectString())
                .namespace(spec.namespace())
                .sessionTimeoutMs(session)
                // A blocking read or write waits at most this long for a connection: half the session, so a daemon
                // cut off learns it from its own calls no later than from the SUSPENDED event.
                .connectionTimeoutMs(session / 2)
                .retryPolicy(new ExponentialBackoffRetry(100, 3, 1000))
                // The configured servers are the truth: Curator's ensemble tracker would replace them with the
                // addresses the servers advertise, which behind NAT or a proxy may be unreachable (or bypass the
                // fault proxies of the tests).
                .ensembleTracker(false)
                .build();
        this.terms = Executors.newSingleThreadExecutor(r -> {
            var t = new Thread(r, "drctl-zk-terms");
            t.setDaemon(true);
            return t;
        });
        this.presence = presenceOf(daemonId, clock.instant());
        for (var cluster : clusters) {
            seats.put(cluster, new Seat(cluster));
        }
    }

    /**
     * Connects (in the background: a ZooKeeper that is down delays nothing, this daemon just does not lead), registers
     * this daemon and contends for every cluster.
     *
     * @param daemonId this daemon's name, unique among the daemons, e.g. {@code mum-1}
     */
    public static ClusterLeadership start(CoordinationSpec spec, String daemonId, Collection<ClusterName> clusters,
                                          Clock clock) {
        if (!CoordinationSpec.DAEMON_ID.matcher(daemonId).matches()) {
            throw new IllegalArgumentException("daemon id \"" + daemonId + "\": " + CoordinationSpec.DAEMON_ID_EXPECTED);
        }
        var leadership = new ClusterLeadership(spec, daemonId, clusters, clock);
        leadership.begin();
        return leadership;
    }

    private void begin() {
        client.getConnectionStateListenable().addListener((c, state) -> connectionChanged(state));
        client.start();
    }

    private static byte[] presenceOf(String daemonId, Instant since) {
        var o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        o.put("daemon", daemonId);
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown";
        }
        o.put("host", host);
        o.put("pid", ProcessHandle.current().pid());
        o.put("since", since.toString());
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** E.g. {@code host db-mum-3, pid 4242, since 2026-11-28T07:40:00Z}, from a presence node's data. */
    private static String holderOf(byte[] data) {
        try {
            var o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(data);
            return "host " + o.path("host").asText("?") + ", pid " + o.path("pid").asText("?") + ", since "
                    + o.path("since").asText("?");
        } catch (java.io.IOException | RuntimeException e) {
            return "a node written by another program";
        }
    }

    /**
     * Waits at most {@code max} for this daemon's registration to be decided (registered, or refused as a duplicate);
     * answers {@link Registration.Pending} when ZooKeeper did not answer in time (the daemon then registers in the
     * background, once it does).
     */
    public Registration awaitRegistration(Duration max) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        long connectBy = start + spec.sessionTimeout().toNanos() / 2;
        while (registration instanceof Registration.Pending && System.nanoTime() < deadline) {
            if (connection != Connection.CONNECTED && System.nanoTime() > connectBy) {
                break;
            }
            Thread.sleep(50);
        }
        return registration;
    }

    /**
     * How long {@link #awaitRegistration} should be given at a daemon's start: the wait for a crashed predecessor's
     * node under the same id (a session timeout and a half) and a little more.
     */
    public Duration registrationWait() {
        return spec.sessionTimeout().multipliedBy(3).dividedBy(2).plusSeconds(3);
    }

    public Registration registration() {
        return registration;
    }

    /**
     * Creates this daemon's node under {@code /daemons} (on every new session); joins every cluster's latch once it is
     * there. A node of the same id owned by another session is waited out for a session timeout and a half (a crashed
     * predecessor under the same id leaves one until its session expires); one still there then belongs to a live
     * daemon: this one registers as {@link Registration.Duplicate} and contends for nothing.
     */
    private void register() {
        var path = DAEMONS + "/" + daemonId;
        var wait = spec.sessionTimeout().multipliedBy(3).dividedBy(2);
        Instant conflictSince = null;
        while (connection == Connection.CONNECTED && !(registration instanceof Registration.Duplicate)) {
            try {
                long session = client.getZookeeperClient().getZooKeeper().getSessionId();
                try {
                    client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                            .forPath(path, presence);
                } catch (KeeperException.NodeExistsException exists) {
                    var stat = new org.apache.zookeeper.data.Stat();
                    byte[] data;
                    try {
                        data = client.getData().storingStatIn(stat).forPath(path);
                    } catch (KeeperException.NoNodeException gone) {
                        continue;
                    }
                    if (stat.getEphemeralOwner() != session) {
                        var now = clock.instant();
                        if (conflictSince == null) {
                            conflictSince = now;
                            log.warn("daemon id {} is held by another ZooKeeper session ({}): waiting up to {} s for "
                                    + "it to expire, as a crashed predecessor's would", daemonId, holderOf(data),
                                    wait.toSeconds());
                        }
                        if (Duration.between(conflictSince, now).compareTo(wait) < 0) {
                            registration = new Registration.Pending("another session holds daemon id " + daemonId
                                    + " (" + holderOf(data) + "); waiting up to " + wait.toSeconds()
                                    + " s for it to expire");
                            Thread.sleep(250);
                            continue;
                        }
                        var duplicate = new Registration.Duplicate(holderOf(data));
                        registration = duplicate;
                        log.error(duplicate.sentence(daemonId, spec.connectString()));
                        leaveEveryLatch();
                        return;
                    }
                }
                registration = new Registration.Registered(clock.instant());
                if (!joined) {
                    joined = true;
                    seats.values().forEach(this::join);
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // tried again while connected (a new connection starts a new attempt anyway)
                log.debug("daemon {} not registered yet: {}", daemonId, e.toString());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void leaveEveryLatch() {
        for (var seat : seats.values()) {
            seat.term = null;
            var latch = seat.latch;
            if (latch != null) {
                try {
                    latch.close(LeaderLatch.CloseMode.SILENT);
                } catch (Exception e) {
                    log.debug("latch of {} not closed cleanly: {}", seat.cluster, e.toString());
                }
            }
        }
    }

    private void connectionChanged(ConnectionState state) {
        var next = switch (state) {
            case CONNECTED, RECONNECTED -> Connection.CONNECTED;
            case SUSPENDED, READ_ONLY -> Connection.SUSPENDED;
            case LOST -> Connection.LOST;
        };
        if (next != Connection.CONNECTED) {
            // Stop acting now: the latch also gives leadership up on SUSPENDED, but look() must not wait for it.
            seats.values().forEach(s -> s.term = null);
        }
        connectionSince = clock.instant();
        connection = next;
        if (next == Connection.CONNECTED) {
            log.info("ZooKeeper {} {}: daemon {} is live", spec.connectString(), state.name().toLowerCase(), daemonId);
            try {
                terms.execute(this::register);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // closing
            }
        } else {
            log.warn("ZooKeeper {} connection {}: daemon {} stops acting on every cluster until it is back",
                    spec.connectString(), state.name().toLowerCase(), daemonId);
        }
    }

    private void join(Seat seat) {
        var latch = new LeaderLatch(client, LEADERS + "/" + seat.cluster.value(), daemonId);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                seat.reading.set(true);
                try {
                    readTerm(seat, latch);
                } finally {
                    seat.reading.set(false);
                }
            }

            @Override
            public void notLeader() {
                if (seat.latch == latch && seat.term != null) {
                    seat.term = null;
                    log.warn("daemon {} no longer leads {}", daemonId, seat.cluster);
                }
            }
        }, terms);
        seat.latch = latch;
        try {
            latch.start();
        } catch (Exception e) {
            log.warn("cannot contend for the leadership of {}: {}", seat.cluster, e.toString());
        }
    }

    /** The token of the term just begun: the creation zxid of our latch node, checked to be ours and still leading. */
    private void readTerm(Seat seat, LeaderLatch latch) {
        try {
            var path = latch.getLastPathIsLeader();
            var stat = path == null ? null : client.checkExists().forPath(path);
            long session = client.getZookeeperClient().getZooKeeper().getSessionId();
            if (stat == null || stat.getEphemeralOwner() != session || !latch.hasLeadership()
                    || !path.equals(latch.getLastPathIsLeader()) || seat.latch != latch
                    || connection != Connection.CONNECTED) {
                return;
            }
            seat.term = new Term(stat.getCzxid(), path, clock.instant());
            log.info("daemon {} leads {} (fencing token {})", daemonId, seat.cluster, stat.getCzxid());
        } catch (Exception e) {
            log.warn("daemon {} took the leadership of {} but could not read its token ({}); it does not act on it",
                    daemonId, seat.cluster, e.toString());
        }
    }

    /** This daemon's name among the daemons. */
    public String daemonId() {
        return daemonId;
    }

    /** E.g. {@code ZooKeeper zk1:2181,zk2:2181 (namespace drctl, session 10s)}. */
    public String description() {
        return "ZooKeeper " + spec.connectString() + " (namespace " + spec.namespace() + ", session "
                + spec.sessionTimeout().toSeconds() + "s)";
    }

    public Connection connection() {
        return connection;
    }

    /** When the connection last changed state (this daemon's clock). */
    public Instant connectionSince() {
        return connectionSince;
    }

    /**
     * This daemon's leadership of {@code cluster} now, from what the client already knows: never blocks, never
     * throws. Leading only while connected, holding the latch, with the term's token read.
     */
    public Look look(ClusterName cluster) {
        var conn = connection;
        if (conn != Connection.CONNECTED) {
            return new Look.NotLeading("the ZooKeeper connection is " + conn.name().toLowerCase() + " since "
                    + connectionSince);
        }
        switch (registration) {
            case Registration.Duplicate d -> {
                return new Look.NotLeading(d.sentence(daemonId, spec.connectString()));
            }
            case Registration.Pending p -> {
                return new Look.NotLeading("daemon " + daemonId + " is not registered among the live daemons yet ("
                        + p.reason() + ")");
            }
            case Registration.Registered r -> {
            }
        }
        var seat = seats.get(cluster);
        if (seat == null) {
            return new Look.NotLeading(cluster + " is not coordinated by daemon " + daemonId);
        }
        var latch = seat.latch;
        var term = seat.term;
        if (latch != null && latch.hasLeadership()
                && (term == null || !term.path().equals(latch.getLastPathIsLeader()))) {
            // The latch made us leader but the term's token is not known (its read raced the connection event, or
            // failed): read it again, off this thread; until then this daemon does not act.
            if (seat.reading.compareAndSet(false, true)) {
                try {
                    terms.execute(() -> {
                        try {
                            readTerm(seat, latch);
                        } finally {
                            seat.reading.set(false);
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    seat.reading.set(false);
                }
            }
            return new Look.NotLeading("daemon " + daemonId + " took the leadership of " + cluster + "; its fencing "
                    + "token is being read");
        }
        if (term == null || latch == null || !latch.hasLeadership() || !term.path().equals(latch.getLastPathIsLeader())) {
            return new Look.NotLeading("daemon " + daemonId + " does not lead " + cluster);
        }
        return new Look.Leading(new LeadershipToken(term.token(), "daemon:" + daemonId), term.since());
    }

    /**
     * Publishes this daemon's latest observation of a cluster (an ephemeral node, gone with the session). Returns
     * false, having done nothing, while cut off from ZooKeeper or when the write fails.
     */
    public boolean publish(Observation observation) {
        if (connection != Connection.CONNECTED) {
            return false;
        }
        var path = OBSERVATIONS + "/" + observation.cluster().value() + "/" + daemonId;
        var data = observation.toBytes();
        try {
            try {
                client.setData().forPath(path, data);
            } catch (KeeperException.NoNodeException e) {
                try {
                    client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
                } catch (KeeperException.NodeExistsException raced) {
                    client.setData().forPath(path, data);
                }
            }
            return true;
        } catch (Exception e) {
            log.debug("observation of {} not published: {}", observation.cluster(), e.toString());
            return false;
        }
    }

    /**
     * Whether a majority of the live daemons see {@code cluster}'s primary dead now. Cut off from ZooKeeper, or when
     * the read fails, the answer is "not reached": a daemon that cannot count the others never acts alone.
     *
     * @param maxAge an observation older than this is stale (a few probe intervals)
     */
    public ObserverQuorum.Assessment quorum(ClusterName cluster, Instant now, Duration maxAge) {
        if (connection != Connection.CONNECTED) {
            return new ObserverQuorum.Assessment.NotReached(List.of(), Set.of(), List.of("daemon " + daemonId
                    + " is cut off from ZooKeeper (" + connection.name().toLowerCase() + ")"));
        }
        try {
            return ObserverQuorum.assess(liveDaemons(), observations(cluster), now, maxAge);
        } catch (Exception e) {
            return new ObserverQuorum.Assessment.NotReached(List.of(), Set.of(), List.of("the observations of "
                    + cluster + " could not be read from ZooKeeper: " + e));
        }
    }

    /** The observations of {@code cluster} published now, one per daemon that published. */
    public List<Observation> observations(ClusterName cluster) throws Exception {
        return observations(client, cluster);
    }

    private static List<Observation> observations(CuratorFramework client, ClusterName cluster) throws Exception {
        var parent = OBSERVATIONS + "/" + cluster.value();
        List<String> children;
        try {
            children = client.getChildren().forPath(parent);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
        var out = new ArrayList<Observation>();
        for (var child : children) {
            try {
                Observation.fromBytes(client.getData().forPath(parent + "/" + child)).ifPresent(out::add);
            } catch (KeeperException.NoNodeException gone) {
                // its daemon's session ended between the two reads
            }
        }
        return out;
    }

    /** The daemons whose session is alive now. */
    public Set<String> liveDaemons() throws Exception {
        try {
            return new TreeSet<>(client.getChildren().forPath(DAEMONS));
        } catch (KeeperException.NoNodeException e) {
            return Set.of();
        }
    }

    /**
     * Who leads each cluster, who is live and what each daemon sees, read now; never throws (an unreachable ensemble
     * is a value). Cut off, it answers at once from the connection state instead of waiting on ZooKeeper.
     */
    public CoordinationView view() {
        var conn = connection;
        if (conn != Connection.CONNECTED) {
            return CoordinationView.unreachable(spec.connectString(), "the ZooKeeper connection of daemon " + daemonId
                    + " is " + conn.name().toLowerCase() + " since " + connectionSince);
        }
        return read(client, spec.connectString(), seats.keySet());
    }

    /**
     * Reads the view with a client of its own, for a command that does not run the daemon ({@code drctl status}).
     *
     * @param timeout how long to wait for a connection before reporting ZooKeeper unreachable
     */
    public static CoordinationView read(CoordinationSpec spec, Collection<ClusterName> clusters, Duration timeout) {
        return withClient(spec, timeout, client -> read(client, spec.connectString(), clusters),
                problem -> CoordinationView.unreachable(spec.connectString(), problem));
    }

    /** Every daemon's published observation of {@code cluster}, read with a client of its own; empty if unreachable. */
    public static List<Observation> readObservations(CoordinationSpec spec, ClusterName cluster, Duration timeout) {
        return withClient(spec, timeout, client -> {
            try {
                return observations(client, cluster);
            } catch (Exception e) {
                return List.<Observation>of();
            }
        }, problem -> List.of());
    }

    private static <T> T withClient(CoordinationSpec spec, Duration timeout,
                                    java.util.function.Function<CuratorFramework, T> work,
                                    java.util.function.Function<String, T> unreachable) {
        int session = Math.toIntExact(spec.sessionTimeout().toMillis());
        try (var client = CuratorFrameworkFactory.builder().connectString(spec.connectString())
                .namespace(spec.namespace()).sessionTimeoutMs(session)
                .connectionTimeoutMs(Math.toIntExact(timeout.toMillis()))
                .retryPolicy(new ExponentialBackoffRetry(100, 1, 500)).ensembleTracker(false).build()) {
            client.start();
            if (!client.blockUntilConnected(Math.toIntExact(timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                return unreachable.apply("no ZooKeeper server of " + spec.connectString() + " answered within "
                        + timeout.toMillis() + " ms");
            }
            return work.apply(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable.apply("interrupted");
        }
    }

    private static CoordinationView read(CuratorFramework client, String ensemble, Collection<ClusterName> clusters) {
        try {
            List<String> live;
            try {
                live = client.getChildren().forPath(DAEMONS).stream().sorted().toList();
            } catch (KeeperException.NoNodeException e) {
                live = List.of();
            }
            var leaders = new HashMap<ClusterName, CoordinationView.Leader>();
            var seen = new HashMap<ClusterName, List<Observation>>();
            for (var cluster : clusters) {
                leaderOf(client, cluster).ifPresent(l -> leaders.put(cluster, l));
                seen.put(cluster, observations(client, cluster).stream()
                        .sorted(Comparator.comparing(Observation::daemon)).toList());
            }
            return new CoordinationView(ensemble, true, Optional.empty(), live, leaders, seen);
        } catch (Exception e) {
            return CoordinationView.unreachable(ensemble, "ZooKeeper " + ensemble + " could not be read: " + e);
        }
    }

    /** The leader of a cluster's latch as the latch itself decides it: the node with the lowest sequence number. */
    private static Optional<CoordinationView.Leader> leaderOf(CuratorFramework client, ClusterName cluster)
            throws Exception {
        var path = LEADERS + "/" + cluster.value();
        List<String> children;
        try {
            children = client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
        var sorted = children.stream().filter(c -> c.contains(LATCH_NAME))
                .sorted(Comparator.comparing(c -> c.substring(c.lastIndexOf(LATCH_NAME) + LATCH_NAME.length())))
                .toList();
        for (var child : sorted) {
            try {
                var stat = new org.apache.zookeeper.data.Stat();
                var data = client.getData().storingStatIn(stat).forPath(path + "/" + child);
                return Optional.of(new CoordinationView.Leader(new String(data, StandardCharsets.UTF_8),
                        stat.getCzxid()));
            } catch (KeeperException.NoNodeException gone) {
                // that leader just left: the next node leads
            }
        }
        return Optional.empty();
    }

    /**
     * Hands on the leadership of every cluster this daemon leads but is not preferred for, when the preferred daemon
     * is live and contends for it and the cluster is not {@code busy} (a run in progress, a failover being decided):
     * this daemon leaves the latch and joins again at its end. Each hand-over starts a new term with a larger token.
     *
     * @return the clusters handed on
     */
    public List<ClusterName> rebalance(Set<ClusterName> busy) {
        var handedOn = new ArrayList<ClusterName>();
        for (var seat : seats.values()) {
            if (busy.contains(seat.cluster) || !(look(seat.cluster) instanceof Look.Leading)) {
                continue;
            }
            try {
                var contenders = new TreeSet<String>();
                seat.latch.getParticipants().forEach(p -> contenders.add(p.getId()));
                contenders.retainAll(liveDaemons());
                var preferred = Preference.preferred(seat.cluster, contenders);
                if (preferred.isEmpty() || preferred.get().equals(daemonId)) {
                    continue;
                }
                log.info("daemon {} hands the leadership of {} on to its preferred daemon {}", daemonId, seat.cluster,
                        preferred.get());
                var old = seat.latch;
                seat.term = null;
                join(seat);
                old.close(LeaderLatch.CloseMode.SILENT);
                handedOn.add(seat.cluster);
            } catch (Exception e) {
                log.debug("rebalance of {} skipped: {}", seat.cluster, e.toString());
            }
        }
        return handedOn;
    }

    @Override
    public void close() {
        connection = Connection.CLOSED;
        seats.values().forEach(s -> s.term = null);
        terms.shutdownNow();
        leaveEveryLatch();
        client.close();
    }
}
