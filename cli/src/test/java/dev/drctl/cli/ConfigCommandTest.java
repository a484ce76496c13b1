package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigCommandTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    private Run drctl(Map<String, String> environment, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Drctl.commandLine(new Host(Clock.systemUTC(), environment))
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        var file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static String designExample() throws IOException {
        try (InputStream in = ConfigCommandTest.class.getResourceAsStream("/config/design-example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aValidConfigGivesASummaryAndExitZero() throws IOException {
        var file = write("drctl.yaml", designExample());
        var run = drctl(Map.of("PAYMENTS_DB_PASSWORD", "x", "SMTP_PASSWORD", "y"), "config", "check", "-c", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("config " + file + " is valid\n")
                .contains("CLUSTER   ENGINE      NODES  REGIONS                MODE  WRITER DNS\n"
                        + "payments  postgresql  3      ap-south-1,ap-south-2  auto  route53 payments-rw.db.example.com CNAME\n")
                .contains("notifications: email smtp.example.com:587 starttls from dr@example.com; "
                        + "audiences compliance, dba, management; webhooks https://hooks.example.com/… (slack); routes default\n")
                .contains("compliance: store jdbc:sqlite:/var/lib/drctl/drctl.db; targets rto 5m, rpo 0s, drill every 90d, "
                        + "notify within 2h; retention 7y; time zone Asia/Kolkata\n")
                .contains("payments-quarterly  payments  0 2 * * SUN  local        kill-primary\n")
                .doesNotContain("warning");
    }

    @Test
    void anUnsetSecretVariableIsAWarningNotAnError() throws IOException {
        var file = write("drctl.yaml", designExample());
        var run = drctl(Map.of("PAYMENTS_DB_PASSWORD", "x"), "config", "check", "-c", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).endsWith(
                "warning: notifications.email.password: ${env:SMTP_PASSWORD} is not set in this environment\n");
    }

    @Test
    void anUnreadableSecretFileIsAWarningTheTextSaysAsTheJsonDoes() throws IOException {
        var missing = dir.resolve("no-such-password");
        var file = write("drctl.yaml", designExample()
                .replace("${env:PAYMENTS_DB_PASSWORD}", "${file:" + missing + "}"));
        var run = drctl(Map.of("SMTP_PASSWORD", "y"), "config", "check", "-c", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("config " + file + " is valid, with 1 warning (below)\n")
                .endsWith("warning: clusters[0].credentials.password: ${file:" + missing
                        + "} is not a readable file here\n");
        var json = new ObjectMapper().readTree(drctl(Map.of("SMTP_PASSWORD", "y"), "config", "check", "-c",
                file.toString(), "-o", "json").out());
        assertThat(json.get("warnings")).singleElement().satisfies(w -> assertThat(run.out())
                .contains("warning: " + w.asText() + "\n"));
    }

    @Test
    void aValidConfigAsJson() throws IOException {
        var file = write("drctl.yaml", designExample());
        var run = drctl(Map.of(), "config", "check", "-c", file.toString(), "-o", "json");

        assertThat(run.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("valid").asBoolean()).isTrue();
        assertThat(json.at("/clusters/0/name").asText()).isEqualTo("payments");
        assertThat(json.at("/clusters/0/engine").asText()).isEqualTo("postgresql");
        assertThat(json.at("/clusters/0/nodes").asInt()).isEqualTo(3);
        assertThat(json.at("/clusters/0/mode").asText()).isEqualTo("auto");
        assertThat(json.at("/clusters/0/password").asText()).isEqualTo("${env:PAYMENTS_DB_PASSWORD}");
        assertThat(json.at("/compliance/timeZone").asText()).isEqualTo("Asia/Kolkata");
        assertThat(json.at("/drills/0/schedule").asText()).isEqualTo("0 2 * * SUN");
        assertThat(json.get("warnings")).hasSize(2);
    }

    @Test
    void anInvalidConfigListsEveryProblemAndExitsTwo() throws IOException {
        var file = write("broken.yaml", """
                clusters:
                  - name: pay
                    engin: postgresql
                    credentials: { user: drctl }
                    nodes:
                      - { name: a, host: h1, port: 5432, region: r1 }
                      - { name: a, host: h2, port: 5432, region: r2 }
                    failover: { probe-timeout: 800, prefer-regions: [r3] }
                """);
        var run = drctl(Map.of(), "config", "check", "-c", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEqualTo(file + ":3:5: clusters[0].engin: unknown key \"engin\"; did you mean engine?\n"
                + file + ":7:17: clusters[0].nodes[1].name: found node name \"a\" again (first at line 6); "
                + "expected node names to be unique\n"
                + file + ":8:32: clusters[0].failover.probe-timeout: found 800 (a number without a unit); "
                + "expected a duration like 800ms, 3s, 10m\n"
                + file + ":8:54: clusters[0].failover.prefer-regions[0]: found region \"r3\", which no node of this "
                + "cluster is in; expected one of r1, r2\n"
                + "config " + file + " is invalid: 4 problems\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void anInvalidConfigAsJson() throws IOException {
        var file = write("broken.yaml", "clusters: []\n");
        var run = drctl(Map.of(), "config", "check", "-c", file.toString(), "-o", "json");

        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("valid").asBoolean()).isFalse();
        assertThat(json.get("problems")).hasSize(1);
        var problem = json.get("problems").get(0);
        assertThat(problem.get("line").asInt()).isEqualTo(1);
        assertThat(problem.get("column").asInt()).isEqualTo(11);
        assertThat(problem.get("field").asText()).isEqualTo("clusters");
        assertThat(problem.get("message").asText()).isEqualTo("found an empty list; expected at least one cluster");
    }

    @Test
    void aMissingFileSaysHowToNameOne() {
        var missing = dir.resolve("nope.yaml");
        var run = drctl(Map.of(), "config", "check", "-c", missing.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("drctl: config file " + missing + " (given with -c) not found\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aYamlSyntaxErrorIsOneProblemWithNoStackTrace() throws IOException {
        var file = write("broken.yaml", "clusters:\n  - name: [pay\n");
        var run = drctl(Map.of(), "config", "check", "-c", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).startsWith(file + ":3:1: YAML syntax error: ").contains("is invalid: 1 problem\n");
        assertThat(run.out() + run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** The values of secrets: they must never appear in any output, whatever the format or outcome. */
    private static final List<String> SECRET_VALUES = List.of("env-secret-7f3a", "file-secret-91c2", "url-secret-5d0e",
            "literal-secret-c4b8");

    @ParameterizedTest
    @ValueSource(strings = {"table", "json"})
    void noSecretValueAppearsInAnyOutput(String format) throws IOException {
        Files.writeString(dir.resolve("smtp.pw"), "file-secret-91c2\n");
        var valid = write("valid.yaml", designExample()
                .replace("${env:SMTP_PASSWORD}", "${file:smtp.pw}")
                .replace("jdbc:sqlite:/var/lib/drctl/drctl.db",
                        "jdbc:postgresql://drctl:url-secret-5d0e@db.example.com/drctl?password=url-secret-5d0e"));
        var invalid = write("invalid.yaml", designExample()
                .replace("\"${env:PAYMENTS_DB_PASSWORD}\"", "literal-secret-c4b8")
                .replace("${env:SMTP_PASSWORD}", "${file:smtp.pw}"));
        var environment = Map.of("PAYMENTS_DB_PASSWORD", "env-secret-7f3a");

        var ok = drctl(environment, "config", "check", "-c", valid.toString(), "-o", format);
        var bad = drctl(environment, "config", "check", "-c", invalid.toString(), "-o", format);

        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains("jdbc:postgresql://drctl:***@db.example.com/drctl?password=***");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.out()).contains("literal secrets are not allowed; use ${env:…} or ${file:…}");
        for (var output : List.of(ok.out(), ok.err(), bad.out(), bad.err())) {
            for (var secret : SECRET_VALUES) {
                assertThat(output).doesNotContain(secret);
            }
        }
    }

    @Test
    void deviceFilesAsSecretsAndHugeValuesAreProblemsWithLineAndFieldNotValid() throws Exception {
        var yaml = """
                clusters:
                  - name: pay
                    engine: postgresql
                    credentials: { user: drctl, password: "${file:/dev/zero}" }
                    nodes:
                      - { name: a, host: h1, port: 5432, region: r1 }
                      - { name: b, host: h2, port: 5432, region: "%s" }
                notifications:
                  email: { host: smtp.example.com, port: 587, user: u, password: "${file:/dev/urandom}", from: dr@example.com }
                  webhooks: [ { url: "https://hooks.example.com/x", format: slack, secret: "${file:%s}" } ]
                """.formatted("r".repeat(70_000), dir);
        var devices = write("devices.yaml", yaml.replace("r".repeat(70_000), "r2"));
        long started = System.nanoTime();
        var run = drctl(Map.of(), "config", "check", "-c", devices.toString());
        System.out.printf("config check naming three device/directory secrets: %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.out()).contains(devices + ":4:43: clusters[0].credentials.password: secret ${file:/dev/zero}: "
                        + "/dev/zero is not a regular file (a device, pipe or socket)")
                .contains("notifications.email.password: secret ${file:/dev/urandom}: /dev/urandom is not a regular file")
                .contains("notifications.webhooks[0].secret: secret ${file:" + dir + "}: " + dir + " is a directory")
                .contains("is invalid: 3 problems").doesNotContain(" is valid");

        var huge = write("huge.yaml", yaml);
        started = System.nanoTime();
        var big = drctl(Map.of(), "config", "check", "-c", huge.toString());
        System.out.printf("config check of a 70 000-character value: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(big.exitCode()).isEqualTo(2);
        assertThat(big.out()).contains(huge + ":7:50: clusters[0].nodes[1].region: found a value of 70000 characters; "
                + "expected at most 65536 (64 KB)").doesNotContain("rrrrrrrr");
    }
}
