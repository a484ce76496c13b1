package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated bad (and some good) configs through {@code drctl config check} and {@code drctl status}, in-process: wrong
 * types, missing keys, unicode, huge values, binary, alias bombs, devices and FIFOs as secrets, broken indentation.
 * Every run must end (5 s is the hang detector: a FIFO once blocked for ever, /dev/zero ran out of memory after 15 s)
 * with the exit code of its verdict, and print no stack trace and no exception's name. The seed is fixed and printed,
 * so a failure replays.
 */
class ConfigFuzzTest {
    private static final long SEED = 20261128L;
    private static final int CASES = 240;

    @TempDir
    static Path dir;
    static ExecutorService runner;
    static Path fifo;
    static Path bigSecret;
    static Path goodSecret;

    @BeforeAll
    static void setUp() throws Exception {
        runner = Executors.newCachedThreadPool(r -> {
            var t = new Thread(r, "fuzz-run");
            t.setDaemon(true); // a hung run must not keep the test JVM alive
            return t;
        });
        fifo = dir.resolve("secret-fifo");
        var p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        bigSecret = dir.resolve("big-secret");
        Files.writeString(bigSecret, "s".repeat(70_000));
        goodSecret = dir.resolve("good-secret");
        Files.writeString(goodSecret, "Fuzz-Passw0rd\n");
    }

    @AfterAll
    static void tearDown() {
        runner.shutdownNow();
    }

    private static String base(String password, String host) {
        return """
                clusters:
                  - name: fuzz
                    engine: postgresql
                    credentials: { user: drctl, password: "%s" }
                    nodes:
                      - { name: a, host: %s, port: 1, region: r1 }
                      - { name: b, host: %s, port: 2, region: r2 }
                    failover: { probe-timeout: 300ms, probe-interval: 1s }
                compliance:
                  store: "jdbc:sqlite:%s"
                """.formatted(password, host, host, dir.resolve("fuzz.db"));
    }

    record Case(String kind, byte[] bytes) {
    }

    static List<Case> cases() {
        var random = new Random(SEED);
        var good = base("${file:" + goodSecret + "}", "127.0.0.1");
        var out = new ArrayList<Case>();
        List<Supplier<Case>> generators = List.of(
                () -> text("valid", good),
                () -> text("wrong type", good.replace(pick(random, "port: 1", "name: fuzz", "engine: postgresql",
                        "region: r1", "probe-timeout: 300ms"), pick(random, "port: [1, 2]", "name: {a: 1}",
                        "engine: 42", "region: ~", "probe-timeout: true", "port: -5", "port: 99999999999999"))),
                () -> text("missing key", dropLine(random, good)),
                () -> text("unicode", good.replace("name: fuzz", "name: " + pick(random, "\"fü∫∫\"", "\"日本語\"",
                        "\"\\u202Eevil\"", "\"a\\u0000b\"", "\"😀\"", "\"\\u200B\"")).replace("r1", pick(random,
                        "ρ1", "r\u00A01", "\"\\uFFFF\""))),
                () -> text("huge value", good.replace("region: r1", "region: \"" + "r".repeat(
                        60_000 + random.nextInt(20_000)) + "\"")),
                () -> text("huge file", good + "# " + "x".repeat(1_048_576 + random.nextInt(1000)) + "\n"),
                () -> text("many keys", good + "drills:\n" + "  - { name: d, cluster: fuzz }\n".repeat(
                        1 + random.nextInt(3000))),
                () -> new Case("binary", bytes(random, 1 + random.nextInt(4096))),
                () -> new Case("binary prefix", concat(good.getBytes(StandardCharsets.UTF_8), bytes(random, 64))),
                () -> text("alias bomb", bomb(2 + random.nextInt(8), 2 + random.nextInt(9)) + good),
                () -> text("alias loop", "x: &x [*x]\n" + good),
                () -> text("deep nesting", good + "drills: " + "[".repeat(40 + random.nextInt(400))
                        + "]".repeat(10) + "\n"),
                () -> text("device secret", base("${file:" + pick(random, "/dev/zero", "/dev/urandom",
                        fifo.toString(), dir.toString(), bigSecret.toString(), "/dev/null", "/proc/self/mem") + "}",
                        "127.0.0.1")),
                () -> text("env secret", base("${env:" + pick(random, "UNSET_FUZZ", "", "1BAD", "A B") + "}",
                        "127.0.0.1")),
                () -> text("literal secret", base(pick(random, "hunter2", "${nope:x}", "${file:}", "${", ""),
                        "127.0.0.1")),
                () -> text("mutated", mutate(random, good)),
                () -> text("bad host", base("${file:" + goodSecret + "}", pick(random, "\"http://x/\"", "\"\"",
                        "\"a b\"", "\"::1\"", "\"[\"")))
        );
        for (int i = 0; i < CASES; i++) {
            out.add(generators.get(i % generators.size()).get());
        }
        return out;
    }

