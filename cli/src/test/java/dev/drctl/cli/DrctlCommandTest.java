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
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), Map.of()));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
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
        assertThat(r.err()).contains("Unmatched argument").contains("drctl --help");
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
