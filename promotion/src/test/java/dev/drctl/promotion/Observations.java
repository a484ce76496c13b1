package dev.drctl.promotion;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.DataSize;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverMode;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.ReplicationStream;
import dev.drctl.topology.Role;
import dev.drctl.topology.SecretRef;

/**
 * Fixture builder for cluster histories, in the style of Patroni's {@code get_node_status(...)}:
 * {@code Observations.cluster("payments").primary("pg1").failing(3, over(ofSeconds(3))).replica("pg2").notStreaming()}.
 *
 * <p>Every node is probed in rounds one probe-interval apart ending at {@link #now()}; a modifier applies to
 * the node declared last. "Latest" modifiers ({@code notStreaming}, {@code unreachable}, …) change only the
 * latest observation, so the history still shows what the node did before.
 */
final class Observations {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int ROUNDS = 6;

    private final String name;
    private Engine engine = Engine.POSTGRESQL;
    private FailoverMode mode = FailoverMode.AUTO;
    private int threshold = 3;
    private Duration window = Duration.ofSeconds(3);
    private Duration interval = Duration.ofSeconds(1);
    private DataSize maxLagBytes = new DataSize(16L << 20);
    private Duration maxLagTime = Duration.ofSeconds(10);
    private List<String> prefer = List.of();
    private List<String> allowed = List.of();
    private Duration cooldownLength = Duration.ofMinutes(10);
    private Optional<Duration> failedOverAgo = Optional.empty();
    private Instant now = T0.plusSeconds(60);
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private Node last;
    private String firstPrimary;

    private Observations(String name) {
        this.name = name;
    }

    static Observations cluster(String name) {
        return new Observations(name);
    }

    /** Readability: {@code failing(3, over(ofSeconds(3)))}. */
    static Duration over(Duration d) {
        return d;
    }

    // ---- cluster and policy

    Observations engine(Engine e) {
        this.engine = e;
        return this;
    }

    Observations mode(FailoverMode m) {
        this.mode = m;
        return this;
    }

    Observations threshold(int failures, Duration window) {
        this.threshold = failures;
        this.window = window;
        return this;
    }

    /** The probe interval (1 s unless set): rounds and the window's tolerance follow it. */
    Observations interval(Duration every) {
        this.interval = every;
        return this;
    }

    Observations maxLag(DataSize bytes, Duration time) {
        this.maxLagBytes = bytes;
        this.maxLagTime = time;
        return this;
    }

    Observations preferRegions(String... regions) {
        this.prefer = List.of(regions);
        return this;
    }

    Observations allowedRegions(String... regions) {
        this.allowed = List.of(regions);
        return this;
    }

    Observations cooldown(Duration length) {
        this.cooldownLength = length;
        return this;
    }

    /** The cluster last failed over this long before now. */
    Observations failedOverAgo(Duration ago) {
        this.failedOverAgo = Optional.of(ago);
        return this;
    }

    Observations now(Instant at) {
        this.now = at;
        return this;
    }

    // ---- nodes

    Observations primary(String node) {
        last = add(node, Role.PRIMARY);
        if (firstPrimary == null) {
            firstPrimary = node;
        }
        return this;
    }

    Observations replica(String node) {
        last = add(node, Role.REPLICA);
        return this;
    }

    private Node add(String node, Role role) {
        var n = new Node(node, role, nodes.size() + 1);
        nodes.put(node, n);
        return n;
    }

    Observations region(String region) {
        last.region = region;
        return this;
    }

    Observations priority(int priority) {
        last.priority = priority;
        return this;
    }

    Observations noFailover() {
        last.noFailover = true;
        return this;
    }

    /** PostgreSQL LSN in {@code X/Y} notation (timeline 1 unless {@link #timeline}). */
    Observations at(String lsnOrGtid) {
        last.position = lsnOrGtid;
        return this;
    }

    Observations timeline(int timeline) {
        last.timeline = timeline;
        return this;
    }

    Observations positionUnknown() {
        last.position = null;
        return this;
    }

    Observations lag(Duration time) {
        last.lag = new Lag(Optional.of(0L), Optional.of(time));
        return this;
    }

    Observations lag(long bytes, Duration time) {
        last.lag = new Lag(Optional.of(bytes), Optional.of(time));
        return this;
    }

    Observations lagUnknown() {
        last.lag = Lag.unknown();
        return this;
    }

    /** The last {@code n} probes failed with REFUSED, spanning {@code d} from the last answer. */
    Observations failing(int n, Duration d) {
        return failing(n, d, FailureKind.REFUSED);
    }

    Observations failing(int n, Duration d, FailureKind kind) {
        last.failures = n;
        last.failingOver = d;
        last.failureKind = kind;
        return this;
    }

