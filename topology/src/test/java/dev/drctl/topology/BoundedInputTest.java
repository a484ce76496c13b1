package dev.drctl.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input drctl must refuse quickly, by name and without reading it all: a config over 1 MB, a value over 64 KB, an alias
 * bomb, an alias loop, deep nesting, a config or secret that is a device, a FIFO or a directory, a secret over 64 KB.
 * Each is a {@link ConfigException} (exit 2) naming the file, line, field and reason, never an error of the JVM.
 */
class BoundedInputTest {
    private static final String BASE = """
            clusters:
              - name: pay
                engine: postgresql
                credentials: { user: drctl, password: "%s" }
                nodes:
                  - { name: a, host: h1, port: 5432, region: r1 }
                  - { name: b, host: h2, port: 5432, region: r2 }
            """;

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        var file = dir.resolve("drctl.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static ConfigProblem onlyProblem(Path file) {
        var e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e).as("refused as a config problem").isNotNull();
        assertThat(e.code().exitCode()).isEqualTo(2);
        assertThat(e.problems()).hasSize(1);
        return e.problems().getFirst();
    }

    @Test
    void aConfigOverOneMegabyteIsRefusedBeforeItIsParsed() throws Exception {
        var file = write(BASE.formatted("${env:P}") + "# " + "x".repeat(InputBounds.MAX_CONFIG_BYTES) + "\n");
        var p = onlyProblem(file);
        assertThat(p.file()).isEqualTo(file);
        assertThat(p.message()).startsWith("the file is " + Files.size(file) + " bytes; expected at most 1048576 (1 MB)");
    }

    @Test
    void aValueOver64KbIsNamedByLineAndField() throws Exception {
        var file = write(BASE.formatted("${env:P}").replace("region: r2", "region: \"" + "r".repeat(200_000) + "\""));
        var p = onlyProblem(file);
        assertThat(p.line()).isEqualTo(7);
        assertThat(p.field()).isEqualTo("clusters[0].nodes[1].region");
        assertThat(p.message()).isEqualTo("found a value of 200000 characters; expected at most 65536 (64 KB)");
    }

    @Test
    void moreValuesThanAnyConfigHoldsAreRefusedWithoutReadingThemAll() throws Exception {
        var file = write(BASE.formatted("${env:P}") + "drills:\n" + "  - x\n".repeat(60_000));
        var p = onlyProblem(file);
        assertThat(p.message()).matches("found \\d+ values; expected at most 50000 in a config file \\(about 500 clusters\\)");

        var drills = new StringBuilder(BASE.formatted("${env:P}") + "drills:\n");
        for (int i = 0; i < 3000; i++) {
            drills.append("  - { name: d").append(i).append(", cluster: pay, schedule: \"0 2 * * SUN\", environment: local, "
                    + "failure: kill-primary }\n");
        }
        assertThat(ConfigLoader.load(write(drills.toString())).drills()).as("a schedule is parsed once, not per drill")
                .hasSize(3000);
        var wrong = drills.toString().replace("failure: kill-primary", "failure: melt");
        var e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(write(wrong)));
        assertThat(e.problems()).hasSize(ConfigReader.MAX_PROBLEMS + 1);
        assertThat(e.problems()).last().satisfies(last -> assertThat(last.message())
                .isEqualTo("2900 more problems not listed; fix these first"));
    }

    @Test
    void anAliasBombIsRefusedAndASharedBlockIsNot() throws Exception {
        var bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            var prev = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [").append(("*" + prev + ", ").repeat(9)).append('*')
                    .append(prev).append("]\n");
        }
        var file = write(bomb + BASE.formatted("${env:P}") + "notifications: { audiences: { dba: *i } }\n");
        var p = onlyProblem(file);
        assertThat(p.message()).contains("YAML aliases (*name) expand the file to").contains("an alias bomb?");

        // an anchor and its alias are ordinary YAML: no bound applies
        var ordinary = write(BASE.formatted("${env:P}").replace("{ name: a, host: h1, port: 5432, region: r1 }",
                "&n { name: a, host: h1, port: 5432, region: r1 }").replace("{ name: b, host: h2, port: 5432, region: r2 }",
                "{ name: b, host: h2, port: 5432, region: r2, priority: 1 }") + "drills: []\n");
        assertThat(ConfigLoader.load(ordinary).clusters()).hasSize(1);
    }

    @Test
    void tooManyAliasesOrTooDeepNestingAreTheParsersRefusalNamedAsSuch() throws Exception {
        var aliases = new StringBuilder(BASE.formatted("${env:P}") + "x: &x [1]\ny: [");
        aliases.append("*x, ".repeat(InputBounds.MAX_COLLECTION_ALIASES + 5)).append("*x]\n");
        assertThat(onlyProblem(write(aliases.toString())).message()).startsWith("the YAML parser refused the file: ");

        var deep = BASE.formatted("${env:P}") + "z: " + "[".repeat(500) + "]".repeat(500) + "\n";
        assertThat(onlyProblem(write(deep)).message()).startsWith("the YAML parser refused the file: ");
    }

    @Test
    void aConfigThatIsADeviceOrAFifoIsRefusedWithoutBeingRead() throws Exception {
        for (var device : List.of(Path.of("/dev/zero"), Path.of("/dev/urandom"), fifo("config-fifo"))) {
            var e = catchThrowableOfType(DrctlException.class, () -> ConfigLoader.load(device));
            assertThat(e.code().exitCode()).isEqualTo(2);
            assertThat(e.getMessage()).isEqualTo("config file " + device
                    + " is not a regular file (a device, pipe or socket); expected a YAML file");
        }
    }

    @Test
    void aSecretFileThatIsNotARegularSmallFileIsAConfigProblemAndNeverRead() throws Exception {
        var big = dir.resolve("big-secret");
        Files.writeString(big, "s".repeat(InputBounds.MAX_VALUE_CHARS + 1));
        var cases = Map.of(
                Path.of("/dev/zero"), "is not a regular file (a device, pipe or socket)",
                Path.of("/dev/urandom"), "is not a regular file (a device, pipe or socket)",
                fifo("secret-fifo"), "is not a regular file (a device, pipe or socket)",
                dir, "is a directory",
                big, "is 65537 bytes; expected a secret of at most 65536 bytes (64 KB)");
        for (var c : cases.entrySet()) {
            var file = write(BASE.formatted("${file:" + c.getKey() + "}"));
            var p = onlyProblem(file);
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.field()).isEqualTo("clusters[0].credentials.password");
            assertThat(p.message()).startsWith("secret ${file:" + c.getKey() + "}: " + c.getKey() + " " + c.getValue());
            var resolve = catchThrowableOfType(DrctlException.class,
                    () -> new SecretRef.File(c.getKey()).resolve(Map.of()));
            assertThat(resolve.code()).isEqualTo(TopologyErrorCode.SECRET_UNRESOLVABLE);
            assertThat(resolve.getMessage()).contains(c.getValue()).doesNotContain("sss");
        }
        var ok = dir.resolve("ok-secret");
        Files.writeString(ok, "  Corr3ct-Horse \n");
        assertThat(new SecretRef.File(ok).resolve(Map.of())).isEqualTo("Corr3ct-Horse");
        var missing = dir.resolve("not-here");
        assertThat(ConfigLoader.load(write(BASE.formatted("${file:" + missing + "}"))).clusters())
                .as("a secret missing here may exist where the daemon runs").hasSize(1);
    }

    private Path fifo(String name) throws Exception {
        var path = dir.resolve(name);
        var p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return path;
    }
}
