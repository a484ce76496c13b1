/**
 * Webhook delivery with the JDK HTTP client: {@link dev.drctl.notifiers.webhook.WebhookNotifier} (Slack or
 * signed JSON) and its {@link dev.drctl.notifiers.webhook.WebhookSignature}. Imports {@code dev.drctl.notifiers}
 * (the port) and {@code dev.drctl.topology}; never the store, runbooks or cli.
 */
package dev.drctl.notifiers.webhook;
