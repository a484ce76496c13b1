/**
 * The MySQL and MariaDB probe: the version decides the dialect ({@code MysqlFlavor}), then read-only
 * flags, GTID positions and the replica status. Imports {@code dev.drctl.probes} and {@code topology}
 * only; never the PostgreSQL family.
 */
package dev.drctl.probes.mysql;
