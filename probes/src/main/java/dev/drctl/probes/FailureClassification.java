package dev.drctl.probes;

import dev.drctl.topology.FailureKind;
import dev.drctl.topology.ProbeOutcome;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Collections;

/**
 * Names why a probe got no answer, from the exception a driver or the pool threw. Pure; the most
 * telling cause anywhere in the chain wins: AUTH (the server is up and said no), BUSY (the server is up and has no
 * connection slot: "too many connections"), then REFUSED (refused,
 * reset, or closed before the server said anything), then TIMEOUT, else OTHER. Only what the drivers put in messages ends up in the detail, and the drivers
 * never see a password in a URL, so a detail carries no secret.
 */
public final class FailureClassification {
    private static final int MAX_DETAIL = 240;

    private FailureClassification() {
    }

    /** The failure {@code error} stands for, for the node at {@code address}. */
    public static ProbeOutcome.Failed classify(Throwable error, String address) {
        // Deepest first: the pool and the drivers wrap the telling exception, and copy its SQLState upwards.
        var chain = chain(error).reversed();
        for (var t : chain) {
            if (t instanceof SQLException sql && isAuth(sql)) {
                return failed(FailureKind.AUTH, address, "credentials rejected", t);
            }
        }
        for (var t : chain) {
            if (t instanceof SQLException sql && isBusy(sql)) {
                return failed(FailureKind.BUSY, address, "alive but no connection slot free", t);
            }
        }
        for (var t : chain) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return failed(FailureKind.REFUSED, address, "connection refused", t);
            }
            if (t instanceof SocketException && mentions(t, "connection reset", "broken pipe")) {
                return failed(FailureKind.REFUSED, address, "connection reset", t);
            }
            // Closed before a word of the protocol: what a proxy or load balancer with no live server
            // behind it does. A server that is up but refusing says why in a protocol error instead.
            if (t instanceof EOFException) {
                return failed(FailureKind.REFUSED, address, "connection closed before the server answered", t);
            }
        }
        for (var t : chain) {
            if (t instanceof SocketTimeoutException || t instanceof SQLTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    // pgjdbc's loginTimeout ("Connection attempt timed out.") and the pool's "request timed out"
                    // with no failure behind it carry no timeout exception: the root cause's words are all there is.
                    || (t == chain.getFirst() && t instanceof SQLException && mentions(t, "timed out", "timeout"))) {
                return failed(FailureKind.TIMEOUT, address, "no answer in time", t);
            }
        }
        for (var t : chain) {
            if (t instanceof UnknownHostException) {
                return failed(FailureKind.OTHER, address, "unknown host", t);
            }
        }
        return failed(FailureKind.OTHER, address, "probe failed", deepestWithMessage(chain));
    }

    private static boolean isAuth(SQLException e) {
        var state = e.getSQLState();
        // 28xxx is "invalid authorization specification" in every driver (PostgreSQL 28P01/28000,
        // MySQL/MariaDB 28000); 1045 is MySQL's and MariaDB's "Access denied".
        return (state != null && state.startsWith("28")) || e.getErrorCode() == 1045;
    }

    /**
     * "Too many connections": MySQL/MariaDB 1040 (SQLSTATE 08004, or HY000 when it comes in the handshake) and 1203
     * (the account's max_user_connections); PostgreSQL 53300 (too_many_connections, also "remaining connection slots
     * are reserved"). The server answered: it is alive. This is the one reading the probes and the promoters share.
     */
    static boolean isBusy(SQLException e) {
        var state = e.getSQLState();
        return "08004".equals(state) || "53300".equals(state) || e.getErrorCode() == 1040 || e.getErrorCode() == 1203;
    }

    private static boolean mentions(Throwable t, String... words) {
        if (t.getMessage() == null) {
            return false;
        }
        var m = t.getMessage().toLowerCase(Locale.ROOT);
        for (var w : words) {
            if (m.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static List<Throwable> chain(Throwable error) {
        var seen = Collections.newSetFromMap(new IdentityHashMap<Throwable, Boolean>());
        var out = new ArrayList<Throwable>();
        for (var t = error; t != null && seen.add(t) && out.size() < 16; t = t.getCause()) {
            out.add(t);
        }
        return out;
    }

    private static Throwable deepestWithMessage(List<Throwable> deepestFirst) {
        return deepestFirst.stream().filter(t -> t.getMessage() != null && !t.getMessage().isBlank()).findFirst()
                .orElse(deepestFirst.getFirst());
    }

    private static ProbeOutcome.Failed failed(FailureKind kind, String address, String what, Throwable t) {
        var message = t.getMessage() == null ? t.getClass().getSimpleName() : firstLine(t.getMessage());
        var detail = what + " from " + address + ": " + message;
        return new ProbeOutcome.Failed(kind, detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail);
    }

    // HikariCP appends its pool state, "(total=0, active=0, idle=0, waiting=0)": noise to an operator.
    private static String firstLine(String s) {
        var nl = s.indexOf('\n');
        var line = (nl < 0 ? s : s.substring(0, nl)).strip();
        var state = line.indexOf(" (total=");
        return state < 0 ? line : line.substring(0, state);
    }
}
