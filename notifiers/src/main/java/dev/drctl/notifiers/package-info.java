/**
 * Notifications: kinds and templates, email (Jakarta Mail) and webhooks, and the sender that drains the durable
 * outbox kept in the state store. Depends on {@code topology} only.
 */
package dev.drctl.notifiers;
