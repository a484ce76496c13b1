/**
 * Probes per engine (JDBC, HikariCP pools, hard timeouts), the probe scheduler and the bounded observation
 * history. A failed probe is a value ({@code ProbeOutcome.Failed}), never an exception. Depends on {@code topology} only.
 */
package dev.drctl.probes;
