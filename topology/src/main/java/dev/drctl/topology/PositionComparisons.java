package dev.drctl.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The order between data positions, per kind. Pure; unit-tested with tables of cases. */
final class PositionComparisons {
    private PositionComparisons() {
    }

    static Comparison compare(DataPosition a, DataPosition b) {
        return switch (a) {
            case DataPosition.PgLsn x when b instanceof DataPosition.PgLsn y -> lsn(x, y);
            case DataPosition.MysqlGtidSet x when b instanceof DataPosition.MysqlGtidSet y -> sets(mysql(x.executed()), mysql(y.executed()));
            case DataPosition.MariadbGtidPos x when b instanceof DataPosition.MariadbGtidPos y -> mariadb(x.position(), y.position());
            case DataPosition.PgLsn x -> Comparison.INCOMPARABLE;
            case DataPosition.MysqlGtidSet x -> Comparison.INCOMPARABLE;
            case DataPosition.MariadbGtidPos x -> Comparison.INCOMPARABLE;
        };
    }

    /** How much of {@code reference} position {@code p} lacks; see {@link DataPosition#shortfallFrom}. */
    static Optional<DataPosition.Shortfall> shortfall(DataPosition p, DataPosition reference) {
        return switch (p) {
            case DataPosition.PgLsn x when reference instanceof DataPosition.PgLsn r ->
                    x.timeline() == r.timeline()
                            ? Optional.of(new DataPosition.Shortfall(Math.max(0, r.lsn() - x.lsn()), DataPosition.Shortfall.Unit.BYTES))
                            : Optional.empty();
            case DataPosition.MysqlGtidSet x when reference instanceof DataPosition.MysqlGtidSet r ->
                    Optional.of(new DataPosition.Shortfall(missing(mysql(r.executed()), mysql(x.executed())),
                            DataPosition.Shortfall.Unit.TRANSACTIONS));
            case DataPosition.MariadbGtidPos x when reference instanceof DataPosition.MariadbGtidPos r ->
                    Optional.of(new DataPosition.Shortfall(missingSequences(mariadbDomains(r.position()), mariadbDomains(x.position())),
                            DataPosition.Shortfall.Unit.TRANSACTIONS));
            case DataPosition.PgLsn x -> Optional.empty();
            case DataPosition.MysqlGtidSet x -> Optional.empty();
            case DataPosition.MariadbGtidPos x -> Optional.empty();
        };
    }

    /** The transactions of {@code reference} that {@code p} lacks, named; see {@link DataPosition#missingFrom}. */
    static List<String> missingNames(DataPosition p, DataPosition reference) {
        return switch (p) {
            case DataPosition.MysqlGtidSet x when reference instanceof DataPosition.MysqlGtidSet r ->
                    mysqlMissing(mysql(r.executed()), mysql(x.executed()));
            case DataPosition.MariadbGtidPos x when reference instanceof DataPosition.MariadbGtidPos r ->
                    mariadbMissing(r.position(), x.position());
            case DataPosition.PgLsn x -> List.of();
            case DataPosition.MysqlGtidSet x -> List.of();
            case DataPosition.MariadbGtidPos x -> List.of();
        };
    }

    private static List<String> mysqlMissing(Map<String, List<long[]>> reference, Map<String, List<long[]>> have) {
        var out = new ArrayList<String>();
        for (var e : reference.entrySet()) {
            var mine = have.getOrDefault(e.getKey(), List.of());
            for (var iv : e.getValue()) {
                long from = iv[0];
                for (var h : mine) {
                    if (h[1] < from || h[0] > iv[1]) {
                        continue;
                    }
                    if (h[0] > from) {
                        out.add(range(e.getKey() + ":", from, h[0] - 1, "-"));
                    }
                    from = Math.max(from, h[1] + 1);
                }
                if (from <= iv[1]) {
                    out.add(range(e.getKey() + ":", from, iv[1], "-"));
                }
            }
        }
        return out;
    }

    // Per domain, the reference's server id names who wrote the missing sequence numbers.
    private static List<String> mariadbMissing(String reference, String have) {
        var mine = mariadbDomains(have);
        var out = new ArrayList<String>();
        var cleaned = reference.replaceAll("\\s+", "");
        if (cleaned.isEmpty()) {
            return out;
        }
        var seen = new TreeMap<Long, String[]>();
        for (var part : cleaned.split(",")) {
            var f = part.split("-");
            if (f.length != 3) {
                throw new IllegalArgumentException("not a MariaDB GTID: " + part);
            }
            seen.merge(Long.parseLong(f[0]), f, (a, b) -> Long.parseLong(a[2]) >= Long.parseLong(b[2]) ? a : b);
        }
        seen.forEach((domain, f) -> {
            long last = Long.parseLong(f[2]);
            long first = mine.getOrDefault(domain, 0L) + 1;
            if (first <= last) {
                out.add(range(domain + "-" + f[1] + "-", first, last, ".."));
            }
        });
        return out;
    }

    private static String range(String prefix, long from, long to, String sep) {
        return prefix + from + (to == from ? "" : sep + to);
    }

    /** The number of transactions in {@code reference} that {@code have} lacks (interval arithmetic per source). */
    private static long missing(Map<String, List<long[]>> reference, Map<String, List<long[]>> have) {
        long count = 0;
        for (var e : reference.entrySet()) {
            var mine = have.getOrDefault(e.getKey(), List.of());
            for (var iv : e.getValue()) {
                long total = iv[1] - iv[0] + 1;
                long covered = 0;
                for (var h : mine) {
                    long lo = Math.max(h[0], iv[0]);
                    long hi = Math.min(h[1], iv[1]);
                    if (lo <= hi) {
                        covered += hi - lo + 1;
                    }
                }
                count += total - covered;
            }
        }
        return count;
    }

