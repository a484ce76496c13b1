package dev.drctl.topology;

import java.util.Objects;

/**
 * One node of a cluster as configured.
 *
 * @param priority   higher wins a tie after data position and region (default 0)
 * @param noFailover never promote this node, whatever its data
 */
public record NodeSpec(NodeName name, String host, int port, String region, int priority, boolean noFailover) {
    public NodeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(region, "region");
    }

    /** host:port, bracketing IPv6 literals. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
