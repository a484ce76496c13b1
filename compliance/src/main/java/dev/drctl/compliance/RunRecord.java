package dev.drctl.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NodeName;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A failover, switchover or drill with the instants its RTO and RPO are measured from. Runbooks fill it in
 * as they go, keep it in the {@code run_record} table ({@link RunTable}) and journal it as the payload of
 * {@link JournalKind#RUN_STARTED}, {@link JournalKind#RUN_FINISHED} and {@link JournalKind#DRILL_RESULT};
 * the compliance report reads it back from the journal ({@link #toJson()} / {@link #fromJson}).
 *
 * @param detectedAt   when the failure began, as drctl saw it: the first failed probe (drills: the injection)
 * @param confirmedAt  when the primary was confirmed dead (safety rule 1) or, for a switchover, the demotion
 * @param promotedAt   when the new primary was promoted
 * @param dnsAt        when the writer DNS record was confirmed moved (INSYNC)
 * @param firstWriteAt when the first write succeeded through the new writer
 * @param rto          measured recovery time; when empty, {@link #effectiveRto()} derives it
 * @param rpo          measured data-loss window (time of the last acknowledged write that was lost)
 * @param rpoBytes     data lost in bytes of WAL/binlog, when known
 */
public record RunRecord(String runId, RunKind kind, ClusterName cluster, RunStatus status, Actor actor,
                        Optional<String> drill, Optional<NodeName> oldPrimary, Optional<NodeName> newPrimary,
                        Optional<Long> epoch, Instant startedAt, Optional<Instant> detectedAt,
                        Optional<Instant> confirmedAt, Optional<Instant> promotedAt, Optional<Instant> dnsAt,
                        Optional<Instant> firstWriteAt, Optional<Instant> finishedAt, Optional<Duration> rto,
                        Optional<Duration> rpo, Optional<Long> rpoBytes, boolean dataLossAccepted, String summary) {

    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(drill, "drill");
        Objects.requireNonNull(oldPrimary, "oldPrimary");
        Objects.requireNonNull(newPrimary, "newPrimary");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(detectedAt, "detectedAt");
        Objects.requireNonNull(confirmedAt, "confirmedAt");
        Objects.requireNonNull(promotedAt, "promotedAt");
        Objects.requireNonNull(dnsAt, "dnsAt");
        Objects.requireNonNull(firstWriteAt, "firstWriteAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(rto, "rto");
        Objects.requireNonNull(rpo, "rpo");
        Objects.requireNonNull(rpoBytes, "rpoBytes");
        Objects.requireNonNull(summary, "summary");
    }

    /** A run that has just begun; the runbook fills the rest with the {@code with…} methods. */
    public static RunRecord started(String runId, RunKind kind, ClusterName cluster, Actor actor, Instant startedAt) {
        return new RunRecord(runId, kind, cluster, RunStatus.RUNNING, actor, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), startedAt, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                false, "");
    }

    public RunRecord withStatus(RunStatus value, String summaryText) {
        return new RunRecord(runId, kind, cluster, value, actor, drill, oldPrimary, newPrimary, epoch, startedAt, detectedAt,
                confirmedAt, promotedAt, dnsAt, firstWriteAt, finishedAt, rto, rpo, rpoBytes, dataLossAccepted, summaryText);
    }

    public RunRecord withDrill(String name) {
        return new RunRecord(runId, kind, cluster, status, actor, Optional.of(name), oldPrimary, newPrimary, epoch, startedAt,
                detectedAt, confirmedAt, promotedAt, dnsAt, firstWriteAt, finishedAt, rto, rpo, rpoBytes, dataLossAccepted,
                summary);
    }

    public RunRecord withNodes(NodeName oldPrimaryNode, NodeName newPrimaryNode, long newEpoch) {
        return new RunRecord(runId, kind, cluster, status, actor, drill, Optional.ofNullable(oldPrimaryNode),
                Optional.ofNullable(newPrimaryNode), Optional.of(newEpoch), startedAt, detectedAt, confirmedAt, promotedAt,
                dnsAt, firstWriteAt, finishedAt, rto, rpo, rpoBytes, dataLossAccepted, summary);
    }

    /** Sets the timeline; pass null for an instant that did not happen. */
    public RunRecord withTimeline(Instant detected, Instant confirmed, Instant promoted, Instant dns, Instant firstWrite,
                                  Instant finished) {
        return new RunRecord(runId, kind, cluster, status, actor, drill, oldPrimary, newPrimary, epoch, startedAt,
                Optional.ofNullable(detected), Optional.ofNullable(confirmed), Optional.ofNullable(promoted),
                Optional.ofNullable(dns), Optional.ofNullable(firstWrite), Optional.ofNullable(finished), rto, rpo, rpoBytes,
                dataLossAccepted, summary);
    }

    /** Sets the measured figures; pass null for what was not measured. */
    public RunRecord withMeasures(Duration measuredRto, Duration measuredRpo, Long lostBytes, boolean lossAccepted) {
        return new RunRecord(runId, kind, cluster, status, actor, drill, oldPrimary, newPrimary, epoch, startedAt, detectedAt,
                confirmedAt, promotedAt, dnsAt, firstWriteAt, finishedAt, Optional.ofNullable(measuredRto),
                Optional.ofNullable(measuredRpo), Optional.ofNullable(lostBytes), lossAccepted, summary);
    }

    /** The measured RTO, else the time from the failure's beginning to the first write through the new writer. */
    public Optional<Duration> effectiveRto() {
        if (rto.isPresent()) {
            return rto;
        }
        return detectedAt.flatMap(d -> firstWriteAt.map(w -> Duration.between(d, w)));
    }

    public ObjectNode toJson() {
        var o = JsonNodeFactory.instance.objectNode();
        o.put("runId", runId);
        o.put("kind", kind.name());
        o.put("cluster", cluster.value());
        o.put("status", status.name());
        o.put("actor", actor.value());
        drill.ifPresent(v -> o.put("drill", v));
        oldPrimary.ifPresent(v -> o.put("oldPrimary", v.value()));
        newPrimary.ifPresent(v -> o.put("newPrimary", v.value()));
        epoch.ifPresent(v -> o.put("epoch", v));
        o.put("startedAt", startedAt.toString());
        detectedAt.ifPresent(v -> o.put("detectedAt", v.toString()));
        confirmedAt.ifPresent(v -> o.put("confirmedAt", v.toString()));
        promotedAt.ifPresent(v -> o.put("promotedAt", v.toString()));
        dnsAt.ifPresent(v -> o.put("dnsAt", v.toString()));
        firstWriteAt.ifPresent(v -> o.put("firstWriteAt", v.toString()));
        finishedAt.ifPresent(v -> o.put("finishedAt", v.toString()));
        rto.ifPresent(v -> o.put("rtoMillis", v.toMillis()));
        rpo.ifPresent(v -> o.put("rpoMillis", v.toMillis()));
        rpoBytes.ifPresent(v -> o.put("rpoBytes", v));
        o.put("dataLossAccepted", dataLossAccepted);
        o.put("summary", summary);
        return o;
    }

    /** Reads a record written by {@link #toJson()}; unknown fields are ignored, so newer writers stay readable. */
    public static RunRecord fromJson(JsonNode o) {
        return new RunRecord(o.path("runId").asText(), RunKind.valueOf(o.path("kind").asText()),
                new ClusterName(o.path("cluster").asText()), RunStatus.valueOf(o.path("status").asText()),
                new Actor(o.path("actor").asText("unknown")), text(o, "drill", Function.identity()),
                text(o, "oldPrimary", NodeName::new), text(o, "newPrimary", NodeName::new),
                o.hasNonNull("epoch") ? Optional.of(o.get("epoch").asLong()) : Optional.empty(),
                Instant.parse(o.path("startedAt").asText()), text(o, "detectedAt", Instant::parse),
                text(o, "confirmedAt", Instant::parse), text(o, "promotedAt", Instant::parse),
                text(o, "dnsAt", Instant::parse), text(o, "firstWriteAt", Instant::parse),
                text(o, "finishedAt", Instant::parse), millis(o, "rtoMillis"), millis(o, "rpoMillis"),
                o.hasNonNull("rpoBytes") ? Optional.of(o.get("rpoBytes").asLong()) : Optional.empty(),
                o.path("dataLossAccepted").asBoolean(false), o.path("summary").asText(""));
    }

    private static <T> Optional<T> text(JsonNode o, String field, Function<String, T> parse) {
        return o.hasNonNull(field) ? Optional.of(parse.apply(o.get(field).asText())) : Optional.empty();
    }

    private static Optional<Duration> millis(JsonNode o, String field) {
        return o.hasNonNull(field) ? Optional.of(Duration.ofMillis(o.get(field).asLong())) : Optional.empty();
    }
}
