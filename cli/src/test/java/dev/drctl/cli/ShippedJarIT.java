package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar users run ({@code cli/target/drctl.jar}, as the package phase leaves it: shaded, filtered, its
 * dependencies' debug tables stripped) run as {@code java -jar}, not drctl's classes on the test class path: every
 * other test would pass with a class the shade filters dropped. One walk through what each dependency does at run
 * time — picocli, YAML, both JDBC drivers' logins, HikariCP, SQLite and Flyway (the store), the AWS SDK against
 * the Route53 stand-in with errors injected (a drill), Jackson (JSON), Curator and the ZooKeeper client against a
 * real ensemble, the metrics endpoint — each checked by what it answers.
 */
class ShippedJarIT {
    static final Path JAR = Path.of("target", "drctl.jar");

    @TempDir
    Path home;

    record Run(int exit, String out) {}

    Process start(Path log, String... args) throws IOException {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("DRCTL_CONFIG");
        return builder.start();
    }

    Run run(Duration limit, String... args) throws IOException, InterruptedException {
        var log = Files.createTempFile(home, "run", ".log");
        var p = start(log, args);
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("drctl " + String.join(" ", args) + " still running after " + limit + ":\n"
                    + Files.readString(log));
        }
        var out = Files.readString(log);
        assertThat(out).as("drctl " + String.join(" ", args)).doesNotContain("\tat ", "NoClassDefFoundError",
                "ClassNotFoundException");
        return new Run(p.exitValue(), out);
    }

    @Test
    void theShippedJarWorksEndToEnd() throws Exception {
        assertThat(JAR).as("the package phase's jar").exists();
        var version = run(Duration.ofSeconds(30), "--version");
        assertThat(version.exit()).as(version.out()).isZero();
        assertThat(version.out()).startsWith("drctl ");

        var dir = home.resolve("topology");
        var config = dir.resolve("drctl.yaml");
        var up = run(Duration.ofMinutes(3), "testenv", "up", "--engine", "postgresql", "--replicas", "1",
                "--dir", dir.toString());
        try {
            assertThat(up.exit()).as(up.out()).isZero();
            var status = run(Duration.ofSeconds(60), "status", "-c", config.toString());
            assertThat(status.exit()).as(status.out()).isZero();
            assertThat(status.out()).startsWith("HEALTHY: testenv-pg");
            var json = run(Duration.ofSeconds(60), "status", "-c", config.toString(), "-o", "json");
            assertThat(json.out()).contains("\"healthy\" : true");
            var dns = run(Duration.ofSeconds(60), "dns", "show", "testenv-pg", "-c", config.toString());
            assertThat(dns.exit()).as(dns.out()).isZero();
            assertThat(dns.out()).contains("in sync");

            // The AWS SDK's Route53 client, retrying against the stand-in's injected errors, inside a whole drill.
            var drills = home.resolve("drills.yaml");
            Files.writeString(drills, Files.readString(config) + """
                    drills:
                      - name: r53
                        cluster: testenv-pg
                        environment: local
                        failure: route53-errors
                        workload: { inserts-per-second: 20, duration: 5s }
                    """);
            var drill = run(Duration.ofMinutes(3), "drill", "run", "r53", "-c", drills.toString());
            assertThat(drill.exit()).as(drill.out()).isZero();
            assertThat(drill.out()).contains("drill r53: PASSED").containsPattern("\\d+ Route53 requests answered with an error");

            var verify = run(Duration.ofSeconds(60), "audit", "verify", "-c", drills.toString());
            assertThat(verify.exit()).as(verify.out()).isZero();
            assertThat(verify.out()).contains("journal intact");

            coordinatedDaemon(config);
        } finally {
            run(Duration.ofMinutes(1), "testenv", "down", "--dir", dir.toString());
        }
    }

    /** The daemon under a real ZooKeeper ensemble (bin/zk-ensemble) leads the cluster; SIGTERM stops it. */
    void coordinatedDaemon(Path testenvConfig) throws Exception {
        var ensemble = home.resolve("zk");
        CoordinatedDaemonsIT.script("start", ensemble.toString());
        var connect = Files.readString(ensemble.resolve("connect")).strip();
        Process daemon = null;
        var log = home.resolve("daemon.log");
        try {
            var config = home.resolve("zk.yaml");
            Files.writeString(config, Files.readString(testenvConfig)
                    + "coordination: { zookeeper: \"" + connect + "\", session-timeout: 4s }\n");
            daemon = start(log, "run", "-c", config.toString());
            var listening = Pattern.compile("/metrics on (http://127\\.0\\.0\\.1:\\d+)");
            Await.until("the daemon says where its endpoint listens", Duration.ofSeconds(60),
                    () -> listening.matcher(DrillRunIT.read(log)).find());
            var m = listening.matcher(DrillRunIT.read(log));
            assertThat(m.find()).isTrue();
            var metrics = URI.create(m.group(1) + "/metrics");
            var http = HttpClient.newHttpClient();
            Await.until("the daemon leads testenv-pg through ZooKeeper", Duration.ofSeconds(60), () -> {
                try {
                    var body = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                    return body.contains("drctl_zookeeper_connected 1.0")
                            && body.contains("drctl_cluster_leading{cluster=\"testenv-pg\"} 1.0");
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            daemon.destroy();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            assertThat(daemon.exitValue()).as(DrillRunIT.read(log)).isEqualTo(143);
            assertThat(DrillRunIT.read(log)).contains("drctl run: stopped").doesNotContain("\tat ", "NoClassDefFoundError");
        } finally {
            if (daemon != null && daemon.isAlive()) {
                daemon.destroyForcibly().waitFor();
            }
            CoordinatedDaemonsIT.script("stop", ensemble.toString());
        }
    }
}
