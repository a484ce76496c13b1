package dev.drctl.probes;

import dev.drctl.probes.mysql.MysqlProbe;
import dev.drctl.probes.postgres.PostgresProbe;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.NodeSpec;
import java.time.Clock;
import java.util.Map;

/**
 * Asks one database server what it is and how far its data goes. One instance serves the nodes of
 * one cluster (its engine, account and probe timeout).
 *
 * <p>Contract:
 * <ul>
 *   <li>Never throws for anything a server does or fails to do: refused, reset, hung, bad
 *       credentials, an error in a query all come back as {@code ProbeOutcome.Failed} with its
 *       {@link dev.drctl.topology.FailureKind}.</li>
 *   <li>Hard bound: a call returns within a connect budget (getting a connection: TCP, TLS,
 *       login; see {@link JdbcProbe#connectBudget} and, for a node that never let drctl in,
 *       {@link JdbcProbe#firstConnectBudget}) plus the cluster's {@code probe-timeout} (the
 *       queries) plus a few milliseconds of bookkeeping, whatever the server does. The work runs on a virtual thread
 *       that is abandoned (interrupted, its connection evicted) at the deadline.</li>
 *   <li>Safe to call concurrently, for the same or different nodes; read-only on the server; safe
 *       to retry.</li>
 *   <li>The password is resolved once, at construction, and never appears in a log line, a
 *       detail message or a URL.</li>
 * </ul>
 */
public interface Probe extends AutoCloseable {

    /** Probes {@code node} once; see the contract above. */
    NodeObservation probe(NodeSpec node);

    /**
     * Gets ready for a timed round: loads and initialises what the first probe would otherwise load
     * inside its budget (driver, authentication and hashing classes). Not timed, safe to call more than
     * once and concurrently; a probe with nothing to prepare does nothing.
     */
    default void warmUp() {
    }

    /** Closes every connection pool; later probes answer {@code Failed(OTHER, "probe closed")}. */
    @Override
    void close();

    /**
     * The probe for a cluster's engine.
     *
     * @param environment where {@code ${env:…}} secret references are looked up
     * @param clock       stamps each observation
     * @throws dev.drctl.topology.DrctlException when the password reference cannot be resolved
     */
    static Probe forCluster(ClusterSpec cluster, Map<String, String> environment, Clock clock) {
        return switch (cluster.engine()) {
            case POSTGRESQL -> new PostgresProbe(cluster, environment, clock);
            case MYSQL, MARIADB -> new MysqlProbe(cluster, environment, clock);
        };
    }
}
