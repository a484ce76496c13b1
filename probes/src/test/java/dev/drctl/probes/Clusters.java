package dev.drctl.probes;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverMode;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.SecretRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;

/** Cluster specs for tests: loopback nodes named n1, n2, … on the given ports. */
final class Clusters {
    private Clusters() {
    }

    static ClusterSpec of(Engine engine, String user, Optional<SecretRef> password, Duration interval, Duration timeout,
                          int... ports) {
        var nodes = new ArrayList<NodeSpec>();
        for (int i = 0; i < ports.length; i++) {
            nodes.add(new NodeSpec(new NodeName("n" + (i + 1)), "127.0.0.1", ports[i], "r1", 0, false));
        }
        var d = FailoverPolicy.defaults();
        var policy = new FailoverPolicy(FailoverMode.DRY_RUN, interval, timeout, d.failureThreshold(), d.failureWindow(),
                d.maxLagBytes(), d.maxLagTime(), d.preferRegions(), d.allowedRegions(), d.cooldown());
        return new ClusterSpec(new ClusterName(engine.configName() + "-test"), engine, new Credentials(user, password),
                nodes, policy, Optional.empty());
    }
}
