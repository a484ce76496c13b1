package dev.drctl.notifiers;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A GreenMail SMTP server on a loopback port that requires drctl's login; stop and start it to simulate an outage. */
final class Smtp implements AutoCloseable {
    private final int port;
    private GreenMail server;

    Smtp(int port) {
        this.port = port;
    }

    Smtp start() {
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("drctl@example.com", "drctl",
                        Fixtures.SMTP_PASSWORD));
        server.start();
        return this;
    }

    int port() {
        return port;
    }

    /** One copy per recipient mailbox, as GreenMail stores them. */
    List<MimeMessage> received() {
        return server == null ? List.of() : Arrays.asList(server.getReceivedMessages());
    }

    /** What a receiver that deduplicates on Message-ID shows. */
    Set<String> distinctMessageIds() {
        return received().stream().map(Smtp::messageId).collect(Collectors.toSet());
    }

    static String messageId(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }

    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
