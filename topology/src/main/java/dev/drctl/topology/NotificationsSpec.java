package dev.drctl.topology;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who hears about what: an SMTP server, recipients grouped by audience, webhooks, and which
 * audiences each notification kind is routed to (empty = the built-in defaults).
 */
public record NotificationsSpec(
        Optional<EmailSpec> email,
        Map<String, List<String>> audiences,
        List<WebhookSpec> webhooks,
        Map<String, List<String>> routes) {

    public NotificationsSpec {
        Objects.requireNonNull(email, "email");
        audiences = Map.copyOf(audiences);
        webhooks = List.copyOf(webhooks);
        routes = Map.copyOf(routes);
    }

    /**
     * The notification kinds {@code routes} may name, in the spelling used as map keys here (the
     * config also accepts lower case with dashes, e.g. {@code failover-started}).
     */
    public static final List<String> KINDS = List.of("FAILOVER_STARTED", "FAILOVER_COMPLETED", "FAILOVER_FAILED",
            "FAILOVER_VERIFICATION_FAILED", "FAILOVER_BLOCKED", "SWITCHOVER_COMPLETED", "DRILL_PASSED",
            "DRILL_FAILED", "COMPLIANCE_OVERDUE", "REPLICA_PROBLEM", "EXCEPTION");

    public static NotificationsSpec none() {
        return new NotificationsSpec(Optional.empty(), Map.of(), List.of(), Map.of());
    }

    /**
     * @param starttls upgrade a plain connection with STARTTLS
     * @param tls      implicit TLS from the first byte (port 465 style)
     */
    public record EmailSpec(String host, int port, boolean starttls, boolean tls, Optional<String> user,
                            Optional<SecretRef> password, String from) {
        public EmailSpec {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(from, "from");
        }

        @Override
        public String toString() {
            return "EmailSpec[host=" + host + ", port=" + port + ", starttls=" + starttls + ", tls=" + tls
                    + ", user=" + user.orElse("none") + ", password=" + (password.isPresent() ? "***" : "none")
                    + ", from=" + from + "]";
        }
    }

    /** @param format {@code slack} or {@code json} (signed with HMAC-SHA256 when a secret is set) */
    public record WebhookSpec(String url, String format, Optional<SecretRef> secret) {
        public WebhookSpec {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(format, "format");
        }
    }
}
