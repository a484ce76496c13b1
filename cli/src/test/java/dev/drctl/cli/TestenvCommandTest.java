package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The testenv command's refusals: each is bad usage (exit 2) with a message that says what to do. */
class TestenvCommandTest {
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

    @Test
    void withoutASubcommandItShowsTheSubcommands() {
        var r = run("testenv");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("missing subcommand", "up", "down", "status", "kill", "stop", "start");
    }

    /** Down with nothing up is what the user asked for already: exit 0, saying so (it was exit 2, "bad usage"). */
    @Test
    void downWithNothingUpSaysNothingWasRunningAndSucceeds() {
        var r = run("testenv", "down");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("nothing was running (no topology in " + home.resolve(".drctl/testenv") + ")");
        var json = run("testenv", "down", "-o", "json");
        assertThat(json.exit()).isZero();
        assertThat(json.out()).contains("\"stopped\" : [ ]").contains("\"removed\" : false");
    }

    @Test
    void statusWithNothingUpSaysWhereItLookedAndHowToStartOne() {
        var r = run("testenv", "status");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no testenv topology in " + home.resolve(".drctl/testenv"),
                "drctl testenv up --engine postgresql|mariadb");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void anUnknownEngineIsBadUsage() {
        var r = run("testenv", "up", "--engine", "oracle");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--engine: expected postgresql or mariadb, got 'oracle'");
    }

    @Test
    void regionsMustNameEveryNode() {
        var r = run("testenv", "up", "--engine", "postgresql", "--replicas", "2", "--regions", "a,b",
                "--dir", home.resolve("t").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("regions [a, b] name 2 nodes, the topology has 3 (primary first)");
    }

    @Test
    void killNeedsANode() {
        var r = run("testenv", "kill");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("NODE");
    }
}
