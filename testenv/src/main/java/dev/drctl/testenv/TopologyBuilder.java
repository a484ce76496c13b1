package dev.drctl.testenv;

import dev.drctl.topology.Engine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The choices every topology's builder offers, whatever runs its servers ({@link LocalTopology.Builder}, and
 * {@code ContainerTopology.Builder} in module {@code containers}); each adds its own and starts the topology.
 * Generic in the builder's own type so that a chain of calls keeps it.
 *
 * @param <B> the builder itself
 */
public abstract class TopologyBuilder<B extends TopologyBuilder<B>> {
    private final Engine engine;
    private int replicas = 2;
    private List<String> regions = List.of();
    private Path dir;
    private String clusterName;
    private boolean proxied;
    private Duration readyTimeout;

    protected TopologyBuilder(Engine engine, Duration readyTimeout) {
        this.engine = engine;
        this.readyTimeout = readyTimeout;
    }

    /** This builder, as its own type. */
    protected abstract B self();

    /** Number of replicas (at least 1; default 2). */
    public B replicas(int count) {
        this.replicas = count;
        return self();
    }

    /** One region per node, primary first (default: every node in {@code local}). */
    public B regions(List<String> regions) {
        this.regions = List.copyOf(regions);
        return self();
    }

    /** The directory for the config, secrets and DNS file (created if missing). Default: a new temporary one. */
    public B dir(Path dir) {
        this.dir = dir;
        return self();
    }

    /** The cluster's name in the config (default: one per engine, see the topology). */
    public B clusterName(String name) {
        this.clusterName = name;
        return self();
    }

    /** Route drctl->node and replica->primary traffic through {@link FaultProxy}s. */
    public B proxied(boolean proxied) {
        this.proxied = proxied;
        return self();
    }

    /** How long bring-up may take in all (the default depends on the topology). */
    public B readyTimeout(Duration timeout) {
        this.readyTimeout = timeout;
        return self();
    }

    protected Engine engine() {
        return engine;
    }

    /** The nodes asked for, checked (refused with {@link TestenvErrorCode#BAD_REQUEST}). */
    protected TopologyShape shape() {
        return new TopologyShape(engine, replicas, regions, proxied);
    }

    /** The directory asked for; empty: start in a new temporary one. */
    protected Optional<Path> chosenDir() {
        return Optional.ofNullable(dir);
    }

    /** The cluster name asked for, else {@code otherwise}. */
    protected String clusterNameOr(String otherwise) {
        return clusterName != null ? clusterName : otherwise;
    }

    protected Duration readyTimeout() {
        return readyTimeout;
    }

    /**
     * Brings {@code topology} up by {@code steps}; when one fails, closes it again so that nothing started is left
     * behind, and rethrows (with a failure to close as a suppressed exception).
     */
    protected static <T extends Topology> T bringUp(T topology, Consumer<T> steps) {
        try {
            steps.accept(topology);
            return topology;
        } catch (RuntimeException e) {
            try {
                topology.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
