package dev.drctl.runbooks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drctl.compliance.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a run's recovery time went, for what its facts can tell: detection (outage start → outage confirmed; the
 * start is the earliest known moment, its basis in {@code detectionBasis}),
 * decision (confirmed → committed to a candidate), promotion (committed → writable), DNS (writable → writer record
 * confirmed live) and the total RTO the run record holds (failure → first write through the new writer).
 */
public record RtoSplit(Optional<Duration> detection, Optional<Duration> decision, Optional<Duration> promotion,
                       Optional<Duration> dns, Optional<Duration> total, Optional<String> detectionBasis) {
    public RtoSplit {
        Objects.requireNonNull(detectionBasis, "detectionBasis");
        Objects.requireNonNull(detection, "detection");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(promotion, "promotion");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(total, "total");
    }

    public static RtoSplit of(RunFacts f, Optional<RunRecord> record) {
        var writable = f.instant(RunFacts.WRITABLE_AT);
        return new RtoSplit(
                between(f.instant(RunFacts.DETECTED_AT), f.instant(RunFacts.CONFIRMED_AT)),
                between(f.instant(RunFacts.CONFIRMED_AT), f.instant(RunFacts.DECIDED_AT)),
                between(f.instant(RunFacts.DECIDED_AT).or(() -> f.instant(RunFacts.CONFIRMED_AT)), writable),
                between(writable, f.instant(RunFacts.DNS_AT)),
                record.flatMap(RunRecord::rto),
                f.get(RunFacts.DETECTED_BASIS));
    }

    private static Optional<Duration> between(Optional<Instant> a, Optional<Instant> b) {
        // A DNS record already in place before the promotion (a resumed run) counts as no DNS time, never negative.
        return a.flatMap(x -> b.map(y -> y.isBefore(x) ? Duration.ZERO : Duration.between(x, y)));
    }

    /** {@code detectionMillis}, {@code decisionMillis}, {@code promotionMillis}, {@code dnsMillis}, {@code totalMillis}. */
    public ObjectNode toJson() {
        var o = JsonNodeFactory.instance.objectNode();
        detection.ifPresent(d -> o.put("detectionMillis", d.toMillis()));
        decision.ifPresent(d -> o.put("decisionMillis", d.toMillis()));
        promotion.ifPresent(d -> o.put("promotionMillis", d.toMillis()));
        dns.ifPresent(d -> o.put("dnsMillis", d.toMillis()));
        total.ifPresent(d -> o.put("totalMillis", d.toMillis()));
        detectionBasis.ifPresent(b -> o.put("detectionBasis", b));
        return o;
    }

    /** {@code detection 3.1s, decision 0.2s, promotion 1.4s, DNS 0.3s, total 5.0s}; parts not measured are left out. */
    public String describe() {
        var parts = new java.util.ArrayList<String>();
        detection.ifPresent(d -> parts.add("detection " + seconds(d)));
        decision.ifPresent(d -> parts.add("decision " + seconds(d)));
        promotion.ifPresent(d -> parts.add("promotion " + seconds(d)));
        dns.ifPresent(d -> parts.add("DNS " + seconds(d)));
        total.ifPresent(d -> parts.add("total " + seconds(d)));
        return String.join(", ", parts) + detectionBasis.map(b -> "; outage start from the " + b.replace('_', ' '))
                .orElse("");
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
