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
 * {@code --help}, and {@code status} (table and JSON) with a state store that exists and is current, on a
 * PostgreSQL cluster whose nodes are a {@link TrainingPostgres} stand-in (the real login: SCRAM, then statements
 * refused) or refuse at once (nothing listens on port 1), and a MariaDB cluster whose nodes refuse — so the JVM
 * records the classes they load (picocli, config, HikariCP, both drivers and the login, the probe scheduler, the
 * store's tables, the output) in well under a minute, with no database.
 *
 * <p>It also puts the SQLite driver's native library for this machine in {@code NATIVE_DIR}: the driver otherwise
 * writes its 1 MB library to the temporary directory and reads it back on every run that opens a store; the launcher
 * points the driver at this copy ({@code -Dorg.sqlite.lib.path}).
 *
 * <p>With {@code version} after the directory it trains {@code --version} alone, for the second, small cache the
 * launcher uses for that command: a JDK 25 AOT cache loads and links every class it holds when the JVM starts, so
 * {@code --version} started from the full cache paid for the ~5,000 classes of {@code status} to use ~1,500.
 *
 * <p>Usage: {@code java -XX:AOTCacheOutput=… -cp drctl.jar dev.drctl.cli.StartUpTraining NATIVE_DIR [version]}
 */
public final class StartUpTraining {
    private StartUpTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2 || args.length == 2 && !args[1].equals("version")) {
            System.err.println("usage: StartUpTraining NATIVE_DIR [version]");
            System.exit(2);
        }
        if (args.length == 2) {
            System.out.println("start-up training: exit code " + trainVersion());
            return;
        }
        nativeLibrary(Path.of(args[0]));
        var exits = train();
        // Only the launcher reads this, and only when someone looks into a cache that seems not to help.
        System.out.println("start-up training: exit codes " + exits);
    }

    /**
     * Runs the training commands and returns their exit codes: 0 for {@code --version} and {@code --help}, 1 for each
     * {@code status} (the clusters are probed and found unhealthy); a 2 would mean the commands never got as far as
     * the probes, and the cache would miss what they load.
     */
    static List<Integer> train() throws IOException {
        var work = Files.createTempDirectory("drctl-start-up-training-");
        var password = "training-" + Long.toHexString(System.nanoTime());
        try (var primary = new TrainingPostgres(password); var replica = new TrainingPostgres(password)) {
            var config = work.resolve("drctl.yaml");
            var store = "jdbc:sqlite:" + work.resolve("drctl.db");
            var secret = Files.writeString(work.resolve("db-password"), password);
            Files.writeString(config, config(store, secret, work.resolve("writer.json"), primary.port(),
                    replica.port()));
            // A current store: status reads it without migrating, as on every run after the first.
            StateStore.open(new ComplianceSpec(store, ComplianceSpec.Targets.defaults(), Period.ofYears(7),
                    java.time.ZoneOffset.UTC), Clock.systemUTC(), Set.of()).close();
            var exits = new java.util.ArrayList<Integer>();
            for (var command : List.of(List.of("--version"), List.of("--help"), List.of("status", "-c", config.toString()),
                    List.of("status", "-o", "json", "-c", config.toString()))) {
                exits.add(run(command.toArray(String[]::new)));
            }
            return exits;
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (var p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The training of {@code --version}'s own cache: that command alone; its exit code (0 when it printed). */
    static int trainVersion() {
        return run("--version");
    }

    private static int run(String... args) {
        var host = new Host(Clock.systemUTC(), Map.of());
        var cl = Drctl.commandLine(host, args);
        cl.setOut(new PrintWriter(Writer.nullWriter()));
        cl.setErr(new PrintWriter(Writer.nullWriter()));
        return cl.execute(args);
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

    /** A config like the one people write: secrets from a file, failover and DNS settings, a time zone. */
    private static String config(String store, Path secret, Path dnsFile, int postgres1, int postgres2) {
        return """
                clusters:
                  - name: training-pg
                    engine: postgresql
                    credentials: { user: drctl, password: "${file:%2$s}" }
                    nodes:
                      - { name: pg-1, host: 127.0.0.1, port: %4$d, region: local, priority: 100 }
                      - { name: pg-2, host: 127.0.0.1, port: %5$d, region: local }
                      - { name: pg-3, host: 127.0.0.1, port: 1, region: remote }
                    failover:
                      mode: auto
                      probe-interval: 1s
                      probe-timeout: 800ms
                      failure-threshold: 3
                      failure-window: 3s
                      max-lag: { bytes: 16MB, seconds: 10 }
                      prefer-regions: [local]
                      cooldown: 10m
                    dns: { provider: file, file: "%3$s", record: "training-pg-rw.example.test", type: A, ttl: 30 }
                  - name: training-mariadb
                    engine: mariadb
                    credentials: { user: drctl, password: "${file:%2$s}" }
                    nodes:
                      - { name: mariadb-1, host: 127.0.0.1, port: 1, region: local }
                      - { name: mariadb-2, host: 127.0.0.1, port: 2, region: local }
                    failover:
                      mode: manual
                      probe-timeout: 800ms
                compliance:
                  store: "%1$s"
                  time-zone: UTC
                """.formatted(store, secret, dnsFile, postgres1, postgres2);
    }
}
