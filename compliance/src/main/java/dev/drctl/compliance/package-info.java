/**
 * The state store (Flyway migrations on SQLite or PostgreSQL), the hash-chained audit journal, and the
 * reports auditors read. Depends on {@code topology} only.
 */
package dev.drctl.compliance;