    /** The last probes failed with these kinds, oldest first, spanning {@code d} from the last answer. */
    Observations failing(Duration d, FailureKind... kinds) {
        failing(kinds.length, d, kinds[0]);
        last.failureKinds = List.of(kinds);
        return this;
    }

    /** The latest probe of this node failed (TIMEOUT). */
    Observations unreachable() {
        return unreachable(FailureKind.TIMEOUT);
    }

    Observations unreachable(FailureKind kind) {
        last.latestFailure = kind;
        return this;
    }

    /** The latest observation is this old (the node's probes stopped coming back). */
    Observations staleBy(Duration age) {
        last.staleBy = age;
        return this;
    }

    /** Latest observation: the replica's stream is down (it was streaming before). */
    Observations notStreaming() {
        last.latestNotReceiving = true;
        return this;
    }

    /** Latest observation: the replica reports no replication stream at all (PostgreSQL's receiver row gone). */
    Observations noStream() {
        last.latestNoStream = true;
        return this;
    }

    /** Also seen with its stream down this long before now (an extra observation, between the rounds). */
    Observations lostStreamAgo(Duration ago) {
        last.lostAgo = Optional.of(ago);
        return this;
    }

    /** Never seen streaming in the whole history. */
    Observations neverStreaming() {
        last.neverReceiving = true;
        return this;
    }

    /**
     * Not receiving in any round, its last contact with its upstream {@code ago} before now (PostgreSQL's
     * {@code last_msg_receipt_time}): a replica whose stream broke long before.
     */
    Observations stoppedReceiving(Duration ago) {
        last.neverReceiving = true;
        last.lastContactAgo = Optional.of(ago);
        return this;
    }

    /** Every round failed (REFUSED): a primary these rounds never saw answer, as after a kill -9 before the command. */
    Observations downThroughout() {
        last.downThroughout = true;
        return this;
    }

    Observations streamingFrom(String node) {
        last.upstream = Optional.of(node);
        return this;
    }

    /** The replica reports an upstream address that is no configured node (a proxy). */
    Observations streamingVia(String host, int port) {
        last.upstreamAddress = Optional.of(new Object[] {host, port});
        return this;
    }

    Observations replayPaused() {
        last.applying = false;
        return this;
    }

    /** Latest observation: a primary that answers read-only (fenced, or demoted). */
    Observations readOnly() {
        last.latestReadOnly = true;
        return this;
    }

    // ---- results

    Instant now() {
        return now;
    }

    ClusterSpec spec() {
        var policy = new FailoverPolicy(mode, interval, Duration.ofMillis(800), threshold, window, maxLagBytes,
                maxLagTime, prefer, allowed, cooldownLength);
        var specs = nodes.values().stream().map(n -> new NodeSpec(new NodeName(n.name), n.host(), n.port(), n.region,
                n.priority, n.noFailover)).toList();
        return new ClusterSpec(new ClusterName(name), engine,
                new Credentials("drctl", Optional.of(new SecretRef.Env("PASSWORD"))), specs, policy, Optional.empty());
    }

    Cooldown cooldown() {
        return new Cooldown(failedOverAgo.map(now::minus), cooldownLength);
    }

    /** What the store remembers: only the last failover, for the cooldown. */
    ClusterMemory memory() {
        return new ClusterMemory(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0,
                failedOverAgo.map(now::minus));
    }

    FailoverMode failoverMode() {
        return mode;
    }

    ClusterHistory history() {
        var byNode = new LinkedHashMap<NodeName, List<NodeObservation>>();
        for (var n : nodes.values()) {
            byNode.put(new NodeName(n.name), n.observations());
        }
        return new ClusterHistory(spec(), byNode);
    }

    private DataPosition parse(String text, int timeline) {
        return switch (engine) {
            case POSTGRESQL -> DataPosition.PgLsn.parse(timeline, text);
            case MYSQL -> new DataPosition.MysqlGtidSet(text);
            case MARIADB -> new DataPosition.MariadbGtidPos(text);
        };
    }

    private String defaultPosition() {
        return switch (engine) {
            case POSTGRESQL -> "0/3000000";
            case MYSQL -> "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100";
            case MARIADB -> "0-1-100";
        };
    }

    private static String detail(FailureKind kind) {
        return switch (kind) {
            case REFUSED -> "connection refused";
            case TIMEOUT -> "no answer within 800ms";
            case AUTH -> "password authentication failed for user \"drctl\"";
            case BUSY -> "FATAL: sorry, too many clients already";
            case OTHER -> "FATAL: unsupported frontend protocol";
        };
    }

