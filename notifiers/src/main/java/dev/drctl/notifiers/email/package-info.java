/**
 * Email delivery: {@link dev.drctl.notifiers.email.EmailNotifier} over SMTP with Jakarta Mail (Eclipse Angus).
 * Imports {@code dev.drctl.notifiers} (the port) and {@code dev.drctl.topology}; never the store, runbooks or cli.
 */
package dev.drctl.notifiers.email;
