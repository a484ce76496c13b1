package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * What every topology asks for whatever runs its servers: one primary and {@code replicas} replicas of
 * {@code engine}, each node in a region, reached directly or through fault proxies. Checked here once, so a local
 * topology and one in containers refuse the same requests with the same words, and name and wire their nodes alike.
 *
 * @param regions one per node, primary first; empty: every node in {@code local}
 */
public record TopologyShape(Engine engine, int replicas, List<String> regions, boolean proxied) {

    public TopologyShape {
        regions = List.copyOf(regions);
        if (replicas < 1) {
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST,
                    "a topology needs at least 1 replica (asked for " + replicas + ")");
        }
        if (!regions.isEmpty() && regions.size() != replicas + 1) {
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST, "regions " + regions + " name "
                    + regions.size() + " nodes, the topology has " + (replicas + 1) + " (primary first)");
        }
    }

    /** The primary and the replicas. */
    public int nodeCount() {
        return replicas + 1;
    }

    /** The start of every node's name: {@code pg-1}, {@code mdb-2}, {@code my-3}. */
    public String nodePrefix() {
        return switch (engine) {
            case POSTGRESQL -> "pg";
            case MARIADB -> "mdb";
            case MYSQL -> "my";
        };
    }

    /**
     * Takes a free loopback port per server and, when proxied, starts a drctl link in front of each server and a
     * replication link between each replica and the primary.
     */
    public Wiring wire() {
        var ports = LoopbackPorts.allocate(nodeCount());
        var primaryName = nodePrefix() + "-1";
        var drctlLinks = new LinkedHashMap<NodeName, FaultProxy>();
        var replicationLinks = new LinkedHashMap<NodeName, FaultProxy>();
        var nodes = new ArrayList<WiredNode>();
        for (int i = 0; i < nodeCount(); i++) {
            var name = new NodeName(nodePrefix() + "-" + (i + 1));
            var role = i == 0 ? Role.PRIMARY : Role.REPLICA;
            int port = ports.get(i);
            int upstream = 0;
            if (proxied) {
                var link = FaultProxy.start("drctl->" + name, LoopbackPorts.HOST, ports.get(i));
                drctlLinks.put(name, link);
                port = link.port();
                if (role == Role.REPLICA) {
                    var repl = FaultProxy.start(name + "->" + primaryName, LoopbackPorts.HOST, ports.getFirst());
                    replicationLinks.put(name, repl);
                    upstream = repl.port();
                }
            } else if (role == Role.REPLICA) {
                upstream = ports.getFirst();
            }
            nodes.add(new WiredNode(name, regions.isEmpty() ? "local" : regions.get(i), role, i + 1, ports.get(i), port,
                    upstream));
        }
        return new Wiring(nodes, new FaultLinks(drctlLinks, replicationLinks, FaultLinks.NOT_PROXIED));
    }

    /**
     * One node's place in the topology and its ports on 127.0.0.1.
     *
     * @param serverId     1-based position, the MariaDB/MySQL {@code server_id}
     * @param port         the port written in the config (its drctl link's when proxied)
     * @param upstreamPort for a replica, where it streams from on loopback (the primary's port, or its replication
     *                     link's); 0 for the primary
     */
    public record WiredNode(NodeName name, String region, Role role, int serverId, int serverPort, int port,
                            int upstreamPort) {
    }

    /** The nodes, primary first, and the fault proxies started for them (none unless proxied). */
    public record Wiring(List<WiredNode> nodes, FaultLinks links) {
        public Wiring {
            nodes = List.copyOf(nodes);
        }
    }
}