    private final class Node {
        final String name;
        final Role role;
        final int index;
        String region = "ap-south-1";
        int priority = 0;
        boolean noFailover;
        String position = "";
        int timeline = 1;
        Lag lag = Lag.none();
        int failures;
        Duration failingOver = Duration.ZERO;
        FailureKind failureKind = FailureKind.REFUSED;
        List<FailureKind> failureKinds = List.of();
        FailureKind latestFailure;
        Duration staleBy = Duration.ZERO;
        boolean latestNotReceiving;
        boolean latestNoStream;
        boolean neverReceiving;
        boolean applying = true;
        boolean latestReadOnly;
        Optional<String> upstream = Optional.empty();
        Optional<Object[]> upstreamAddress = Optional.empty();
        Optional<Duration> lastContactAgo = Optional.empty();
        Optional<Duration> lostAgo = Optional.empty();
        boolean downThroughout;

        Node(String name, Role role, int index) {
            this.name = name;
            this.role = role;
            this.index = index;
        }

        String host() {
            return name + ".db.internal";
        }

        int port() {
            return engine == Engine.POSTGRESQL ? 5432 : 3306;
        }

        Optional<DataPosition> dataPosition() {
            if (position == null) {
                return Optional.empty();
            }
            return Optional.of(parse(position.isEmpty() ? defaultPosition() : position, timeline));
        }

        ProbeOutcome.Reached reached(boolean latest) {
            if (role == Role.PRIMARY) {
                return new ProbeOutcome.Reached(Role.PRIMARY, !(latest && latestReadOnly), dataPosition(),
                        dataPosition(), Lag.none(), Optional.empty(), "16.4");
            }
            Optional<ReplicationStream> stream;
            if (latest && latestNoStream) {
                stream = Optional.empty();
            } else {
                boolean receiving = !neverReceiving && !(latest && latestNotReceiving);
                Optional<String> host;
                Optional<Integer> port;
                if (upstreamAddress.isPresent()) {
                    host = Optional.of((String) upstreamAddress.get()[0]);
                    port = Optional.of((Integer) upstreamAddress.get()[1]);
                } else if (upstream.isPresent() || firstPrimary != null) {
                    var from = nodes.get(upstream.orElse(firstPrimary));
                    host = Optional.of(from.host());
                    port = Optional.of(from.port());
                } else {
                    host = Optional.empty();
                    port = Optional.empty();
                }
                stream = Optional.of(new ReplicationStream(receiving, applying, host, port,
                        receiving ? Optional.empty() : Optional.of("could not receive data from WAL stream"),
                        lastContactAgo.map(now::minus)));
            }
            return new ProbeOutcome.Reached(Role.REPLICA, false, dataPosition(), dataPosition(), lag, stream, "16.4");
        }

        List<NodeObservation> observations() {
            var out = new ArrayList<NodeObservation>();
            var node = new NodeName(name);
            var end = now.minus(staleBy);
            var latency = Duration.ofMillis(3);
            if (downThroughout) {
                for (int i = ROUNDS - 1; i >= 0; i--) {
                    out.add(new NodeObservation(node, end.minus(interval.multipliedBy(i)), Duration.ofMillis(800),
                            new ProbeOutcome.Failed(failureKind, detail(failureKind))));
                }
                return out;
            }
            if (failures > 0) {
                var step = failingOver.dividedBy(failures);
                var lastAnswer = end.minus(failingOver);
                for (int i = ROUNDS - 1; i >= 0; i--) {
                    out.add(new NodeObservation(node, lastAnswer.minus(interval.multipliedBy(i)), latency, reached(false)));
                }
                for (int i = 1; i <= failures; i++) {
                    var kind = failureKinds.isEmpty() ? failureKind : failureKinds.get(i - 1);
                    out.add(new NodeObservation(node, lastAnswer.plus(step.multipliedBy(i)), Duration.ofMillis(800),
                            new ProbeOutcome.Failed(kind, detail(kind))));
                }
                return out;
            }
            for (int i = ROUNDS - 1; i >= 0; i--) {
                var at = end.minus(interval.multipliedBy(i));
                boolean latest = i == 0;
                ProbeOutcome outcome = latest && latestFailure != null
                        ? new ProbeOutcome.Failed(latestFailure, detail(latestFailure))
                        : reached(latest);
                out.add(new NodeObservation(node, at, latency, outcome));
            }
            lostAgo.ifPresent(ago -> {
                var at = now.minus(ago);
                var down = new ProbeOutcome.Reached(Role.REPLICA, false, dataPosition(), dataPosition(), lag,
                        Optional.of(new ReplicationStream(false, applying, Optional.empty(), Optional.empty(),
                                Optional.of("could not receive data from WAL stream"), Optional.empty())), "16.4");
                int i = 0;
                while (i < out.size() && !out.get(i).at().isAfter(at)) {
                    i++;
                }
                out.add(i, new NodeObservation(node, at, latency, down));
            });
            return out;
        }
    }
}
