package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The MariaDB server programs: {@code mariadb-install-db} to create a data directory, {@code mariadbd} to run it. */
record MariadbBinaries(Path installDb, Path server) {

    /** Where Debian and the MariaDB tarballs put them; {@code PATH} is searched first. */
    static List<Path> defaultSearchPath(String pathVariable) {
        var dirs = new ArrayList<Path>();
        if (pathVariable != null) {
            for (var entry : pathVariable.split(":")) {
                if (!entry.isBlank()) {
                    dirs.add(Path.of(entry));
                }
            }
        }
        for (var d : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/usr/local/mysql/bin")) {
            dirs.add(Path.of(d));
        }
        return dirs;
    }

    /**
     * @throws DrctlException {@link TestenvErrorCode#SERVER_BINARIES_MISSING} naming the missing program and the
     *                        Debian package to install
     */
    static MariadbBinaries locate(List<Path> searchPath) {
        var installDb = find(searchPath, "mariadb-install-db", "mysql_install_db");
        var server = find(searchPath, "mariadbd");
        if (installDb.isEmpty() || server.isEmpty()) {
            throw new DrctlException(TestenvErrorCode.SERVER_BINARIES_MISSING,
                    "MariaDB server program " + (installDb.isEmpty() ? "mariadb-install-db" : "mariadbd")
                            + " not found in " + searchPath.stream().map(Path::toString).distinct().toList()
                            + "; install the Debian package mariadb-server (apt-get install mariadb-server)");
        }
        return new MariadbBinaries(installDb.get(), server.get());
    }

    /** As recorded in testenv.json: the server first. */
    List<String> programs() {
        return List.of(server.toString(), installDb.toString());
    }

    static MariadbBinaries of(List<String> programs) {
        return new MariadbBinaries(Path.of(programs.get(1)), Path.of(programs.get(0)));
    }

    private static Optional<Path> find(List<Path> searchPath, String... names) {
        for (var name : names) {
            for (var dir : searchPath) {
                var candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
