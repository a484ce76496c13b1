/**
 * What the daemon does between probe rounds, by itself: the supervision loop and its brakes. {@link
 * dev.drctl.runbooks.watch.AutomationBrakes} says whether automation may act on a cluster now (maintenance mode, the
 * cooldown after a failover, the global circuit breaker), from the store only; {@link
 * dev.drctl.runbooks.watch.DrillCompliance} raises COMPLIANCE_OVERDUE when a cluster's last successful drill is older
 * than {@code drill-every}.
 */
package dev.drctl.runbooks.watch;
