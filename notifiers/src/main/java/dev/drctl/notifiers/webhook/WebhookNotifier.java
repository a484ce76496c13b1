package dev.drctl.notifiers.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drctl.notifiers.Delivery;
import dev.drctl.notifiers.Notifier;
import dev.drctl.notifiers.OutboundMessage;
import dev.drctl.topology.NotificationsSpec.WebhookSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A webhook over HTTPS with the JDK client. Format {@code slack}: an incoming-webhook body ({@code text} plus
 * {@code blocks}). Format {@code json}: drctl's own document, signed with {@link WebhookSignature} when a secret is
 * configured. Every request carries {@code X-Drctl-Delivery: <outbox id>}, the same on every retry, for the
 * receiver to deduplicate on. 2xx is delivered; 408, 425, 429 and 5xx are retried; other 4xx are given up.
 * The URL is never logged or put in an error (Slack's carries its credential): only its host.
 */
public final class WebhookNotifier implements Notifier {
    public static final String DELIVERY_HEADER = "X-Drctl-Delivery";
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int SLACK_TEXT_LIMIT = 2900;

    private final WebhookSpec spec;
    private final URI uri;
    private final Optional<String> secret;
    private final HttpClient client;
    private final Duration requestTimeout;

    /**
     * @param client         built with a connect timeout; shared by all webhooks
     * @param requestTimeout how long one request may take, headers to body
     * @throws dev.drctl.topology.DrctlException when the secret reference cannot be resolved (exit 2)
     */
    public WebhookNotifier(WebhookSpec spec, Map<String, String> environment, HttpClient client, Duration requestTimeout) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.uri = URI.create(spec.url());
        this.secret = spec.secret().map(s -> s.resolve(environment));
        this.client = Objects.requireNonNull(client, "client");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** A client for webhooks: HTTP/1.1 or 2, no redirects (a redirected POST could leak the body elsewhere). */
    public static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Delivery deliver(OutboundMessage m) {
        var body = body(m).getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "drctl")
                .header(DELIVERY_HEADER, m.id())
                .header("X-Drctl-Kind", m.kind().name());
        secret.ifPresent(s -> request.header(WebhookSignature.HEADER, WebhookSignature.sign(s, body)));
        try {
            var response = client.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Delivery.Delivered(Optional.of(m.id()));
            }
            boolean retry = status == 408 || status == 425 || status == 429 || status >= 500;
            return new Delivery.Failed("webhook " + uri.getHost() + ": HTTP " + status, !retry);
        } catch (HttpTimeoutException e) {
            return new Delivery.Failed("webhook " + uri.getHost() + ": no answer within " + requestTimeout, false);
        } catch (IOException e) {
            return new Delivery.Failed("webhook " + uri.getHost() + ": " + e.getClass().getSimpleName()
                    + Optional.ofNullable(e.getMessage()).map(s -> " " + s).orElse(""), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Failed("webhook " + uri.getHost() + ": interrupted (drctl is stopping)", false);
        }
    }

    String body(OutboundMessage m) {
        return switch (spec.format()) {
            case "slack" -> slack(m);
            default -> json(m);
        };
    }

    private static String json(OutboundMessage m) {
        var o = JSON.createObjectNode();
        o.put("id", m.id());
        o.put("kind", m.kind().name());
        o.put("severity", m.kind().severity().name());
        m.cluster().ifPresent(c -> o.put("cluster", c));
        o.put("incident", m.incident());
        o.put("occurredAt", m.occurredAt().toString());
        o.put("subject", m.content().subject());
        m.headline().ifPresent(h -> o.put("headline", h));
        o.put("text", m.content().text());
        var journal = o.putObject("journal");
        journal.put("seq", m.journal().seq());
        journal.put("hash", m.journal().hash());
        return o.toString();
    }

    private static String slack(OutboundMessage m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("text", m.content().subject());
        var blocks = o.putArray("blocks");
        var header = blocks.addObject();
        header.put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", clip(m.content().subject(), 150));
        var section = blocks.addObject();
        section.put("type", "section");
        section.putObject("text").put("type", "mrkdwn")
                .put("text", "```" + escape(clip(m.content().text(), SLACK_TEXT_LIMIT)) + "```");
        var context = blocks.addObject();
        context.put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn").put("text",
                "incident `" + escape(m.incident()) + "` · journal #" + m.journal().seq() + " `"
                        + m.journal().shortHash() + "`");
        return o.toString();
    }

    /** Slack's mrkdwn treats &, < and > as control characters. */
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    @Override
    public String describe() {
        return "webhook (" + spec.format() + ") to " + uri.getHost();
    }
}
