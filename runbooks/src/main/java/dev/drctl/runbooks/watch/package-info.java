/**
 * The supervision loop of {@code drctl run}: one {@link dev.drctl.runbooks.watch.ClusterWatch} per cluster turns each
 * probe round into the one decision pipeline's assessment and acts on it by the cluster's failover mode (a failover
 * runbook, a page, a journaled plan), fences a returning old primary, tells replica problems once each way, and
 * consults the automation brakes before any automatic action. It decides nothing of its own: the verdicts and
 * decisions are {@link dev.drctl.promotion.DecisionPipeline}'s; the runbooks run through an injected
 * {@link dev.drctl.runbooks.watch.RunbookLauncher}.
 */
package dev.drctl.runbooks.watch;
