/**
 * Pure analysis (is the primary dead?), ranking (who is best?) and decision, then per-engine promoters in
 * sub-packages. The decision classes import only {@code dev.drctl.topology} and {@code java.*}: no I/O, no clock
 * (enforced by {@code DecisionImportsTest}).
 *
 * <p>{@link dev.drctl.promotion.DecisionPipeline#assess} is the one entry point every command, the daemon and the
 * drills call: observations + {@code ClusterMemory} + a typed {@link dev.drctl.promotion.Request} (automatic, manual
 * failover, switchover, look) → {@link dev.drctl.promotion.Assessment} (verdict, ranking, decision with its
 * {@link dev.drctl.promotion.DataLoss} figures, outage start). Its steps, each a static pure function with "now"
 * passed in:
 * {@link dev.drctl.promotion.ClusterAnalyzer#analyze} (history → {@link dev.drctl.promotion.ClusterVerdict}),
 * {@link dev.drctl.promotion.ReplicaRanker#rank} (history + failed primary → {@link dev.drctl.promotion.ReplicaRanking}),
 * {@link dev.drctl.promotion.FailoverDecider#decide} (verdict + ranking + {@link dev.drctl.promotion.Cooldown} + mode →
 * {@link dev.drctl.promotion.FailoverDecision}). {@link dev.drctl.promotion.Detector} runs them on every probe round,
 * keeps the cooldown as data and emits {@link dev.drctl.promotion.DetectorEvent}s on change only;
 * {@link dev.drctl.promotion.DecisionReport} renders the lot as text.
 *
 * <p>The promoter port lives here too, as pure types: {@link dev.drctl.promotion.Promoter} (the contract),
 * {@link dev.drctl.promotion.ActionOutcome}, {@link dev.drctl.promotion.PositionReading},
 * {@link dev.drctl.promotion.ErrantCheck}, {@link dev.drctl.promotion.RejoinContext},
 * {@link dev.drctl.promotion.PromoterTimeouts}, {@link dev.drctl.promotion.Login}; the JDBC adapters are in
 * {@code dev.drctl.promotion.postgres} and {@code dev.drctl.promotion.mysql}, their shared plumbing in
 * {@code dev.drctl.promotion.jdbc}. Nothing here imports {@code java.sql} or a driver.
 */
package dev.drctl.promotion;
