/**
 * The MySQL 8 and MariaDB promoters: fencing by {@code super_read_only}/{@code read_only} and killing client
 * connections, applying the relay log before promotion, GTID re-pointing, the GTID rejoin with its errant-transaction
 * refusal, and the per-version statement choice ({@link dev.drctl.promotion.mysql.ReplicationDialect}). Imports
 * {@code dev.drctl.promotion(.jdbc)}, {@code dev.drctl.topology}, {@code java.*}, slf4j and mysql-connector-j;
 * never another vendor's package.
 */
package dev.drctl.promotion.mysql;
