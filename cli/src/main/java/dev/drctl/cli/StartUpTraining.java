package dev.drctl.cli;

import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ComplianceSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Period;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The training run of the start-up cache that {@code ./drctl} builds once per jar (see the launcher): one JVM that
 * runs, in process and with their output discarded, the commands whose start-up counts — {@code --version},
 * {@code --help}, and {@code status} (table and JSON) on one cluster per engine whose nodes refuse at once (nothing
 * listens on port 1), with a state store that exists and is current — so the JVM records the classes they load
 * (picocli, config, HikariCP, both drivers, the probe scheduler, the store's tables, the output) in well under a
 * minute, with no database.
 *
 * <p>It also puts the SQLite driver's native library for this machine in {@code NATIVE_DIR}: the driver otherwise
 * writes its 1 MB library to the temporary directory and reads it back on every run that opens a store; the launcher
 * points the driver at this copy ({@code -Dorg.sqlite.lib.path}).
 *
 * <p>Usage: {@code java -XX:AOTCacheOutput=… -cp drctl.jar dev.drctl.cli.StartUpTraining NATIVE_DIR}
 */
public final class StartUpTraining {
    private StartUpTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: StartUpTraining NATIVE_DIR");
            System.exit(2);
        }
        nativeLibrary(Path.of(args[0]));
        var work = Files.createTempDirectory("drctl-start-up-training-");
        try {
            var config = work.resolve("drctl.yaml");
            var store = "jdbc:sqlite:" + work.resolve("drctl.db");
            Files.writeString(config, config(store));
            // A current store: status reads it without migrating, as on every run after the first.
            StateStore.open(new ComplianceSpec(store, ComplianceSpec.Targets.defaults(), Period.ofYears(7),
                    java.time.ZoneOffset.UTC), Clock.systemUTC(), Set.of()).close();
            for (var command : List.of(List.of("--version"), List.of("--help"), List.of("status", "-c", config.toString()),
                    List.of("status", "-o", "json", "-c", config.toString()))) {
                run(command.toArray(String[]::new));
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (var p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void run(String... args) {
        var host = new Host(Clock.systemUTC(), Map.of());
        var cl = Drctl.commandLine(host, args);
        cl.setOut(new PrintWriter(Writer.nullWriter()));
        cl.setErr(new PrintWriter(Writer.nullWriter()));
        cl.execute(args);
    }

    /**
     * Copies the SQLite driver's library for this OS and architecture out of the jar into {@code dir} (replacing it
     * whole, never half-written), and makes this run use it. Nothing when the jar has none for this machine.
     */
    private static void nativeLibrary(Path dir) throws IOException {
        var folder = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
        var name = System.mapLibraryName("sqlitejdbc");
        try (var in = StartUpTraining.class.getResourceAsStream("/org/sqlite/native/" + folder + "/" + name)) {
            if (in == null) {
                return;
            }
            Files.createDirectories(dir);
            var tmp = Files.createTempFile(dir, name, ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        System.setProperty("org.sqlite.lib.path", dir.toString());
        System.setProperty("org.sqlite.lib.name", name);
    }

    private static String config(String store) {
        return """
                clusters:
                  - name: training-pg
                    engine: postgresql
                    credentials: { user: drctl }
                    nodes:
                      - { name: pg-1, host: 127.0.0.1, port: 1, region: local }
                      - { name: pg-2, host: 127.0.0.1, port: 2, region: local }
                  - name: training-mariadb
                    engine: mariadb
                    credentials: { user: drctl }
                    nodes:
                      - { name: mariadb-1, host: 127.0.0.1, port: 1, region: local }
                      - { name: mariadb-2, host: 127.0.0.1, port: 2, region: local }
                compliance:
                  store: "%s"
                """.formatted(store);
    }
}
