package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.compliance.ConfiguredSecrets;
import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalKind;
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
        // the OS account the runs are journaled as (Host takes it as a value; $USER is not asked); the tree built for
        // these arguments, as main builds it
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), Map.of(), "it-tester"), args);
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

    /**
     * Asserts that every step of the run printed as {@code run} (its {@code -o json}) has its intent and its outcome
     * journaled, exactly {@code steps} in this order, and that the run's start and finish are journaled too.
     */
    static void assertJournaled(Path config, JsonNode run, String... steps) {
        var runId = run.get("runId").asText();
        var mine = journal(config).stream().filter(e -> e.runId().orElse("").equals(runId)).toList();
        var intents = mine.stream().filter(e -> e.kind() == JournalKind.STEP_INTENT)
                .map(e -> e.payloadTree().path("step").asText()).toList();
        var outcomes = mine.stream().filter(e -> e.kind() == JournalKind.STEP_OUTCOME)
                .map(e -> e.payloadTree().path("step").asText()).toList();
        assertThat(intents).as("step intents of run " + runId).containsExactly(steps);
        assertThat(outcomes).as("step outcomes of run " + runId).isEqualTo(intents);
        assertThat(mine).extracting(JournalEntry::kind).contains(JournalKind.RUN_STARTED, JournalKind.RUN_FINISHED);
    }

    /** The switchover runbook's steps, in order. */
    static final String[] SWITCHOVER_STEPS = {"probe", "check", "commit", "demote", "catch-up", "repoint-replicas",
            "promote", "verify-writable", "advance-epoch", "switch-writer-dns", "rejoin"};

    /** Every journal entry of the config's store. */
    static List<JournalEntry> journal(Path config) {
        var cfg = ConfigLoader.load(config);
        try (var store = StateStore.open(cfg.compliance(), Clock.systemUTC(), ConfiguredSecrets.resolvable(cfg, Map.of()))) {
            return store.journal().entries(JournalQuery.all());
        }
    }
}
