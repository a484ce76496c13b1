package dev.drctl.dns;

import dev.drctl.topology.DnsSpec.RecordType;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A DNS record as drctl writes and reads it: the cluster's writer name, or its reader name (the same shape).
 *
 * @param name   the record's name without the trailing dot, lower case ({@code payments-rw.db.example.com})
 * @param values a host name for a CNAME (exactly one), addresses for A/AAAA; sorted, without trailing dots
 */
public record WriterRecord(String name, RecordType type, int ttl, List<String> values) {
    public WriterRecord {
        Objects.requireNonNull(type, "type");
        name = normalize(Objects.requireNonNull(name, "name"));
        values = values.stream().map(WriterRecord::normalize).distinct().sorted().toList();
    }

    /** DNS names compare without case and without the root's trailing dot. */
    public static String normalize(String dnsText) {
        var s = dnsText.trim().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code payments-rw.db.example.com CNAME 30 pg-mum-2.db.internal}. */
    public String describe() {
        return name + " " + type + " " + ttl + " " + String.join(",", values);
    }
}
