package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The question before a failover, switchover or rejoin: asked at a terminal after the plan is shown, never with
 * {@code --yes}, never without a terminal. Against nodes nobody listens on, so the plan itself ends refused and
 * nothing could be changed whatever the answer.
 */
class RunbookConfirmationTest {

    @TempDir
    Path dir;

    /** A terminal that answers each question with the next canned answer and remembers what it was asked. */
    record ScriptedTerminal(List<String> asked, List<String> answers) implements Host.Terminal {
        @Override
        public Optional<String> readLine(String prompt) {
            asked.add(prompt);
            return answers.isEmpty() ? Optional.empty() : Optional.of(answers.removeFirst());
        }
    }

    record Run(int exit, String out, String err) {}

    Run run(Optional<Host.Terminal> terminal, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), Map.of("USER", "tester"), terminal));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path config() throws IOException {
        var yaml = """
                clusters:
                  - name: ghosts
                    engine: postgresql
                    credentials: { user: drctl }
                    nodes:
                      - { name: g1, host: 127.0.0.1, port: %d, region: r1 }
                      - { name: g2, host: 127.0.0.1, port: %d, region: r1 }
                compliance:
                  store: "jdbc:sqlite:%s"
                """.formatted(freePort(), freePort(), dir.resolve("drctl.db"));
        var file = dir.resolve("drctl.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void atATerminalThePlanIsShownAndANoDoesNothing() throws IOException {
        var terminal = new ScriptedTerminal(new ArrayList<>(), new ArrayList<>(List.of("n")));
        var r = run(Optional.of(terminal), "failover", "ghosts", "-c", config().toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("the plan (nothing done yet):").contains("[plan]");
        assertThat(terminal.asked()).hasSize(1);
        assertThat(terminal.asked().getFirst()).contains("[y/N]");
        assertThat(r.err()).contains("failover of ghosts not confirmed; nothing was done");
        assertThat(r.out()).doesNotContain("REFUSED:");
    }

    @Test
    void endOfInputIsANo() throws IOException {
        var terminal = new ScriptedTerminal(new ArrayList<>(), new ArrayList<>());
        var r = run(Optional.of(terminal), "switchover", "ghosts", "-c", config().toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("not confirmed");
    }

    @Test
    void aYesRunsAndTheRunJournalsItsOwnRefusal() throws IOException {
        var terminal = new ScriptedTerminal(new ArrayList<>(), new ArrayList<>(List.of("y")));
        var r = run(Optional.of(terminal), "failover", "ghosts", "-c", config().toString());
        assertThat(terminal.asked()).hasSize(1);
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.err()).contains("REFUSED:");
    }

    @Test
    void dashDashYesAndNoTerminalNeverAsk() throws IOException {
        var file = config().toString();
        var terminal = new ScriptedTerminal(new ArrayList<>(), new ArrayList<>());
        var yes = run(Optional.of(terminal), "failover", "ghosts", "-c", file, "--yes");
        assertThat(terminal.asked()).isEmpty();
        assertThat(yes.exit()).isEqualTo(3);
        var shortYes = run(Optional.of(terminal), "failover", "ghosts", "-c", file, "-y");
        assertThat(terminal.asked()).isEmpty();
        assertThat(shortYes.exit()).isEqualTo(3);
        var script = run(Optional.empty(), "failover", "ghosts", "-c", file);
        assertThat(script.exit()).isEqualTo(3);
        assertThat(script.out()).doesNotContain("the plan (nothing done yet)");
    }

    @Test
    void aDryRunIsNeverAsked() throws IOException {
        var terminal = new ScriptedTerminal(new ArrayList<>(), new ArrayList<>());
        run(Optional.of(terminal), "failover", "ghosts", "-c", config().toString(), "--dry-run");
        assertThat(terminal.asked()).isEmpty();
    }
}
