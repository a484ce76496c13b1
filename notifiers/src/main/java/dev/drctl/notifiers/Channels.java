package dev.drctl.notifiers;

import dev.drctl.notifiers.email.EmailNotifier;
import dev.drctl.notifiers.webhook.WebhookNotifier;
import dev.drctl.topology.NotificationsSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configured channels, by the name outbox rows carry: {@code email}, and {@code webhook:<id>} per webhook,
 * where the id is the first 12 hex digits of the URL's SHA-256 (stable while the URL is; the URL itself is
 * often a credential and is never stored in the outbox or the journal).
 */
public final class Channels {
    public static final String EMAIL = "email";
    /** The audience column of webhook rows: a webhook hears every kind. */
    public static final String WEBHOOK_AUDIENCE = "all";

    private Channels() {
    }

    public static String webhookChannel(String url) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return "webhook:" + HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /**
     * Builds a notifier for every configured channel, resolving their secrets now.
     *
     * @throws dev.drctl.topology.DrctlException when a secret reference cannot be resolved (exit 2)
     */
    public static Map<String, Notifier> configured(NotificationsSpec spec, Map<String, String> environment) {
        var out = new LinkedHashMap<String, Notifier>();
        spec.email().ifPresent(e -> out.put(EMAIL, new EmailNotifier(e, environment, EmailNotifier.Timeouts.defaults())));
        var client = WebhookNotifier.client(Duration.ofSeconds(10));
        for (var webhook : spec.webhooks()) {
            out.put(webhookChannel(webhook.url()), new WebhookNotifier(webhook, environment, client, Duration.ofSeconds(30)));
        }
        return out;
    }
}
