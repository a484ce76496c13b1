package dev.drctl.topology;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One protected cluster as configured: its engine, account, nodes, failover policy and writer name. */
public record ClusterSpec(
        ClusterName name,
        Engine engine,
        Credentials credentials,
        List<NodeSpec> nodes,
        FailoverPolicy failover,
        Optional<DnsSpec> dns) {

    public ClusterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(dns, "dns");
        nodes = List.copyOf(nodes);
    }

    public Optional<NodeSpec> node(NodeName node) {
        return nodes.stream().filter(n -> n.name().equals(node)).findFirst();
    }
}
