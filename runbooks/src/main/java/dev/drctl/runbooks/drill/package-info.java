/**
 * DR drills: a disposable environment shaped like a configured cluster ({@link dev.drctl.runbooks.drill.DrillEnvironment}),
 * a writer workload that records every acknowledged write, the injected failure, and the measurement of what the real
 * supervision ({@link dev.drctl.runbooks.drill.DrillActor}: the daemon's detector, decision pipeline and failover
 * runbook, nothing drill-specific) did about it: detection, decision, promotion, DNS, first write (RTO) and the
 * acknowledged writes lost (RPO, by id). The judgement against the targets ({@link dev.drctl.runbooks.drill.DrillJudge})
 * and the schedule ({@link dev.drctl.runbooks.drill.DueDrills}) are pure functions.
 */
package dev.drctl.runbooks.drill;
