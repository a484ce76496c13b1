package dev.drctl.topology;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One protected cluster as configured: its engine, account, nodes, failover policy and writer name.
 *
 * @param replication  the account replicas stream as ({@code replication:}); empty: each replica keeps the user and
 *                     password source it already has, and drctl's own login never lands in a replica's configuration
 * @param fenceCommand the optional last rung of the fence ladder ({@code fence-command: [argv...]}), run on drctl's
 *                     host with the node's facts in {@code DRCTL_CLUSTER}, {@code DRCTL_NODE}, {@code DRCTL_HOST};
 *                     empty when not configured
 */
public record ClusterSpec(
        ClusterName name,
        Engine engine,
        Credentials credentials,
        List<NodeSpec> nodes,
        FailoverPolicy failover,
        Optional<DnsSpec> dns,
        Optional<Credentials> replication,
        List<String> fenceCommand) {

    public ClusterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(replication, "replication");
        nodes = List.copyOf(nodes);
        fenceCommand = List.copyOf(fenceCommand);
    }

    /** A cluster with no {@code replication:} account and no {@code fence-command:}. */
    public ClusterSpec(ClusterName name, Engine engine, Credentials credentials, List<NodeSpec> nodes,
                       FailoverPolicy failover, Optional<DnsSpec> dns) {
        this(name, engine, credentials, nodes, failover, dns, Optional.empty(), List.of());
    }

    public Optional<NodeSpec> node(NodeName node) {
        return nodes.stream().filter(n -> n.name().equals(node)).findFirst();
    }
}
