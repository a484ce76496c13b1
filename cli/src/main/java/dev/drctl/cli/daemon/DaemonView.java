package dev.drctl.cli.daemon;

import dev.drctl.compliance.OutboxStats;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the daemon knows at one instant, as a value: the input of {@code /health} ({@link Health}) and of the
 * gauges of {@code /metrics} that are read at scrape time. The daemon builds one on request; tests build them by
 * hand.
 *
 * @param at               when the snapshot was taken
 * @param startedAt        when the daemon started (a loop has until {@link ClusterView#staleAfter()} after it for
 *                         its first round)
 * @param config           the configuration in force
 * @param schedulerRunning the probe scheduler is running (false before the first start and after a stop began)
 * @param store            the state store, as last checked ({@link StoreCheck})
 * @param clusters         one entry per configured cluster, in config order
 */
public record DaemonView(Instant at, Instant startedAt, ConfigState config, boolean schedulerRunning, StoreStatus store,
                         List<ClusterView> clusters) {
    public DaemonView {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(store, "store");
        clusters = List.copyOf(clusters);
    }

    /**
     * The config file in force, and what the last reload said.
     *
     * @param file          the file it was read from
     * @param loadedAt      when the config in force was applied
     * @param reloadRefused the problem of the last reload when it was refused (the old config stays in force),
     *                      empty when the last reload was applied or none was asked for
     */
    public record ConfigState(Path file, Instant loadedAt, Optional<String> reloadRefused) {
        public ConfigState {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(loadedAt, "loadedAt");
            Objects.requireNonNull(reloadRefused, "reloadRefused");
        }
    }

    /**
     * The state store as last checked.
     *
     * @param description the store's URL with any password redacted
     * @param reachable   the last check read from it
     * @param checkedAt   when it was checked
     * @param problem     why it was not reachable (no secret in it)
     * @param outbox      the outbox counts read by that check, when it was reachable
     */
    public record StoreStatus(String description, boolean reachable, Instant checkedAt, Optional<String> problem,
                              Optional<OutboxStats> outbox) {
        public StoreStatus {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(checkedAt, "checkedAt");
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(outbox, "outbox");
        }
    }

    /**
     * Why automation is held on a cluster (one of the brakes: maintenance, cooldown, the global breaker), as the
     * daemon's {@code AutomationHold} says it.
     *
     * @param until when it ends by itself; empty for maintenance, which only an operator ends
     */
    public record Brake(Kind kind, String sentence, Optional<Instant> until) {
        public enum Kind { MAINTENANCE, COOLING_DOWN, BREAKER_OPEN }

        public Brake {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(sentence, "sentence");
            Objects.requireNonNull(until, "until");
        }
    }

    /**
     * One cluster's supervision.
     *
     * @param mode                 its failover mode as the config spells it ({@code auto}, {@code manual},
     *                             {@code dry-run})
     * @param probeInterval        the cluster's probe interval: its loop is stale when no round ended for
     *                             {@link #staleAfter()}
     * @param lastRound            when its last probe round ended and was judged (the older of the probe round and
     *                             the watch's latest state)
     * @param verdict              the verdict of that round in snake case ({@code healthy}, {@code primary_dead}, ...;
     *                             {@code none} before the first round)
     * @param summary              the verdict's sentence
     * @param lag                  each replica's lag in that round (unknown lags included as unknown)
     * @param brake                why automation is held now, if it is
     * @param running              the runbook running on it now, e.g. {@code failover}
     * @param lastRun              how the latest runbook the daemon launched on it ended
     * @param lastSuccessfulDrill  when the last drill of it succeeded, if ever
     */
    public record ClusterView(ClusterName cluster, String mode, Duration probeInterval, Optional<Instant> lastRound,
                              String verdict, String summary, Map<NodeName, Lag> lag, Optional<Brake> brake,
                              Optional<String> running, Optional<String> lastRun, Optional<Instant> lastSuccessfulDrill) {
        /** However short the interval, a loop is not called stale before this. */
        static final int MIN_STALE_SECONDS = 30;
        static final Duration MIN_STALE = Duration.ofSeconds(MIN_STALE_SECONDS);

        public ClusterView {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(probeInterval, "probeInterval");
            Objects.requireNonNull(lastRound, "lastRound");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(summary, "summary");
            lag = Map.copyOf(lag);
            Objects.requireNonNull(brake, "brake");
            Objects.requireNonNull(running, "running");
            Objects.requireNonNull(lastRun, "lastRun");
            Objects.requireNonNull(lastSuccessfulDrill, "lastSuccessfulDrill");
        }

        /**
         * Ten probe intervals, at least {@value #MIN_STALE_SECONDS} s: a round may legitimately take a probe timeout
         * and be repeated after a stall of drctl's own, but a loop that ends none for this long is stuck.
         */
        public Duration staleAfter() {
            var ten = probeInterval.multipliedBy(10);
            return ten.compareTo(MIN_STALE) > 0 ? ten : MIN_STALE;
        }
    }
}
