package dev.drctl.testenv;

import dev.drctl.topology.NodeName;
import dev.drctl.topology.Role;
import java.util.OptionalLong;

/**
 * One server of a local topology, as seen now.
 *
 * @param host       where drctl connects (always 127.0.0.1)
 * @param port       the port drctl should use: the node's drctl link proxy when the topology is proxied, else the
 *                   server's own port; this is the port in the written config
 * @param serverPort the port the server itself listens on (tests that bypass the proxy use it)
 * @param role       the role the node was started in; a failover may have changed it since
 * @param pid        the server's process id, empty while it is not running
 */
public record LocalNode(NodeName name, String host, int port, int serverPort, String region, Role role,
                        OptionalLong pid) {

    public boolean running() {
        return pid.isPresent();
    }
}
