package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Colour is for a person at a terminal, and never when NO_COLOR is set (https://no-color.org). */
class HostTest {
    static final Host.Terminal TERMINAL = prompt -> Optional.empty();

    @Test
    void colourOnlyOnATerminalWithoutNoColor() {
        assertThat(new Host(Clock.systemUTC(), Map.of(), Optional.of(TERMINAL)).colour()).isTrue();
        assertThat(new Host(Clock.systemUTC(), Map.of("NO_COLOR", "1"), Optional.of(TERMINAL)).colour()).isFalse();
        assertThat(new Host(Clock.systemUTC(), Map.of("NO_COLOR", ""), Optional.of(TERMINAL)).colour()).isTrue();
        assertThat(new Host(Clock.systemUTC(), Map.of()).colour()).isFalse();
    }

    @Test
    void errorsAreColouredOnATerminalAndPlainWithNoColor() {
        assertThat(err(Map.of(), "stauts")).contains("\u001b[");
        assertThat(err(Map.of("NO_COLOR", "1"), "stauts")).doesNotContain("\u001b[");
    }

    private static String err(Map<String, String> env, String... args) {
        var err = new StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), env, Optional.of(TERMINAL)));
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        cl.execute(args);
        return err.toString();
    }
}
