package dev.drctl.notifiers.email;

import dev.drctl.notifiers.Delivery;
import dev.drctl.notifiers.Notifier;
import dev.drctl.notifiers.OutboundMessage;
import dev.drctl.topology.NotificationsSpec.EmailSpec;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Email over SMTP with Jakarta Mail (Eclipse Angus): plain, STARTTLS (required, not opportunistic, when
 * configured) or implicit TLS; authentication when a user is configured; connect, read and write timeouts.
 * Each message is multipart/alternative (text, then HTML) and carries a Message-ID derived from its outbox id,
 * {@code <drctl.ID@sender-domain>}, so a message sent again after a crash is the same message to any receiver
 * that deduplicates on Message-ID. The SMTP password is resolved once, at construction, and is never put in
 * an error, a log line or a header.
 */
public final class EmailNotifier implements Notifier {

    /** How long one attempt may wait on the SMTP server. */
    public record Timeouts(Duration connect, Duration read, Duration write) {
        public Timeouts {
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(read, "read");
            Objects.requireNonNull(write, "write");
        }

        public static Timeouts defaults() {
            return new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30));
        }
    }

    private final EmailSpec spec;
    private final Optional<String> password;
    private final Session session;
    private final String protocol;
    private final String domain;

    /**
     * @param environment where {@code ${env:…}} secrets are read
     * @throws dev.drctl.topology.DrctlException when the password reference cannot be resolved (exit 2)
     */
    public EmailNotifier(EmailSpec spec, Map<String, String> environment, Timeouts timeouts) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.password = spec.password().map(p -> p.resolve(environment));
        this.protocol = spec.tls() ? "smtps" : "smtp";
        this.domain = spec.from().substring(spec.from().indexOf('@') + 1);
        var p = new Properties();
        var prefix = "mail." + protocol + ".";
        p.setProperty(prefix + "host", spec.host());
        p.setProperty(prefix + "port", Integer.toString(spec.port()));
        p.setProperty(prefix + "auth", Boolean.toString(spec.user().isPresent()));
        p.setProperty(prefix + "connectiontimeout", Long.toString(timeouts.connect().toMillis()));
        p.setProperty(prefix + "timeout", Long.toString(timeouts.read().toMillis()));
        p.setProperty(prefix + "writetimeout", Long.toString(timeouts.write().toMillis()));
        p.setProperty(prefix + "from", spec.from());
        if (spec.starttls()) {
            // required: a server that stops offering STARTTLS must not get the password in clear text
            p.setProperty(prefix + "starttls.enable", "true");
            p.setProperty(prefix + "starttls.required", "true");
        }
        if (spec.tls() || spec.starttls()) {
            p.setProperty(prefix + "ssl.checkserveridentity", "true");
        }
        this.session = Session.getInstance(p);
    }

    /** The Message-ID a message with this outbox id is sent with. */
    public String messageId(String outboxId) {
        return "<drctl." + outboxId + "@" + domain + ">";
    }

    @Override
    public Delivery deliver(OutboundMessage m) {
        if (m.recipients().isEmpty()) {
            return new Delivery.Failed("no recipients for audience " + m.audience(), true);
        }
        var messageId = messageId(m.id());
        try {
            var mime = compose(m, messageId);
            try (var transport = session.getTransport(protocol)) {
                transport.connect(spec.host(), spec.port(), spec.user().orElse(null), password.orElse(null));
                transport.sendMessage(mime, mime.getAllRecipients());
            }
            return new Delivery.Delivered(Optional.of(messageId));
        } catch (SendFailedException e) {
            // every recipient refused (e.g. 550 no such user): sending again cannot help
            boolean permanent = e.getValidSentAddresses() == null && e.getValidUnsentAddresses() == null
                    && e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0;
            return new Delivery.Failed(describeError(e), permanent);
        } catch (MessagingException e) {
            return new Delivery.Failed(describeError(e), false);
        }
    }

    private MimeMessage compose(OutboundMessage m, String messageId) throws MessagingException {
        var mime = new StableIdMessage(session, messageId);
        mime.setFrom(new InternetAddress(spec.from()));
        var to = new Address[m.recipients().size()];
        for (int i = 0; i < to.length; i++) {
            to[i] = new InternetAddress(m.recipients().get(i));
        }
        mime.setRecipients(Message.RecipientType.TO, to);
        mime.setSubject(m.content().subject(), StandardCharsets.UTF_8.name());
        mime.setSentDate(Date.from(m.occurredAt()));
        mime.setHeader("X-Drctl-Kind", m.kind().name());
        mime.setHeader("X-Drctl-Incident", m.incident());
        mime.setHeader("X-Drctl-Journal", "#" + m.journal().seq() + " " + m.journal().hash());
        var text = new MimeBodyPart();
        text.setText(m.content().text(), StandardCharsets.UTF_8.name(), "plain");
        var html = new MimeBodyPart();
        html.setText(m.content().html(), StandardCharsets.UTF_8.name(), "html");
        var body = new MimeMultipart("alternative");
        body.addBodyPart(text);
        body.addBodyPart(html);
        mime.setContent(body);
        mime.saveChanges();
        return mime;
    }

    private String describeError(MessagingException e) {
        var b = new StringBuilder("SMTP ").append(spec.host()).append(':').append(spec.port()).append(": ");
        Throwable t = e;
        var seen = 0;
        while (t != null && seen++ < 4) {
            if (seen > 1) {
                b.append(" ← ");
            }
            b.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                b.append(' ').append(t.getMessage().strip());
            }
            t = t instanceof MessagingException me && me.getNextException() != null ? me.getNextException() : t.getCause();
        }
        var text = b.toString();
        // belt and braces: no server echoes the password, but a log line must never carry it even if one did
        return password.filter(pw -> !pw.isEmpty()).map(pw -> text.replace(pw, "***")).orElse(text);
    }

    @Override
    public String describe() {
        return "email via " + spec.host() + ":" + spec.port() + (spec.tls() ? " (TLS)" : spec.starttls() ? " (STARTTLS)" : "");
    }

    /** Keeps the Message-ID it was given: Jakarta Mail would otherwise draw a new one on every save. */
    private static final class StableIdMessage extends MimeMessage {
        private final String id;

        StableIdMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }
}
