package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.NodeName;
import java.util.List;
import java.util.Map;

/**
 * The fault proxies of a proxied topology: a drctl link in front of every node's server and a replication link
 * between every replica and the primary. They live in the JVM that started them; a topology without them says why.
 *
 * @param whyNone why a link asked for is not there (not proxied, or proxied by another JVM)
 */
public record FaultLinks(Map<NodeName, FaultProxy> drctl, Map<NodeName, FaultProxy> replication, String whyNone) {
    /** Why an unproxied topology has no links. */
    public static final String NOT_PROXIED = "the topology was started without .proxied(true)";

    public FaultLinks {
        drctl = Map.copyOf(drctl);
        replication = Map.copyOf(replication);
    }

    /** No links, for {@code whyNone}. */
    public static FaultLinks none(String whyNone) {
        return new FaultLinks(Map.of(), Map.of(), whyNone);
    }

    /** The proxy between drctl and {@code node} (a node of the topology). */
    public FaultProxy drctlLink(NodeName node) {
        return link(drctl, node, "drctl link");
    }

    /** The proxy {@code node} replicates through, refused for a node not among {@code replicas} (the primary). */
    public FaultProxy replicationLink(NodeName node, List<NodeName> replicas) {
        if (!replicas.contains(node)) {
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST,
                    node + " is the primary; replication links belong to replicas " + replicas);
        }
        return link(replication, node, "replication link");
    }

    private FaultProxy link(Map<NodeName, FaultProxy> links, NodeName node, String what) {
        var proxy = links.get(node);
        if (proxy == null) {
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST, "no " + what + " for " + node + ": " + whyNone);
        }
        return proxy;
    }

    /** Stops every proxy and drops its connections. */
    public void close() {
        drctl.values().forEach(FaultProxy::close);
        replication.values().forEach(FaultProxy::close);
    }
}
