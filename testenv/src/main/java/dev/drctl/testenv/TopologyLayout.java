package dev.drctl.testenv;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.Engine;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything fixed about a local topology once its ports are chosen: what {@code testenv.json} records.
 *
 * @param serverRoot   where the data directories, pid files and server logs live
 * @param separateRoot the server root is outside {@code dir} (the server's OS user cannot reach {@code dir}), so it
 *                     is removed as a whole on teardown
 * @param dirOwned     testenv created {@code dir} itself (a temporary directory) and removes it on teardown
 * @param programs     PostgreSQL's bin directory; or the {@code mariadbd} and {@code mariadb-install-db} programs
 */
record TopologyLayout(Engine engine, ClusterName cluster, Path dir, Path serverRoot, boolean separateRoot,
                      boolean dirOwned, ServerAccount account, List<String> programs, boolean proxied,
                      List<NodeLayout> nodes) {

    TopologyLayout {
        programs = List.copyOf(programs);
        nodes = List.copyOf(nodes);
    }
}
