package dev.drctl.testenv;

import dev.drctl.topology.NodeName;
import dev.drctl.topology.Role;
import java.nio.file.Path;

/**
 * Where one server lives on disk and on the network; fixed for the topology's life and recorded in
 * {@code testenv.json}.
 *
 * @param serverId     1-based position, MariaDB's {@code server_id}
 * @param port         the port written in the config (a proxy's when proxied)
 * @param upstreamPort for a replica: the port it replicates from (the primary's, or its replication link proxy)
 */
record NodeLayout(NodeName name, String region, Role role, int serverId, int serverPort, int port, int upstreamPort,
                  Path dataDir, Path log) {
}
