package dev.drctl.testenv;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * What {@code DIR/testenv.json} records, so that a later process ({@code drctl testenv down|kill|status}) finds the
 * servers a topology started: engine, directories, programs, nodes with their ports and last known PIDs.
 *
 * @param serverRoot     where data directories and server logs live
 * @param separateRoot   the server root is a directory of its own outside {@code dir}, removed on teardown
 * @param runAs          OS account the servers run as, or null for the current user
 * @param programs       PostgreSQL's bin directory; or the mariadbd and mariadb-install-db programs
 * @param ownerPid       the process holding the fault proxies when proxied (they live in its JVM)
 */
record TestenvState(int format, String engine, String cluster, String dir, String serverRoot, boolean separateRoot,
                    String runAs, List<String> programs, boolean proxied, long ownerPid, List<Node> nodes) {

    static final String FILE = "testenv.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One server; {@code pid} is 0 when it was not running at the last write. */
    record Node(String name, String region, String role, int serverId, int serverPort, int port, int upstreamPort,
                String dataDir, String log, long pid) {

        static Node of(NodeLayout l, long pid) {
            return new Node(l.name().value(), l.region(), l.role().name(), l.serverId(), l.serverPort(), l.port(),
                    l.upstreamPort(), l.dataDir().toString(), l.log().toString(), pid);
        }

        NodeLayout layout() {
            return new NodeLayout(new NodeName(name), region, Role.valueOf(role), serverId, serverPort, port,
                    upstreamPort, Path.of(dataDir), Path.of(log));
        }
    }

    static Path file(Path dir) {
        return dir.resolve(FILE);
    }

    static boolean exists(Path dir) {
        return Files.isRegularFile(file(dir));
    }

    static TestenvState read(Path dir) {
        var file = file(dir);
        if (!Files.isRegularFile(file)) {
            throw new DrctlException(TestenvErrorCode.NOT_UP,
                    "no testenv topology in " + dir + " (" + file.getFileName() + " not found); "
                            + "start one with `drctl testenv up --engine postgresql|mariadb --dir " + dir + "`");
        }
        try {
            return JSON.readValue(file.toFile(), TestenvState.class);
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Writes atomically (temp file + rename), so a concurrent reader never sees half a file. */
    void write() {
        var file = file(Path.of(dir));
        var tmp = file.resolveSibling(FILE + ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
