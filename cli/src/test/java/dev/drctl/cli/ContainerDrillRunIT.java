package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.containers.ContainerEngine;
import dev.drctl.containers.ContainerSettings;
import dev.drctl.containers.ContainerTopology;
import dev.drctl.topology.Engine;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * Issue 14's {@code environment: testcontainers}, through {@code drctl drill run}: kill-primary on a copy of the
 * configured cluster in containers (podman here, see {@code .ci/container-engine}) passes with measured RTO and RPO
 * for PostgreSQL and MariaDB, and MySQL 8.4 (official image) wherever it can be pulled; none of the drill's containers
 * is left, Ctrl-C included. Skipped, with the reason, where no engine answers. Where one is missing, and where
 * drctl-containers.jar is not on the class path, the drill says so at once (both run everywhere).
 */
class ContainerDrillRunIT {
    @TempDir
    Path dir;

    static ContainerEngine.Check engine;

    @BeforeAll
    static void engine() {
        engine = ContainerEngine.check();
        System.out.println(engine.sentence());
    }

    /** Per test, so each one is reported skipped with the reason. */
    void engineReachable() {
        Assumptions.assumeTrue(engine instanceof ContainerEngine.Check.Reachable, engine::sentence);
    }

    /** A 1+2 cluster of {@code engine} named {@code cluster} (it need not exist: a drill mirrors its shape). */
    Path config(String engine, String cluster) throws IOException {
        var yaml = """
                clusters:
                  - name: %1$s
                    engine: %2$s
                    credentials: { user: drctl, password: "${env:NOT_NEEDED_BY_A_DRILL}" }
                    nodes:
                      - { name: db-1, host: db-1.example.com, port: 5432, region: eu-west-1 }
                      - { name: db-2, host: db-2.example.com, port: 5432, region: eu-west-1 }
                      - { name: db-3, host: db-3.example.com, port: 5432, region: eu-west-2 }
                    failover: { cooldown: 10m }
                compliance:
                  store: "jdbc:sqlite:%3$s"
                  targets: { rto: 60s, rpo: 1s }
                drills:
                  - name: %1$s-drill
                    cluster: %1$s
                    environment: testcontainers
                    failure: kill-primary
                    workload: { inserts-per-second: 20, duration: 5s }
                """.formatted(cluster, engine, dir.resolve("drctl.db"));
        var config = dir.resolve("drctl.yaml");
        Files.writeString(config, yaml);
        return config;
    }

    @Test
    void killPrimaryOnPostgresqlInContainersPasses() throws Exception {
        engineReachable();
        killPrimaryPasses("postgresql", "ct-pg");
    }

    @Test
    void killPrimaryOnMariadbInContainersPasses() throws Exception {
        engineReachable();
        killPrimaryPasses("mariadb", "ct-mdb");
    }

    @Test
    void killPrimaryOnMysql84InContainersPassesWherePullable() throws Exception {
        engineReachable();
        var image = ContainerSettings.configured(Engine.MYSQL, System.getenv()).image();
        var missing = ContainerEngine.obtain(image, Duration.ofSeconds(60));
        Assumptions.assumeTrue(missing.isEmpty(), () -> "MySQL 8.4 skipped: " + missing.orElse("") + " (MariaDB runs)");
        killPrimaryPasses("mysql", "ct-my");
    }

    private void killPrimaryPasses(String engine, String cluster) throws Exception {
        var config = config(engine, cluster);
        var run = CliRun.of("drill", "run", cluster + "-drill", "-c", config.toString(), "-o", "json", "--report-dir",
                dir.resolve("reports").toString());
        assertContainersGone(cluster, run.all());
        assertThat(run.exit()).as(run.all()).isZero();
        var r = run.json();
        assertThat(r.path("passed").asBoolean()).isTrue();
        assertThat(r.path("environment").asText()).isEqualTo("testcontainers");
        assertThat(r.path("environmentText").asText()).as(run.all()).startsWith("testcontainers: 3 " + engine);
        assertThat(r.path("promotions").asInt()).isEqualTo(1);
        assertThat(r.path("rtoMillis").asLong()).as(run.all()).isPositive();
        // asynchronous replication: a write acknowledged in the instant of the kill may never have left the primary
        assertThat(r.path("rpoMillis").asLong()).as(run.all()).isLessThan(1000);
        assertThat(r.path("acknowledgedWrites").asInt()).isGreaterThan(10);
        assertThat(r.at("/split/dnsMillis").isNumber()).as(run.all()).isTrue();
        assertThat(run.all()).doesNotContain("Exception");
        System.out.println("drill kill-primary " + engine + " in containers: RTO " + r.path("rtoMillis").asLong()
                + " ms, split " + r.path("split") + ", writes " + r.path("acknowledgedWrites").asLong()
                + " acknowledged, " + r.path("lostWrites").asLong() + " lost");
    }

