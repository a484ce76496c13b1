/**
 * What the JDBC promoters share: short-lived connections with connect and socket timeouts, the mapping of
 * {@code SQLException}s to {@link dev.drctl.promotion.ActionOutcome}s, and bounded polling. Imports
 * {@code dev.drctl.promotion}, {@code dev.drctl.topology}, {@code java.*} and slf4j; no driver class.
 */
package dev.drctl.promotion.jdbc;
