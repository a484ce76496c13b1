/**
 * The state store and the tamper-evident audit journal: Flyway-managed schema on SQLite (embedded
 * default) or PostgreSQL (shared by daemons), the hash-chained {@link dev.drctl.compliance.Journal},
 * its verification, retention purge, run records, the notification outbox table, per-cluster state,
 * and the audit exports (CSV, JSON, the HTML compliance report).
 *
 * <p>Depends on {@code dev.drctl.topology}, JDBC drivers, Flyway and Jackson only; it must never import
 * probes, promotion, runbooks, notifiers, dns or cli. Nothing here ever writes a resolved secret.
 */
package dev.drctl.compliance;
