package dev.drctl.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Just enough of a PostgreSQL server, on a loopback port, for {@link StartUpTraining} to take the probe's real login
 * path (TLS refused, SCRAM-SHA-256 with the password given, the server's signature, the session parameters) and have
 * its statements answered with an error, so the start-up cache holds what a status against a live node loads. Never
 * used outside that training run; it holds no data and answers no query.
 */
final class TrainingPostgres implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final int ITERATIONS = 4096;

    private final ServerSocket server;
    private final String password;
    private final Thread acceptor;

    TrainingPostgres(String password) throws IOException {
        this.password = password;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("training-postgres").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                var socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; var in = new DataInputStream(socket.getInputStream());
             var out = new DataOutputStream(socket.getOutputStream())) {
            socket.setSoTimeout(30_000);
            while (true) {
                int length = in.readInt();
                int code = in.readInt();
                if (code == SSL_REQUEST || code == GSS_REQUEST) {
                    out.writeByte('N');
                    out.flush();
                    continue;
                }
                in.skipNBytes(length - 8);
                break;
            }
            login(in, out);
            answer(in, out);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // the client went away or sent what this stand-in does not know: the end of that connection
        }
    }

    private void login(DataInputStream in, DataOutputStream out) throws IOException, GeneralSecurityException {
        send(out, 'R', body(b -> {
            b.writeInt(10);
            cstring(b, "SCRAM-SHA-256");
            b.writeByte(0);
        }));
        var initial = expect(in, 'p');
        var data = new DataInputStream(new java.io.ByteArrayInputStream(initial));
        while (data.readByte() != 0) {
            // the mechanism's name
        }
        var clientFirst = new String(data.readNBytes(data.readInt()), StandardCharsets.UTF_8);
        var clientFirstBare = clientFirst.substring(clientFirst.indexOf(",,") + 2);
        var clientNonce = attribute(clientFirstBare, 'r');
        var salt = new byte[16];
        var random = new SecureRandom();
        random.nextBytes(salt);
        var nonce = new byte[18];
        random.nextBytes(nonce);
        var serverFirst = "r=" + clientNonce + Base64.getEncoder().encodeToString(nonce) + ",s="
                + Base64.getEncoder().encodeToString(salt) + ",i=" + ITERATIONS;
        send(out, 'R', body(b -> {
            b.writeInt(11);
            b.write(serverFirst.getBytes(StandardCharsets.UTF_8));
        }));
        var clientFinal = new String(expect(in, 'p'), StandardCharsets.UTF_8);
        var withoutProof = clientFinal.substring(0, clientFinal.lastIndexOf(",p="));
        var salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
        var serverKey = hmac(salted, "Server Key");
        var signature = hmac(serverKey, clientFirstBare + "," + serverFirst + "," + withoutProof);
        send(out, 'R', body(b -> {
            b.writeInt(12);
            b.write(("v=" + Base64.getEncoder().encodeToString(signature)).getBytes(StandardCharsets.UTF_8));
        }));
        send(out, 'R', body(b -> b.writeInt(0)));
        for (var p : new String[][] {{"server_version", "15.0"}, {"server_encoding", "UTF8"}, {"client_encoding", "UTF8"},
                {"DateStyle", "ISO, MDY"}, {"integer_datetimes", "on"}, {"standard_conforming_strings", "on"},
                {"TimeZone", "UTC"}, {"application_name", "drctl-probe"}, {"is_superuser", "off"}}) {
            send(out, 'S', body(b -> {
                cstring(b, p[0]);
                cstring(b, p[1]);
            }));
        }
        send(out, 'K', body(b -> {
            b.writeInt(1);
            b.writeInt(2);
        }));
        ready(out);
    }

    /**
     * Statements: an empty one (a connection check) is answered as empty and a {@code SET} (the driver's session
     * set-up) as done; any other gets an error, and in the extended protocol the rest up to Sync is skipped, as a
     * server does after an error.
     */
    private static void answer(DataInputStream in, DataOutputStream out) throws IOException {
        boolean failed = false;
        boolean empty = false;
        while (true) {
            int type = in.readUnsignedByte();
            var body = in.readNBytes(in.readInt() - 4);
            switch (type) {
                case 'X' -> {
                    return;
                }
                case 'Q' -> {
                    var query = cstringAt(body, 0);
                    if (query.isBlank()) {
                        send(out, 'I', new byte[0]);
                    } else if (isSet(query)) {
                        send(out, 'C', body(b -> cstring(b, "SET")));
                    } else {
                        error(out);
                    }
                    ready(out);
                }
                case 'P' -> {
                    // statement name, then the query
                    var query = cstringAt(body, indexOf(body, 0) + 1);
                    empty = query.isBlank();
                    if (!failed && !empty && !isSet(query)) {
                        error(out);
                        failed = true;
                    } else if (!failed) {
                        send(out, '1', new byte[0]);
                    }
                }
                case 'B' -> {
                    if (!failed) {
                        send(out, '2', new byte[0]);
                    }
                }
                case 'D' -> {
                    if (!failed) {
                        send(out, 'n', new byte[0]);
                    }
                }
                case 'E' -> {
                    if (!failed) {
                        send(out, empty ? 'I' : 'C', empty ? new byte[0] : body(b -> cstring(b, "SET")));
                    }
                }
                case 'S' -> {
                    failed = false;
                    ready(out);
                }
                default -> {
                    // Flush, Close and the rest need no answer here
                }
            }
            out.flush();
        }
    }

    private static boolean isSet(String query) {
        return query.strip().regionMatches(true, 0, "SET ", 0, 4);
    }

    private static String cstringAt(byte[] bytes, int from) {
        int end = from;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] bytes, int value) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static void error(DataOutputStream out) throws IOException {
        send(out, 'E', body(b -> {
            b.writeByte('S');
            cstring(b, "ERROR");
            b.writeByte('V');
            cstring(b, "ERROR");
            b.writeByte('C');
            cstring(b, "XX000");
            b.writeByte('M');
            cstring(b, "drctl start-up training: no queries are answered here");
            b.writeByte(0);
        }));
    }

    private static void ready(DataOutputStream out) throws IOException {
        send(out, 'Z', new byte[] {'I'});
        out.flush();
    }

    private static byte[] expect(DataInputStream in, char type) throws IOException {
        int got = in.readUnsignedByte();
        var body = in.readNBytes(in.readInt() - 4);
        if (got != type) {
            throw new IOException("expected message " + type + ", got " + (char) got);
        }
        return body;
    }

    private static String attribute(String message, char name) {
        for (var part : message.split(",")) {
            if (part.length() > 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        throw new IllegalArgumentException("no " + name + "= in " + message);
    }

    private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    private interface Writing {
        void to(DataOutputStream out) throws IOException;
    }

    private static byte[] body(Writing writing) throws IOException {
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        writing.to(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static void send(DataOutputStream out, char type, byte[] body) throws IOException {
        out.writeByte(type);
        out.writeInt(body.length + 4);
        out.write(body);
    }

    private static void cstring(DataOutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.writeByte(0);
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
