package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrctlCommandTest {

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        return run(Drctl.commandLine(new Host(Clock.systemUTC(), Map.of())), args);
    }

    static Run run(picocli.CommandLine cl, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /**
     * main builds only the commands the arguments name; whatever the arguments, the answer (exit, output, errors) is
     * the one the whole tree gives.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"--version", "-V", "status --help", "status -h",
            "status --bogus", "status", "stauts", "audit", "audit verify --help", "audit nope", "failover --help",
            "failover", "testenv down --help", "config check --help", "help status", "--help", "",
            "status -c /nonexistent/drctl.yaml", "candidates --hlep"})
    void theTreeBuiltForTheArgumentsAnswersAsTheWholeTree(String line) {
        var args = line.isEmpty() ? new String[0] : line.split(" ");
        var host = new Host(Clock.systemUTC(), Map.of("HOME", "/nonexistent-home"));
        var whole = run(Drctl.commandLine(host), args);
        var built = run(Drctl.commandLine(host, args), args);
        assertThat(built).isEqualTo(whole);
    }

    @Test
    void helpListsEveryUsageRowAndTheExitCodes() {
        var r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("run", "drill", "demo", "status", "candidates", "failover", "switchover", "rejoin", "audit", "dns",
                "notify", "testenv", "config", "help", "completion");
        assertThat(r.out()).contains("3   refused by a safety rule");
    }

    @Test
    void versionNamesTheBuild() {
        var r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("drctl ");
    }

    @Test
    void unknownCommandIsBadUsage() {
        var r = run("frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("drctl has no command 'frobnicate'").contains("drctl --help");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void aGroupCalledAloneSuggestsASubcommand() {
        var r = run("audit");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("drctl audit: missing subcommand; try 'drctl audit verify -c FILE'.")
                .contains("Commands:");
    }
}
