/**
 * The PostgreSQL probe: what {@code pg_is_in_recovery()}, the WAL functions and
 * {@code pg_stat_wal_receiver} say about a server. Imports {@code dev.drctl.probes} and
 * {@code topology} only; never the MySQL family.
 */
package dev.drctl.probes.postgres;