    @Test
    void everyGeneratedConfigEndsWithItsVerdictAndNoStackTrace() throws Exception {
        System.out.println("config fuzz seed " + SEED + ", " + CASES + " cases");
        var cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        // Loading picocli, SnakeYAML, the JDBC drivers and the store's migrations once is the JVM's start-up, not the
        // input's cost: done first with a start-up's deadline, so the 5 s bound below measures each input.
        var warmUp = dir.resolve("warm-up.yaml");
        Files.writeString(warmUp, base("${file:" + goodSecret + "}", "127.0.0.1"));
        for (var command : List.of("config check", "status")) {
            var args = new ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of("-c", warmUp.toString()));
            runner.submit(() -> CliRun.of(args.toArray(String[]::new))).get(120, TimeUnit.SECONDS);
        }
        int valid = 0;
        int invalid = 0;
        for (int i = 0; i < cases.size(); i++) {
            var c = cases.get(i);
            var file = dir.resolve("case-" + i + ".yaml");
            Files.write(file, c.bytes());
            var label = "case " + i + " (" + c.kind() + ", " + file + ")";
            var check = run(label, "config", "check", "-c", file.toString());
            assertThat(check.exit()).as(label + " config check: " + clip(check.all())).isIn(0, 2);
            var status = run(label, "status", "-c", file.toString());
            if (check.exit() == 2) {
                invalid++;
                assertThat(status.exit()).as(label + " status of an invalid config: " + clip(status.all())).isEqualTo(2);
                assertThat(check.out()).as(label).contains(file.toString());
            } else {
                valid++;
                // the nodes are closed ports: the cluster is down (1), or a secret is unusable here (2); never a crash
                assertThat(status.exit()).as(label + " status: " + clip(status.all())).isIn(0, 1, 2);
            }
            for (var r : List.of(check, status)) {
                assertThat(r.all()).as(label + " prints no stack trace").doesNotContain("Exception")
                        .doesNotContain("OutOfMemoryError").doesNotContain("StackOverflowError")
                        .doesNotContainPattern("\\n\\s+at [\\w.$]+\\(").doesNotContain("Fuzz-Passw0rd");
            }
        }
        System.out.printf("config fuzz: %d valid, %d refused with exit 2; slowest run %d ms (%s)%n", valid, invalid,
                slowestNanos / 1_000_000, slowest);
        assertThat(valid).as("some generated configs are valid, so status really probes").isPositive();
        assertThat(invalid).isGreaterThan(CASES / 2);
    }

    private static long slowestNanos;
    private static String slowest = "";

    private static CliRun run(String label, String... args) throws Exception {
        long start = System.nanoTime();
        var future = runner.submit(() -> CliRun.of(args));
        try {
            var result = future.get(5, TimeUnit.SECONDS);
            long took = System.nanoTime() - start;
            if (took > slowestNanos) {
                slowestNanos = took;
                slowest = label + " " + args[0];
            }
            return result;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError(label + ": drctl " + String.join(" ", args) + " did not end within 5 s");
        }
    }

    private static String clip(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }

    private static Case text(String kind, String yaml) {
        return new Case(kind, yaml.getBytes(StandardCharsets.UTF_8));
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }

    private static String dropLine(Random random, String yaml) {
        var lines = new ArrayList<>(List.of(yaml.split("\n")));
        lines.remove(random.nextInt(lines.size()));
        return String.join("\n", lines) + "\n";
    }

    private static byte[] bytes(Random random, int n) {
        var b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        var out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** {@code levels} anchors, each a list of {@code width} aliases of the one before: width^levels values. */
    private static String bomb(int levels, int width) {
        var s = new StringBuilder("l0: &l0 [" + "x, ".repeat(width - 1) + "x]\n");
        for (int i = 1; i <= levels; i++) {
            s.append("l").append(i).append(": &l").append(i).append(" [")
                    .append(("*l" + (i - 1) + ", ").repeat(width - 1)).append("*l").append(i - 1).append("]\n");
        }
        return s.toString();
    }

    private static String mutate(Random random, String yaml) {
        var b = new StringBuilder(yaml);
        int edits = 1 + random.nextInt(6);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(4)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, pick(random, ' ', ':', '{', '[', '&', '*', '"', '\t', '-', '#', '!', '%'));
                case 2 -> b.setCharAt(at, (char) (32 + random.nextInt(95)));
                case 3 -> b.insert(at, "\n" + " ".repeat(random.nextInt(8)));
                default -> throw new IllegalStateException();
            }
        }
        return b.toString();
    }
}
