package dev.drctl.runbooks;

import dev.drctl.compliance.Actor;
import dev.drctl.topology.ClusterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a step sees while it runs: the run, the cluster, the facts so far, and a scratch space for values that only
 * live in this process (a probe history handed from the probe step to the analysis). Scratch values are lost in a
 * crash; facts are not.
 */
public final class RunContext {
    private final String runId;
    private final ClusterSpec cluster;
    private final RunFacts facts;
    private final Clock clock;
    private final Actor actor;
    private final boolean recheck;
    private final int attempt;
    private final Map<Class<?>, Object> scratch;

    RunContext(String runId, ClusterSpec cluster, RunFacts facts, Clock clock, Actor actor, boolean recheck, int attempt,
               Map<Class<?>, Object> scratch) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.facts = Objects.requireNonNull(facts, "facts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.recheck = recheck;
        this.attempt = attempt;
        this.scratch = scratch;
    }

    public String runId() {
        return runId;
    }

    public ClusterSpec cluster() {
        return cluster;
    }

    public RunFacts facts() {
        return facts;
    }

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public Actor actor() {
        return actor;
    }

    /** True when this step was announced by an earlier process that died before journaling its outcome. */
    public boolean recheck() {
        return recheck;
    }

    /** 1 for the first attempt in this process. */
    public int attempt() {
        return attempt;
    }

    /** Keeps a value for later steps of this run in this process. */
    public <T> void keep(Class<T> type, T value) {
        scratch.put(type, Objects.requireNonNull(value, "value"));
    }

    /** A value kept by an earlier step in this process, if any. */
    public <T> Optional<T> kept(Class<T> type) {
        return Optional.ofNullable(type.cast(scratch.get(type)));
    }
}
