package dev.drctl.runbooks.drill;

import dev.drctl.topology.DrctlException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code smtp-down} drill's mail server: a port on 127.0.0.1 where nothing listens while SMTP is "down" (the
 * environment's notifier is refused at once, as by a dead relay), and where a minimal SMTP server (no auth, no TLS)
 * keeps what it is sent once it is "back". Never a real relay: nobody is mailed.
 */
final class SmtpSink implements AutoCloseable {
    /** A mail received: when, and its subject. */
    record Mail(Instant at, String subject) {
    }

    private final int port;
    private final Clock clock;
    private final List<Mail> mails = new ArrayList<>();
    private volatile ServerSocket server;

    /** Picks a free port and leaves it closed: SMTP is down until {@link #up()}. */
    SmtpSink(Clock clock) {
        this.clock = clock;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        } catch (IOException e) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot find a free port on 127.0.0.1: " + e.getMessage());
        }
    }

    int port() {
        return port;
    }

    /** SMTP comes back: listens on the port and accepts mail. */
    synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            var s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
            server = s;
        } catch (IOException e) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot listen for SMTP on 127.0.0.1:" + port + ": "
                    + e.getMessage());
        }
        Thread.ofPlatform().daemon().name("drill-smtp").start(this::accept);
    }

    List<Mail> mails() {
        synchronized (mails) {
            return List.copyOf(mails);
        }
    }

    private void accept() {
        var s = server;
        while (!s.isClosed()) {
            try {
                var client = s.accept();
                Thread.ofVirtual().start(() -> converse(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** One SMTP session: just enough of RFC 5321 for a mail client to hand a message over. */
    private void converse(Socket socket) {
        try (socket; var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
             var out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8)) {
            socket.setSoTimeout(30_000);
            reply(out, "220 drill-smtp ready");
            String line;
            while ((line = in.readLine()) != null) {
                var verb = line.length() < 4 ? line.toUpperCase(Locale.ROOT) : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-drill-smtp\r\n250 8BITMIME");
                    case "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 OK");
                    case "DATA" -> {
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        String subject = "";
                        String data;
                        while ((data = in.readLine()) != null && !data.equals(".")) {
                            if (subject.isEmpty() && data.regionMatches(true, 0, "Subject:", 0, 8)) {
                                subject = data.substring(8).trim();
                            }
                        }
                        synchronized (mails) {
                            mails.add(new Mail(clock.instant(), subject));
                        }
                        reply(out, "250 OK queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "502 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away: what it completed is kept
        }
    }

    private static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }

    @Override
    public synchronized void close() {
        var s = server;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing a listening socket: nothing to do about a failure
            }
        }
    }
}
