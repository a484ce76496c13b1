package dev.drctl.promotion.mysql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * GTID arithmetic for the errant-transaction checks, pure and unit-tested.
 *
 * <ul>
 *   <li>MySQL: {@link #mysqlSubtract} is {@code GTID_SUBTRACT(a, b)}: the transactions of set {@code a} not in
 *       {@code b}.</li>
 *   <li>MariaDB: {@link #mariadbMissing} compares two {@code gtid_binlog_state}s ({@code domain-server-seq} per
 *       domain and originating server, the last one each logged). Under {@code gtid_strict_mode} sequence numbers
 *       grow per domain, so a node lacks what another has exactly when, for some (domain, server), its sequence is
 *       lower or absent.</li>
 * </ul>
 */
final class Gtids {
    private Gtids() {
    }

    /** The transactions in {@code a} that {@code b} lacks, in MySQL's GTID set notation; empty when none. */
    static String mysqlSubtract(String a, String b) {
        var left = mysql(a);
        var right = mysql(b);
        var out = new ArrayList<String>();
        for (var e : left.entrySet()) {
            var remaining = e.getValue();
            for (var cut : right.getOrDefault(e.getKey(), List.of())) {
                var next = new ArrayList<long[]>();
                for (var iv : remaining) {
                    if (cut[1] < iv[0] || cut[0] > iv[1]) {
                        next.add(iv);
                        continue;
                    }
                    if (cut[0] > iv[0]) {
                        next.add(new long[] {iv[0], cut[0] - 1});
                    }
                    if (cut[1] < iv[1]) {
                        next.add(new long[] {cut[1] + 1, iv[1]});
                    }
                }
                remaining = next;
            }
            if (!remaining.isEmpty()) {
                var sb = new StringBuilder(e.getKey());
                for (var iv : remaining) {
                    sb.append(':').append(iv[0]);
                    if (iv[1] != iv[0]) {
                        sb.append('-').append(iv[1]);
                    }
                }
                out.add(sb.toString());
            }
        }
        return String.join(",", out);
    }

    /** A MySQL GTID set as (lower-case uuid[:tag]) to sorted, merged closed intervals. */
    private static Map<String, List<long[]>> mysql(String text) {
        Map<String, List<long[]>> out = new TreeMap<>();
        var cleaned = text == null ? "" : text.replaceAll("\\s+", "");
        if (cleaned.isEmpty()) {
            return out;
        }
        for (var part : cleaned.split(",")) {
            var fields = part.split(":");
            if (fields.length < 2) {
                throw new IllegalArgumentException("not a GTID set element: " + part);
            }
            var key = fields[0].toLowerCase(Locale.ROOT);
            for (int i = 1; i < fields.length; i++) {
                var f = fields[i];
                if (!Character.isDigit(f.charAt(0))) {
                    key = fields[0].toLowerCase(Locale.ROOT) + ":" + f;   // MySQL 8.3+ tagged GTIDs
                    continue;
                }
                var dash = f.indexOf('-');
                long lo = Long.parseLong(dash < 0 ? f : f.substring(0, dash));
                long hi = dash < 0 ? lo : Long.parseLong(f.substring(dash + 1));
                out.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[] {lo, hi});
            }
        }
        out.replaceAll((k, v) -> merge(v));
        return out;
    }

    private static List<long[]> merge(List<long[]> intervals) {
        var sorted = new ArrayList<>(intervals);
        sorted.sort((p, q) -> Long.compare(p[0], q[0]));
        var merged = new ArrayList<long[]>();
        for (var iv : sorted) {
            if (!merged.isEmpty() && merged.getLast()[1] + 1 >= iv[0]) {
                merged.getLast()[1] = Math.max(merged.getLast()[1], iv[1]);
            } else {
                merged.add(new long[] {iv[0], iv[1]});
            }
        }
        return merged;
    }

    /**
     * What MariaDB binlog state {@code subject} has that {@code reference} lacks, e.g. {@code 0-1-101..105} (server 1
     * logged up to 105 in domain 0, the reference only up to 100); empty when nothing.
     */
    static String mariadbMissing(String subject, String reference) {
        var have = mariadb(reference);
        var out = new ArrayList<String>();
        for (var e : mariadb(subject).entrySet()) {
            long theirs = have.getOrDefault(e.getKey(), 0L);
            if (e.getValue() > theirs) {
                out.add(e.getKey() + "-" + (theirs + 1 == e.getValue() ? e.getValue() : (theirs + 1) + ".." + e.getValue()));
            }
        }
        return String.join(",", out);
    }

    /** {@code domain-server-seq,...} as "domain-server" to the highest sequence. */
    private static Map<String, Long> mariadb(String text) {
        var out = new LinkedHashMap<String, Long>();
        var cleaned = text == null ? "" : text.replaceAll("\\s+", "");
        if (cleaned.isEmpty()) {
            return out;
        }
        for (var part : cleaned.split(",")) {
            var fields = part.split("-");
            if (fields.length != 3) {
                throw new IllegalArgumentException("not a MariaDB GTID: " + part);
            }
            var key = Long.parseLong(fields[0]) + "-" + Long.parseLong(fields[1]);
            out.merge(key, Long.parseLong(fields[2]), Math::max);
        }
        return out;
    }
}
