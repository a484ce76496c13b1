package dev.drctl.promotion.jdbc;

import dev.drctl.promotion.ActionOutcome;
import dev.drctl.promotion.Login;
import dev.drctl.promotion.Promoter;
import dev.drctl.promotion.PromoterTimeouts;
import dev.drctl.probes.FailureClassification;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.NodeSpec;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC half every engine's promoter shares. Each operation opens its own connection (a promotion is rare and a
 * pooled connection to a node that just changed role is exactly the stale state to avoid), bounded by
 * {@link PromoterTimeouts#connect()} and a socket timeout, and closes it at the end. An {@link SQLException} never
 * escapes: it becomes {@link ActionOutcome.Unreachable} (nothing answered) or {@link ActionOutcome.Failed}.
 */
public abstract class JdbcPromoter implements Promoter {
    private static final Logger log = LoggerFactory.getLogger(JdbcPromoter.class);
    /** Between the checks of {@link #poll}, which may open a connection each time: these waits last seconds. */
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * Between the checks of {@link #pollSql}: one query on a connection already open, on a failover's or a
     * switchover's critical path (a promotion, a reload taking effect, a replay or a receiver catching up), where a
     * tenth of a second per wait is most of what the step costs.
     */
    private static final Duration SQL_POLL = Duration.ofMillis(20);

    protected final ClusterSpec cluster;
    protected final Login login;
    protected final PromoterTimeouts timeouts;
    /**
     * The cluster's {@code replication:} account, resolved: what replicas are told to stream as. Empty: each replica
     * keeps the account and password source it has; drctl's own login is never written into a replica.
     */
    protected final Optional<Login> replication;
    private volatile boolean closed;

    protected JdbcPromoter(ClusterSpec cluster, Login login, Optional<Login> replication, PromoterTimeouts timeouts) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.login = Objects.requireNonNull(login, "login");
        this.replication = Objects.requireNonNull(replication, "replication");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    /** A new connection to {@code node} as the cluster user; reads block at most {@code socketTimeout}. */
    protected abstract Connection connect(NodeSpec node, Duration socketTimeout) throws SQLException;

    /** Work done over one connection; may throw, the caller maps it. */
    @FunctionalInterface
    protected interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** {@link #act(NodeSpec, String, Duration, Work)} with the statement timeout. */
    protected final ActionOutcome act(NodeSpec node, String what, Work<ActionOutcome> work) {
        return act(node, what, timeouts.statement(), work);
    }

    /**
     * Runs {@code work} over a new connection to {@code node}; a connection that cannot be opened is
     * {@link ActionOutcome.Unreachable} (or {@link ActionOutcome.Failed} when the server answered, e.g. bad
     * credentials), an error during the work is {@link ActionOutcome.Failed}.
     */
    protected final ActionOutcome act(NodeSpec node, String what, Duration socketTimeout, Work<ActionOutcome> work) {
        return session(node, what, socketTimeout, work, failure -> failure);
    }

    /** Like {@link #act} for work that returns another type; failures are turned into that type by {@code onFailure}. */
    protected final <T> T session(NodeSpec node, String what, Duration socketTimeout, Work<T> work,
                                  java.util.function.Function<ActionOutcome, T> onFailure) {
        if (closed) {
            throw new IllegalStateException("promoter of " + cluster.name() + " is closed");
        }
        Connection connection;
        try {
            connection = connect(node, socketTimeout);
        } catch (SQLException e) {
            return onFailure.apply(connectFailure(node, e));
        }
        try (connection) {
            return work.run(connection);
        } catch (SQLException e) {
            log.debug("{} on {} failed", what, node.name(), e);
            return onFailure.apply(failure(node, what, e));
        }
    }

    /**
     * How a failed connection attempt reads, by the one classification the probes use too
     * ({@link FailureClassification}): nothing answered (refused, reset, silent, no such host) is
     * {@link ActionOutcome.Unreachable}; a server that answered is alive, whatever it said: bad credentials, or "too
     * many connections" (an overloaded primary is alive, and a fence must not be skipped for it: two writers).
     */
    static ActionOutcome connectFailure(NodeSpec node, SQLException e) {
        var where = node.name() + " (" + node.address() + ")";
        var kind = FailureClassification.classify(e, node.address()).kind();
        return switch (kind) {
            case REFUSED, TIMEOUT -> new ActionOutcome.Unreachable("nothing answers at " + where + ": " + firstLine(e));
            case AUTH -> new ActionOutcome.Failed("login to " + where + " refused: " + firstLine(e)
                    + "; check the cluster credentials", false);
            case BUSY -> new ActionOutcome.Failed(where + " is alive but has no connection slot free for drctl ("
                    + firstLine(e) + "); it answers, so it is not dead", true);
            // a connection-class state with no telling cause (a driver that lost the socket mid-handshake) is silence
            case OTHER -> refusedOrSilent(e)
                    ? new ActionOutcome.Unreachable("nothing answers at " + where + ": " + firstLine(e))
                    : new ActionOutcome.Failed("cannot connect to " + where + ": " + firstLine(e), true);
        };
    }

    /** How an error during the work reads. */
    static ActionOutcome failure(NodeSpec node, String what, SQLException e) {
        var state = Optional.ofNullable(e.getSQLState()).orElse("");
        var where = node.name() + " (" + node.address() + ")";
        if (e instanceof SQLTimeoutException || state.equals("57014") || causedBy(e, SocketTimeoutException.class)) {
            return new ActionOutcome.Failed(what + " on " + where + " timed out: " + firstLine(e), true);
        }
        if (state.startsWith("08")) {
            return new ActionOutcome.Failed(what + " on " + where + ": connection lost: " + firstLine(e), true);
        }
        if (state.startsWith("42") || state.equals("28000") || e.getErrorCode() == 1227) {
            return new ActionOutcome.Failed(what + " on " + where + " not permitted: " + firstLine(e)
                    + "; the cluster user needs superuser / replication-admin rights", false);
        }
        return new ActionOutcome.Failed(what + " on " + where + " failed: " + firstLine(e), true);
    }

    private static boolean refusedOrSilent(SQLException e) {
        var state = Optional.ofNullable(e.getSQLState()).orElse("");
        return causedBy(e, ConnectException.class) || causedBy(e, SocketTimeoutException.class)
                || causedBy(e, NoRouteToHostException.class) || causedBy(e, UnknownHostException.class)
                || state.equals("08001") || state.equals("08S01") || state.equals("08006");
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (var c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /** The first line of the driver's message: drivers never put the password in it, but multi-line hints add noise. */
    protected static String firstLine(Throwable e) {
        var m = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
        var nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    /**
     * Polls {@code check} until it yields a value or {@code timeout} passes; an empty answer's reason (from
     * {@code lastReason}) is quoted on time-out by the caller. Polling every 100 ms: these waits last seconds.
     */
    protected static <T> Optional<T> poll(Duration timeout, Supplier<Optional<T>> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var value = check.get();
            if (value.isPresent()) {
                return value;
            }
            if (System.nanoTime() - deadline >= 0) {
                return Optional.empty();
            }
            LockSupport.parkNanos(Math.min(POLL.toNanos(), Math.max(0, deadline - System.nanoTime())));
            if (Thread.currentThread().isInterrupted()) {
                return Optional.empty();
            }
        }
    }

    /** A check run over a connection while polling: a value when the condition holds, empty while it does not. */
    @FunctionalInterface
    protected interface SqlCheck<T> {
        Optional<T> check() throws SQLException;
    }

    /** {@link #poll} for checks that talk to the server (an SQL error ends the wait and propagates). */
    protected static <T> Optional<T> pollSql(Duration timeout, SqlCheck<T> check) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var value = check.check();
            if (value.isPresent() || System.nanoTime() - deadline >= 0) {
                return value;
            }
            LockSupport.parkNanos(Math.min(SQL_POLL.toNanos(), Math.max(0, deadline - System.nanoTime())));
            if (Thread.currentThread().isInterrupted()) {
                return Optional.empty();
            }
        }
    }

    /** Whole seconds, rounded up, at least 1 (for drivers and SQL functions that take seconds). */
    protected static int ceilSeconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** Whether two addresses name the same endpoint (host compared case-insensitively). */
    protected static boolean sameEndpoint(String host, int port, NodeSpec node) {
        return host != null && host.equalsIgnoreCase(node.host()) && port == node.port();
    }

    @Override
    public void close() {
        closed = true;
    }
}
