/**
 * The PostgreSQL promoter: fencing by {@code default_transaction_read_only}, {@code pg_promote}, re-pointing by
 * {@code ALTER SYSTEM SET primary_conninfo} (PostgreSQL 13 or later), and the {@code pg_rewind} rejoin. Imports
 * {@code dev.drctl.promotion(.jdbc)}, {@code dev.drctl.topology}, {@code java.*}, slf4j and pgjdbc; never another
 * vendor's package.
 */
package dev.drctl.promotion.postgres;
