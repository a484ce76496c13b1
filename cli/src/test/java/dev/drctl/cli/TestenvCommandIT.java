package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drctl testenv} as a user runs it: up, status, kill, start, down against real PostgreSQL servers. */
class TestenvCommandIT {
    @TempDir
    Path home;

    record Run(int exit, String out, String err) {}

    Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), Map.of("HOME", home.toString())));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    static long pid(String status, String node) {
        var m = Pattern.compile(node + " .*running \\(pid (\\d+)\\)").matcher(status);
        assertThat(m.find()).as(node + " running in\n" + status).isTrue();
        return Long.parseLong(m.group(1));
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(h -> h.isAlive() && !isZombie(pid)).orElse(false);
    }

    static boolean isZombie(long pid) {
        try {
            var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    void upStatusKillStartDownLeaveNoServerBehind() throws java.io.IOException {
        var dir = home.resolve(".drctl/testenv");
        try {
            var up = run("testenv", "up", "--engine", "postgresql", "--replicas", "1", "--regions", "eu-1,eu-2");
            assertThat(up.exit()).as(up.err()).isZero();
            assertThat(up.out()).contains("testenv up: testenv-pg (postgresql, asynchronous replication) in " + dir,
                    "config:   " + dir.resolve("drctl.yaml"), "stop it:  drctl testenv down",
                    "daemon:   drctl run -c " + dir.resolve("drctl.yaml"));
            assertThat(dir.resolve("drctl.yaml")).exists().content().as("the daemon fails over by itself")
                    .contains("mode: auto");
            long pg1 = pid(up.out(), "pg-1");
            var dns = run("dns", "show", "testenv-pg", "-c", dir.resolve("drctl.yaml").toString());
            assertThat(dns.exit()).as("a fresh topology's writer record is in sync: " + dns.out() + dns.err()).isZero();
            assertThat(dns.out()).contains("in sync: the writer record points at the primary");
            long pg2 = pid(up.out(), "pg-2");

            var again = run("testenv", "up", "--engine", "postgresql");
            assertThat(again.exit()).isEqualTo(2);
            assertThat(again.err()).contains("already up in " + dir + " (running: pg-1, pg-2)");

            var kill = run("testenv", "kill", "pg-2");
            assertThat(kill.exit()).isZero();
            assertThat(kill.out()).contains("killed pg-2 (pid " + pg2 + ") with SIGKILL");
            assertThat(alive(pg2)).isFalse();

            var status = run("testenv", "status");
            assertThat(status.exit()).isZero();
            assertThat(status.out()).containsPattern("pg-2 +replica +127\\.0\\.0\\.1:\\d+ +eu-2 +not running");
            assertThat(pid(status.out(), "pg-1")).isEqualTo(pg1);

            var start = run("testenv", "start", "pg-2");
            assertThat(start.exit()).as(start.err()).isZero();
            assertThat(start.out()).startsWith("started pg-2 (pid ");
            long restarted = pid(run("testenv", "status").out(), "pg-2");

            // state of this topology in its store, which the next topology in the directory must not inherit
            var config = dir.resolve("drctl.yaml").toString();
            var maintenance = run("maintenance", "on", "testenv-pg", "--reason", "reindex before the move", "-c", config);
            assertThat(maintenance.exit()).as(maintenance.err()).isZero();
            assertThat(run("status", "-c", config).out()).contains("reindex before the move");

            var down = run("testenv", "down");
            assertThat(down.exit()).as(down.err()).isZero();
            assertThat(down.out()).contains("stopped pg-1 (pid " + pg1 + "), pg-2 (pid " + restarted + ")");
            assertThat(alive(pg1)).isFalse();
            assertThat(alive(restarted)).isFalse();
            assertThat(dir.resolve("testenv.json")).doesNotExist();

            var second = run("testenv", "down");
            assertThat(second.exit()).as(second.err()).isZero();
            assertThat(second.out()).contains("nothing was running");

            // a new topology in the same directory: a store of its own, the last one's journal kept whole beside it
            var next = run("testenv", "up", "--engine", "postgresql", "--replicas", "1");
            assertThat(next.exit()).as(next.err()).isZero();
            assertThat(next.err()).contains("is kept as " + dir.resolve("journals"));
            try (var archived = Files.list(dir.resolve("journals"))) {
                var stores = archived.filter(p -> p.getFileName().toString().endsWith(".db")).toList();
                assertThat(stores).hasSize(1);
                assertThat(Files.size(stores.getFirst())).isPositive();
            }
            var fresh = run("status", "-c", config);
            assertThat(fresh.exit()).as(fresh.out() + fresh.err()).isZero();
            assertThat(fresh.out()).doesNotContain("reindex before the move");
        } finally {
            if (Files.exists(dir.resolve("testenv.json"))) {
                run("testenv", "down");
            }
        }
    }

    /** The embedded build, forced where PostgreSQL is installed: up, a look through drctl status, down. */
    @Test
    void upFromTheEmbeddedBuildStreamsAndComesDownAgain() throws java.io.IOException {
        var dir = home.resolve(".drctl/testenv");
        try {
            var up = run("testenv", "up", "--engine", "postgresql", "--binaries", "embedded");
            org.junit.jupiter.api.Assumptions.assumeFalse(up.exit() != 0 && (up.err().contains("embedded fallback")
                    || up.err().contains("download")), "embedded PostgreSQL not available: " + up.err());
            assertThat(up.exit()).as(up.err()).isZero();
            assertThat(Files.readString(dir.resolve("testenv.json"))).contains("postgresql-15.8.0/bin")
                    .doesNotContain("/usr/lib/postgresql");
            var status = run("status", "-c", dir.resolve("drctl.yaml").toString());
            assertThat(status.exit()).as(status.out() + status.err()).isZero();
            assertThat(status.out()).contains("HEALTHY: testenv-pg — primary pg-1, 2 replicas streaming");
            long pg1 = pid(up.out(), "pg-1");
            var down = run("testenv", "down");
            assertThat(down.exit()).as(down.err()).isZero();
            assertThat(alive(pg1)).isFalse();
        } finally {
            if (Files.exists(dir.resolve("testenv.json"))) {
                run("testenv", "down");
            }
        }
    }
}
