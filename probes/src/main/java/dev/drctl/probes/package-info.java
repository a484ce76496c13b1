/**
 * Probes per engine (JDBC, HikariCP pools, hard timeouts), the probe scheduler and the bounded observation
 * history. A failed probe is a value ({@code ProbeOutcome.Failed}), never an exception.
 *
 * <p>Owns the {@code Probe} port and what every JDBC probe shares ({@code JdbcProbe},
 * {@code FailureClassification}); the vendor sub-packages {@code postgres} and {@code mysql} hold the
 * adapters, and {@code Probe.forCluster} is the one place that picks an adapter by engine. Depends on
 * {@code topology}, the JDBC drivers and HikariCP only; must never import {@code promotion}, {@code runbooks},
 * {@code cli} or any other module that decides or acts.
 */
package dev.drctl.probes;