    @Test
    void anInterruptedDrillLeavesNoContainerBehind() throws Exception {
        InheritedSignals.assumeHandled(InheritedSignals.SIGINT, "SIGINT (Ctrl-C)");
        engineReachable();
        var config = config("postgresql", "ct-int");
        var log = dir.resolve("drill.log");
        var process = drctl(System.getProperty("java.class.path"), Map.of(), log, "drill", "run", "ct-int-drill",
                "-c", config.toString(), "--report-dir", dir.resolve("reports").toString());
        try {
            Await.until("the drill writes to its environment", Duration.ofSeconds(180),
                    () -> DrillRunIT.read(log).contains("] write") || !process.isAlive());
            assertThat(process.isAlive()).as(DrillRunIT.read(log)).isTrue();
            assertThat(containers("ct-int")).as("the environment's containers run").isNotEmpty();
            // Ctrl-C
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            Await.until("the interrupted drill exits", Duration.ofSeconds(120), () -> !process.isAlive());
        } finally {
            process.destroyForcibly();
        }
        assertContainersGone("ct-int", DrillRunIT.read(log));
        // Testcontainers' own shutdown hook may race drctl's teardown for the same containers: one line, no trace
        assertThat(DrillRunIT.read(log)).doesNotContain("Exception", "\tat ");
    }

    @Test
    void withoutAnEngineTheDrillFailsAtOnceSayingWhyAndWhatToDo() throws Exception {
        var config = config("postgresql", "ct-none");
        var log = dir.resolve("drill.log");
        var process = drctl(System.getProperty("java.class.path"),
                Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-engine.sock")), log, "drill", "run", "ct-none-drill",
                "-c", config.toString());
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("exits at once").isTrue();
        var out = DrillRunIT.read(log);
        assertThat(process.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("no container engine reachable", "no-engine.sock: no such socket",
                ".ci/container-engine").doesNotContain("Exception", "\tat ");
    }

    @Test
    void withoutDrctlContainersJarTheDrillSaysWhatIsMissingAndHowToGetIt() throws Exception {
        var config = config("postgresql", "ct-nojar");
        var log = dir.resolve("drill.log");
        // drctl's class path without the containers module (and Testcontainers): a drctl.jar alone
        var classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("containers" + File.separator + "target") && !e.contains("testcontainers")
                        && !e.contains("docker-java"))
                .collect(Collectors.joining(File.pathSeparator));
        var process = drctl(classPath, Map.of(), log, "drill", "run", "ct-nojar-drill", "-c", config.toString());
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("exits at once").isTrue();
        var out = DrillRunIT.read(log);
        assertThat(process.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("environment 'testcontainers' needs drctl-containers.jar",
                "containers/target/drctl-containers.jar", "environment: local").doesNotContain("Exception", "\tat ");
    }

    private static Process drctl(String classPath, Map<String, String> env, Path log, String... args) throws IOException {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new java.util.ArrayList<>(List.of(java, "-cp", classPath, Drctl.class.getName()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static List<String> containers(String cluster) {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerTopology.LABEL, cluster)).exec().stream()
                .map(c -> c.getId() + " " + c.getState()).toList();
    }

    private static void assertContainersGone(String cluster, String output) {
        assertThat(containers(cluster)).as("containers of the drill's environment after the drill\n" + output)
                .isEmpty();
    }
}
