/**
 * The step engine and the built-in runbooks (failover, switchover, drill): every step journaled write-ahead,
 * resumable after a crash. The only place that turns a decision into side effects.
 */
package dev.drctl.runbooks;
