package dev.drctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.compliance.ConfiguredSecrets;
import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** {@code drctl} run the way a user runs it, through picocli, with its output captured. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var env = Map.of("USER", "it-tester");
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), env));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    JsonNode json() {
        try {
            return new ObjectMapper().readTree(out);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + out + err, e);
        }
    }

    String all() {
        return out + err;
    }

    /** Rewrites a config file (a test's policy change: no-failover, max-lag). */
    static void edit(Path config, UnaryOperator<String> change) {
        try {
            Files.writeString(config, change.apply(Files.readString(config)));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Every journal entry of the config's store. */
    static List<JournalEntry> journal(Path config) {
        var cfg = ConfigLoader.load(config);
        try (var store = StateStore.open(cfg.compliance(), Clock.systemUTC(), ConfiguredSecrets.resolvable(cfg, Map.of()))) {
            return store.journal().entries(JournalQuery.all());
        }
    }
}
