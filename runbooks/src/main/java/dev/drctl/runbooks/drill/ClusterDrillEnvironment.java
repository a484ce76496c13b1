package dev.drctl.runbooks.drill;

import dev.drctl.testenv.Topology;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Optional;

/**
 * The game day's "environment": the real cluster, seen only as the writer workload needs it. While a switchover runs,
 * the writer follows the cluster's writer record as an application would (read at most once a second: a Route53 zone
 * answers a few requests a second, shared with the switchover's own); when it returns, the writer moves to its new
 * primary in any case. Nothing here injects a fault: those methods refuse.
 */
final class ClusterDrillEnvironment implements DrillEnvironment {
    private static final Duration REFRESH = Duration.ofSeconds(1);

    private final DrctlConfig config;
    private final ClusterSpec cluster;
    private final RealCluster real;
    private volatile NodeName writer;
    private volatile long readAt;
    private volatile boolean following;

    ClusterDrillEnvironment(DrctlConfig config, ClusterSpec cluster, RealCluster real, NodeName primary) {
        this.config = config;
        this.cluster = cluster;
        this.real = real;
        this.writer = primary;
    }

    /** A switchover starts: the writer follows the writer record until {@link #writerMovedTo}. */
    void switchoverStarts() {
        following = true;
    }

    /** The writer record names {@code node} now (a switchover returned). */
    void writerMovedTo(NodeName node) {
        following = false;
        writer = node;
    }

    @Override
    public Topology topology() {
        throw new IllegalStateException("the game day runs on the real cluster " + cluster.name()
                + ": no testenv topology");
    }

    @Override
    public Engine engine() {
        return cluster.engine();
    }

    @Override
    public Connection serverConnection(NodeName node) {
        return real.connect(node);
    }

    @Override
    public DrctlConfig config() {
        return config;
    }

    @Override
    public Path configFile() {
        return config.source();
    }

    @Override
    public Optional<NodeName> writerRecord() {
        long now = System.nanoTime();
        if (following && now - readAt > REFRESH.toNanos()) {
            readAt = now;
            real.writerRecord().ifPresent(n -> writer = n);
        }
        return Optional.of(writer);
    }

    @Override
    public Connection clientConnection(NodeName node) {
        return real.connect(node);
    }

    @Override
    public void cutClients(NodeName node, boolean cut) {
        throw refused("cut the applications' link");
    }

    @Override
    public void freeze(NodeName node) {
        throw refused("freeze a server");
    }

    @Override
    public void thaw(NodeName node) {
        throw refused("thaw a server");
    }

    private IllegalStateException refused(String what) {
        return new IllegalStateException("a game day never injects a failure: it does not " + what + " of the real "
                + "cluster " + cluster.name());
    }

    @Override
    public String describe() {
        return "cluster: the configured cluster " + cluster.name() + " (" + cluster.engine().configName() + ", "
                + cluster.nodes().size() + " nodes), a planned switchover there and back";
    }

    @Override
    public void close() {
        real.close();
    }
}