    // MariaDB sequence numbers are dense per domain on one lineage, so the gap is the transaction count.
    private static long missingSequences(Map<Long, Long> reference, Map<Long, Long> have) {
        long count = 0;
        for (var e : reference.entrySet()) {
            count += Math.max(0, e.getValue() - have.getOrDefault(e.getKey(), 0L));
        }
        return count;
    }

    // Positions on different timelines share no order without the timeline history files: a node
    // left on an old timeline may hold writes the new one never saw.
    private static Comparison lsn(DataPosition.PgLsn a, DataPosition.PgLsn b) {
        if (a.timeline() != b.timeline()) {
            return Comparison.INCOMPARABLE;
        }
        return order(Long.compare(a.lsn(), b.lsn()));
    }

    private static Comparison order(int c) {
        return c > 0 ? Comparison.AHEAD : c < 0 ? Comparison.BEHIND : Comparison.EQUAL;
    }

    /** A MySQL GTID set as source UUID (lower case) to a sorted list of closed intervals. */
    static Map<String, List<long[]>> mysql(String text) {
        Map<String, List<long[]>> out = new TreeMap<>();
        var cleaned = text.replaceAll("\\s+", "");
        if (cleaned.isEmpty()) {
            return out;
        }
        for (var part : cleaned.split(",")) {
            var fields = part.split(":");
            if (fields.length < 2) {
                throw new IllegalArgumentException("not a GTID set element: " + part);
            }
            var uuid = fields[0].toLowerCase(Locale.ROOT);
            var list = out.computeIfAbsent(uuid, k -> new ArrayList<>());
            for (int i = 1; i < fields.length; i++) {
                var f = fields[i];
                // MySQL 8.3+ tagged GTIDs (uuid:tag:1-5): a non-numeric field is a tag; keep it in the key.
                if (!Character.isDigit(f.charAt(0))) {
                    uuid = fields[0].toLowerCase(Locale.ROOT) + ":" + f;
                    list = out.computeIfAbsent(uuid, k -> new ArrayList<>());
                    continue;
                }
                var dash = f.indexOf('-');
                long lo = Long.parseLong(dash < 0 ? f : f.substring(0, dash));
                long hi = dash < 0 ? lo : Long.parseLong(f.substring(dash + 1));
                list.add(new long[] {lo, hi});
            }
        }
        out.replaceAll((k, v) -> normalise(v));
        return out;
    }

    /** The union of two MySQL GTID sets, printed the way the server prints one. */
    static String mysqlUnion(String a, String b) {
        var merged = new TreeMap<>(mysql(a));
        mysql(b).forEach((source, intervals) -> merged.merge(source, intervals, (x, y) -> {
            var all = new ArrayList<>(x);
            all.addAll(y);
            return normalise(all);
        }));
        var out = new StringBuilder();
        merged.forEach((source, intervals) -> {
            if (!out.isEmpty()) {
                out.append(",\n");
            }
            out.append(source);
            for (var iv : intervals) {
                out.append(':').append(iv[0]);
                if (iv[1] != iv[0]) {
                    out.append('-').append(iv[1]);
                }
            }
        });
        return out.toString();
    }

    private static List<long[]> normalise(List<long[]> intervals) {
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

    private static boolean contains(Map<String, List<long[]>> big, Map<String, List<long[]>> small) {
        for (var e : small.entrySet()) {
            var have = big.getOrDefault(e.getKey(), List.of());
            for (var iv : e.getValue()) {
                if (have.stream().noneMatch(h -> h[0] <= iv[0] && iv[1] <= h[1])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Comparison sets(Map<String, List<long[]>> a, Map<String, List<long[]>> b) {
        boolean aHasB = contains(a, b);
        boolean bHasA = contains(b, a);
        if (aHasB && bHasA) return Comparison.EQUAL;
        if (aHasB) return Comparison.AHEAD;
        if (bHasA) return Comparison.BEHIND;
        return Comparison.INCOMPARABLE;
    }

    /** MariaDB: per replication domain the sequence number orders events; the server id does not. */
    static Map<Long, Long> mariadbDomains(String text) {
        Map<Long, Long> out = new HashMap<>();
        var cleaned = text.replaceAll("\\s+", "");
        if (cleaned.isEmpty()) {
            return out;
        }
        for (var part : cleaned.split(",")) {
            var f = part.split("-");
            if (f.length != 3) {
                throw new IllegalArgumentException("not a MariaDB GTID: " + part);
            }
            out.merge(Long.parseLong(f[0]), Long.parseLong(f[2]), Math::max);
        }
        return out;
    }

    private static Comparison mariadb(String a, String b) {
        var x = mariadbDomains(a);
        var y = mariadbDomains(b);
        boolean ahead = false;
        boolean behind = false;
        var domains = new java.util.HashSet<>(x.keySet());
        domains.addAll(y.keySet());
        for (var d : domains) {
            long p = x.getOrDefault(d, 0L);
            long q = y.getOrDefault(d, 0L);
            if (p > q) ahead = true;
            if (p < q) behind = true;
        }
        if (ahead && behind) return Comparison.INCOMPARABLE;
        if (ahead) return Comparison.AHEAD;
        if (behind) return Comparison.BEHIND;
        return Comparison.EQUAL;
    }
}
