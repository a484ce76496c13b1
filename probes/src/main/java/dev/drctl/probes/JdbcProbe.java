package dev.drctl.probes;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every JDBC probe shares: a tiny HikariCP pool per node, the hard deadline, and the naming of
 * failures. A vendor subclass gives the URL, the driver's timeout properties, and the queries that
 * turn a connection into a {@link ProbeOutcome.Reached}.
 *
 * <p>The deadline is enforced four ways, because each alone has a hole: the driver's connect timeout
 * (a SYN that is never answered), its socket timeout (a server that accepts and then says nothing),
 * a server-side statement timeout where the engine has one (a query stuck on a lock), and an outer
 * deadline on the call itself (everything else, including a pool that cannot hand out a connection):
 * the JDBC work runs on a virtual thread, and at the deadline the caller stops waiting, interrupts it
 * (which closes a virtual thread's blocked socket) and evicts its connection.
 */
public abstract class JdbcProbe implements Probe {
    private static final Logger log = LoggerFactory.getLogger(JdbcProbe.class);
    /** HikariCP refuses a connection timeout below 250 ms. */
    private static final Duration POOL_FLOOR = Duration.ofMillis(250);
    /**
     * One housekeeping thread for every probe pool in the process. Left to itself each HikariCP pool starts a
     * platform thread of its own: at thousands of nodes that was thousands of threads doing a few microseconds of work
     * every 30 s. The thread starts with the first pool; cancelled tasks of closed pools are dropped at once.
     */
    private static final ScheduledThreadPoolExecutor HOUSEKEEPING = housekeeping();
    /** The pools' connection adders and closers: virtual, short-lived, none kept per node. */
    private static final ThreadFactory POOL_THREADS = Thread.ofVirtual().name("drctl-probe-pool-", 0).factory();

    private final ClusterSpec cluster;
    private final String user;
    private final String password;
    private final Clock clock;
    private final Duration timeout;
    private final Duration connectBudget;
    private final Duration firstConnectBudget;
    /** Nodes that have let drctl in at least once in this process: their connections get the shorter budget. */
    private final Set<NodeName> answered = ConcurrentHashMap.newKeySet();
    /**
     * Nodes whose latest probe failed: their next probe connects through the driver directly, not the pool. The pool
     * reports a failed connect only when its wait ends (three quarters of probe-timeout), while the driver says
     * "refused" the moment the host does: the difference is most of the time a dead primary takes to confirm.
     */
    private final Set<NodeName> failing = ConcurrentHashMap.newKeySet();
    private final Thread warmingUp;
    private final Map<NodeName, HikariDataSource> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @throws dev.drctl.topology.DrctlException when the password reference cannot be resolved
     */
    protected JdbcProbe(ClusterSpec cluster, Map<String, String> environment, Clock clock) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.user = cluster.credentials().user();
        this.password = cluster.credentials().password().map(ref -> ref.resolve(environment)).orElse(null);
        this.timeout = cluster.failover().probeTimeout();
        this.connectBudget = connectBudget(timeout);
        this.firstConnectBudget = firstConnectBudget(timeout);
        var engine = cluster.engine();
        this.warmingUp = Thread.ofVirtual().name("drctl-probe-warm-up-" + cluster.name())
                .start(() -> prepare(driverClassName(), engine));
        // Pools start now, outside any probe's deadline: class loading and the first connection of a cold
        // JVM can take a good part of an 800 ms budget on a busy machine, and would read as a timeout.
        for (var node : cluster.nodes()) {
            pools.put(node.name(), pool(node));
        }
    }

    // The four methods below are called from this class's constructor: implementations must be
    // stateless (they are: constants and the node or timeout given).

    /** The JDBC URL of {@code node}, without credentials. */
    protected abstract String jdbcUrl(NodeSpec node);

    /** The driver class to load. */
    protected abstract String driverClassName();

    /**
     * Driver properties that bound connect and read times by {@code timeout}: the first-connection
     * budget, the longest, since a driver's socket timeout also covers the login exchange. The outer
     * deadlines hold later connections to the connect budget and the queries to {@code probe-timeout}.
     */
    protected abstract Properties driverProperties(Duration timeout);

    /** Reads what the server says about itself over {@code connection}; may throw, never hangs past the socket timeout. */
    protected abstract ProbeOutcome.Reached observe(Connection connection) throws SQLException;

    /** The cluster this probe serves. */
    protected final ClusterSpec cluster() {
        return cluster;
    }

    /**
     * The time a probe may spend getting a connection before its queries start: twice
     * {@code probe-timeout}, at least one second. Separate from the query budget because on a cold or
     * busy host the first connection costs drctl far more than the database; bounded because a node
     * that accepts TCP and never answers must still fail in bounded time.
     */
    public static Duration connectBudget(Duration probeTimeout) {
        // Arithmetic on nanoseconds: Duration's own multipliedBy and dividedBy go through BigDecimal, whose first use
        // costs a one-shot command's start some 20 ms.
        return max(Duration.ofNanos(probeTimeout.toNanos() * 2), Duration.ofSeconds(1));
    }

    /**
     * The connect budget of a node that has never let drctl in during this process: five seconds, or the
     * connect budget when that is longer.
     */
    public static Duration firstConnectBudget(Duration probeTimeout) {
        return max(connectBudget(probeTimeout), Duration.ofSeconds(5));
    }

    @Override
    public void warmUp() {
        try {
            warmingUp.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Loads and initialises the driver, its connection and query path, and the JDK's hashing for the
     * login (SCRAM-SHA-256 is PBKDF2 and HMAC; MySQL's caching_sha2 and native passwords are SHA-2/SHA-1).
     * Best effort: a class missing from another driver version only means less is warmed.
     */
    private static void prepare(String driver, Engine engine) {
        var loader = JdbcProbe.class.getClassLoader();
        var classes = switch (engine) {
            case POSTGRESQL -> List.of(driver, "org.postgresql.jdbc.PgConnection", "org.postgresql.core.PGStream",
                    "org.postgresql.core.v3.ConnectionFactoryImpl", "org.postgresql.core.v3.QueryExecutorImpl",
                    "org.postgresql.core.v3.ScramAuthenticator",
                    "org.postgresql.shaded.com.ongres.scram.client.ScramClient",
                    "org.postgresql.jdbc.PgStatement", "org.postgresql.jdbc.PgResultSet");
            case MYSQL, MARIADB -> List.of(driver, "com.mysql.cj.jdbc.ConnectionImpl", "com.mysql.cj.NativeSession",
                    "com.mysql.cj.protocol.a.NativeProtocol", "com.mysql.cj.protocol.a.NativeAuthenticationProvider",
                    "com.mysql.cj.protocol.a.authentication.CachingSha2PasswordPlugin",
                    "com.mysql.cj.protocol.a.authentication.MysqlNativePasswordPlugin",
                    "com.mysql.cj.jdbc.StatementImpl", "com.mysql.cj.jdbc.result.ResultSetImpl");
        };
        for (var name : classes) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                log.debug("probe warm-up: {} not loaded: {}", name, e.toString());
            }
        }
        try {
            var salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            // One iteration loads and initialises what PostgreSQL's 4096 will use. Running all 4096 here would cost a
            // one-shot command a login's worth of CPU more, for a JIT benefit the login (covered by the connect
            // budget, not the query budget) does not need.
            SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec("warm-up".toCharArray(), salt, 1, 256));
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            mac.doFinal(salt);
            MessageDigest.getInstance("SHA-256").digest(salt);
            MessageDigest.getInstance("SHA-1").digest(salt);
        } catch (GeneralSecurityException e) {
            log.debug("probe warm-up: hashing not prepared: {}", e.toString());
        }
    }

    @Override
    public final NodeObservation probe(NodeSpec node) {
        var at = clock.instant();
        long start = System.nanoTime();
        var outcome = outcome(node, start);
        if (outcome instanceof ProbeOutcome.Failed) {
            failing.add(node.name());
        } else {
            failing.remove(node.name());
        }
        var latency = Duration.ofNanos(System.nanoTime() - start);
        log.debug("probe {}/{}: {} in {} ms", cluster.name(), node.name(), outcome, latency.toMillis());
        return new NodeObservation(node.name(), at, latency, outcome);
    }

    private ProbeOutcome outcome(NodeSpec node, long start) {
        if (closed) {
            return new ProbeOutcome.Failed(FailureKind.OTHER, "probe closed");
        }
        HikariDataSource pool;
        try {
            pool = pools.computeIfAbsent(node.name(), n -> pool(node));
        } catch (RuntimeException e) {
            return FailureClassification.classify(e, node.address());
        }
        if (closed) {
            // Raced with close(): do not leave a pool behind it.
            pool.close();
            return new ProbeOutcome.Failed(FailureKind.OTHER, "probe closed");
        }
        var borrowed = new AtomicReference<Connection>();
        var connectedAt = new AtomicLong();
        var budget = answered.contains(node.name()) ? connectBudget : firstConnectBudget;
        long connectDeadline = start + budget.toNanos();
        // Completes when the worker holds a connection, or has ended without one (refused, rejected).
        var connectPhase = new CompletableFuture<Void>();
        boolean direct = failing.contains(node.name());
        var work = new FutureTask<ProbeOutcome>(() -> {
            try (var connection = direct ? connectDirectly(node, budget) : acquire(pool, node, connectDeadline)) {
                answered.add(node.name());
                borrowed.set(connection);
                connectedAt.set(System.nanoTime());
                connectPhase.complete(null);
                return observe(connection);
            }
        }) {
            @Override
            protected void done() {
                connectPhase.complete(null);
            }
        };
        var worker = Thread.ofVirtual().name("probe-" + cluster.name() + "-" + node.name()).start(work);
        try {
            try {
                connectPhase.get(Math.max(connectDeadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                abandon(work, worker, pool, borrowed.get());
                return new ProbeOutcome.Failed(FailureKind.TIMEOUT,
                        "could not connect to " + node.address() + " within " + budget.toMillis() + " ms");
            }
            // The query budget starts when the connection is in hand; when the worker already ended,
            // the get below returns at once.
            long queryStart = borrowed.get() == null ? System.nanoTime() : connectedAt.get();
            long left = timeout.toNanos() - (System.nanoTime() - queryStart);
            return work.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(work, worker, pool, borrowed.get());
            return new ProbeOutcome.Failed(FailureKind.TIMEOUT,
                    "no answer from " + node.address() + " within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return FailureClassification.classify(e.getCause(), node.address());
        } catch (InterruptedException e) {
            abandon(work, worker, pool, borrowed.get());
            Thread.currentThread().interrupt();
            return new ProbeOutcome.Failed(FailureKind.OTHER, "probe of " + node.address() + " interrupted");
        }
    }

    /**
     * A connection from the pool, waiting past one pool wait while the pool has only timed out (no
     * answer yet: a slow first login) and the deadline allows; a refusal or a rejected login ends the
     * wait at once, since that is the node's answer.
     */
    private static Connection acquire(HikariDataSource pool, NodeSpec node, long deadline) throws SQLException {
        while (true) {
            try {
                return pool.getConnection();
            } catch (SQLTransientConnectionException e) {
                boolean stillConnecting = FailureClassification.classify(e, node.address()).kind() == FailureKind.TIMEOUT;
                if (!stillConnecting || System.nanoTime() >= deadline || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
            }
        }
    }

    /**
     * A connection of its own, through the driver, with the pool's properties: for a node whose last probe failed, so a
     * refusal is seen as soon as the host answers it (the outer deadline still bounds a connect that hangs). Closed
     * after the probe; the pool takes over again once the node answers.
     */
    private Connection connectDirectly(NodeSpec node, Duration budget) throws SQLException {
        var props = driverProperties(budget);
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        try {
            var driver = (java.sql.Driver) Class.forName(driverClassName(), true, JdbcProbe.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
            var c = driver.connect(jdbcUrl(node), props);
            if (c == null) {
                throw new SQLException("the driver does not accept " + jdbcUrl(node));
            }
            return c;
        } catch (ReflectiveOperationException e) {
            throw new SQLException("driver " + driverClassName() + " not available", e);
        }
    }

    // The worker may be blocked in a socket read that will never return: interrupting a virtual thread
    // closes that socket; evicting the connection makes sure the pool never hands it out again. Both
    // happen off the caller's thread so the caller returns at its deadline.
    private static void abandon(FutureTask<ProbeOutcome> work, Thread worker, HikariDataSource pool, Connection c) {
        work.cancel(true);
        if (c != null) {
            Thread.ofVirtual().start(() -> {
                try {
                    pool.evictConnection(c);
                } catch (RuntimeException e) {
                    log.debug("evicting an abandoned probe connection failed", e);
                }
            });
        }
        worker.interrupt();
    }

    private HikariDataSource pool(NodeSpec node) {
        var config = new HikariConfig();
        config.setPoolName("drctl-probe-" + cluster.name() + "-" + node.name());
        config.setDriverClassName(driverClassName());
        config.setJdbcUrl(jdbcUrl(node));
        config.setUsername(user);
        if (password != null) {
            config.setPassword(password);
        }
        config.setDataSourceProperties(driverProperties(firstConnectBudget));
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(1);
        // A node that is down when drctl starts is an observation, not a construction failure.
        config.setInitializationFailTimeout(-1);
        // One pool wait is three quarters of the probe timeout: a refused or rejected connection is reported with
        // its cause that soon (the pool only says why when its wait ends, and detection waits on it), while a slow
        // first login is waited for over several pool waits up to the connect budget (acquire).
        var acquire = max(POOL_FLOOR, Duration.ofNanos(timeout.toNanos() * 3 / 4));
        config.setConnectionTimeout(acquire.toMillis());
        config.setValidationTimeout(max(POOL_FLOOR, Duration.ofNanos(timeout.toNanos() / 2)).toMillis());
        // Probes run every probe-interval; the pool's own keepalive would only add traffic.
        config.setKeepaliveTime(0);
        config.setAutoCommit(true);
        config.setRegisterMbeans(false);
        config.setScheduledExecutor(HOUSEKEEPING);
        config.setThreadFactory(POOL_THREADS);
        return new HikariDataSource(config);
    }

    private static ScheduledThreadPoolExecutor housekeeping() {
        var executor = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("drctl-probe-housekeeping")
                .daemon(true).factory());
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Whole seconds, rounded up, for drivers whose timeouts are in seconds (0 would mean "none"). */
    protected static int ceilSeconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /**
     * Closes the pools in parallel: HikariCP waits up to a login timeout for a pending connection
     * attempt to a down node, and one after the other those waits would add up.
     */
    @Override
    public void close() {
        closed = true;
        var closing = pools.values().stream().map(pool -> Thread.ofVirtual().start(pool::close)).toList();
        pools.clear();
        for (var t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
