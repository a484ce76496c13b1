package dev.drctl.runbooks.drill;

import dev.drctl.testenv.Topology;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.NodeName;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An environment whose writer record is read from the {@code route53-errors} drill's Route53 server rather than the
 * environment's own target: the node the last record change named, else the environment's answer (before the
 * failover). Everything else is the environment's.
 */
final class FollowingRoute53 implements DrillEnvironment {
    private final DrillEnvironment env;
    private final Supplier<Optional<NodeName>> changedTo;

    FollowingRoute53(DrillEnvironment env, Supplier<Optional<NodeName>> changedTo) {
        this.env = env;
        this.changedTo = changedTo;
    }

    @Override
    public Topology topology() {
        return env.topology();
    }

    @Override
    public DrctlConfig config() {
        return env.config();
    }

    @Override
    public Path configFile() {
        return env.configFile();
    }

    @Override
    public Optional<NodeName> writerRecord() {
        return changedTo.get().or(env::writerRecord);
    }

    @Override
    public Connection clientConnection(NodeName node) {
        return env.clientConnection(node);
    }

    @Override
    public void cutClients(NodeName node, boolean cut) {
        env.cutClients(node, cut);
    }

    @Override
    public void freeze(NodeName node) {
        env.freeze(node);
    }

    @Override
    public void thaw(NodeName node) {
        env.thaw(node);
    }

    @Override
    public String describe() {
        return env.describe() + "; writer record in a local Route53-protocol server";
    }

    @Override
    public void close() {
        // the environment is closed by its owner
    }
}
