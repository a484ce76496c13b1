/**
 * Notifications (safety rule 9): the kinds and their templates ({@link dev.drctl.notifiers.Notifications},
 * {@link dev.drctl.notifiers.Templates}), routing to audiences, the durable outbox
 * ({@link dev.drctl.notifiers.Outbox} writes, {@link dev.drctl.notifiers.OutboxSender} delivers) and the
 * {@link dev.drctl.notifiers.Notifier} port, with email and webhook adapters in sub-packages.
 *
 * <p>Depends on {@code dev.drctl.topology} and {@code dev.drctl.compliance} (the store, journal and outbox
 * table); it must never import probes, promotion, runbooks, dns or cli. Message contents never hold a secret.
 */
package dev.drctl.notifiers;
