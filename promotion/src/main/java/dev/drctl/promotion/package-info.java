/**
 * Pure analysis (is the primary dead?), ranking (who is best?) and decision, then per-engine promoters in
 * sub-packages. The decision classes import only {@code dev.drctl.topology} and {@code java.*}: no I/O, no clock.
 *
 * <p>The promoter port lives here too, as pure types: {@link dev.drctl.promotion.Promoter} (the contract),
 * {@link dev.drctl.promotion.ActionOutcome}, {@link dev.drctl.promotion.PositionReading},
 * {@link dev.drctl.promotion.ErrantCheck}, {@link dev.drctl.promotion.RejoinContext},
 * {@link dev.drctl.promotion.PromoterTimeouts}, {@link dev.drctl.promotion.Login}; the JDBC adapters are in
 * {@code dev.drctl.promotion.postgres} and {@code dev.drctl.promotion.mysql}, their shared plumbing in
 * {@code dev.drctl.promotion.jdbc}. Nothing here imports {@code java.sql} or a driver.
 */
package dev.drctl.promotion;
