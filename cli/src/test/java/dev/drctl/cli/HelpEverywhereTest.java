package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Help on every command: a walk of picocli's command tree asks each command and subcommand for {@code -h},
 * {@code --help} and {@code drctl help …}; typos get a suggestion; no config names every place looked.
 */
class HelpEverywhereTest {

    @TempDir
    Path home;

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    Run run(Map<String, String> env, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), env));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    Run run(String... args) {
        return run(Map.of("HOME", home.toString()), args);
    }

    /** Every command path below the root, e.g. [status], [audit, export]. */
    static List<List<String>> paths(CommandLine cl, List<String> prefix) {
        var all = new ArrayList<List<String>>();
        for (var e : cl.getSubcommands().entrySet()) {
            if (!e.getKey().equals(e.getValue().getCommandName())) {
                continue; // an alias
            }
            var path = new ArrayList<>(prefix);
            path.add(e.getKey());
            all.add(path);
            all.addAll(paths(e.getValue(), path));
        }
        return all;
    }

    @Test
    void everyCommandAnswersDashHDashDashHelpAndHelpCommand() {
        var paths = paths(Drctl.commandLine(new Host(Clock.systemUTC(), Map.of())), List.of());
        assertThat(paths).extracting(p -> String.join(" ", p))
                .contains("status", "failover", "switchover", "rejoin", "audit export", "testenv up", "help",
                        "completion", "config check");
        for (var path : paths) {
            var name = "drctl " + String.join(" ", path);
            for (var flag : List.of("-h", "--help")) {
                var args = new ArrayList<>(path);
                args.add(flag);
                var r = run(args.toArray(String[]::new));
                assertThat(r.exit()).as(name + " " + flag + ": " + r.all()).isZero();
                assertThat(r.out()).as(name + " " + flag).contains("Usage: " + name);
            }
            var args = new ArrayList<>(List.of("help"));
            args.addAll(path);
            var r = run(args.toArray(String[]::new));
            assertThat(r.exit()).as("drctl help " + String.join(" ", path) + ": " + r.all()).isZero();
            assertThat(r.out()).as("drctl help " + String.join(" ", path)).contains("Usage: " + name);
        }
    }

    @Test
    void everyCommandShowsExamples() {
        var cl = Drctl.commandLine(new Host(Clock.systemUTC(), Map.of()));
        for (var path : paths(cl, List.of())) {
            var r = run(path.toArray(String[]::new), "--help");
            assertThat(r.out()).as("drctl " + String.join(" ", path) + " --help").contains("Examples:")
                    .contains("  drctl ");
            assertThat(r.out().lines().filter(l -> l.length() > 80)).as("lines wider than 80 columns").isEmpty();
        }
        assertThat(run("--help").out()).contains("Examples:");
    }

    private Run run(String[] path, String flag) {
        var args = Arrays.copyOf(path, path.length + 1);
        args[path.length] = flag;
        return run(args);
    }

    @Test
    void theRequiredParameterDoesNotHideHelp() {
        var r = run("failover", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("CLUSTER", "--dry-run", "Exit codes:", "drctl failover payments --dry-run");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aMistypedCommandGetsADidYouMean() {
        var r = run("stauts");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Did you mean").contains("status").doesNotContain("Exception");
    }

    @Test
    void helpOnAnUnknownCommandIsBadUsageWithASuggestion() {
        var r = run("help", "testenv", "dwon");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("drctl testenv has no command 'dwon'").contains("down");
        assertThat(run("help").out()).contains("Usage: drctl");
    }

    @Test
    void swappedLettersAreCaughtAndHiddenCommandsNotOffered() {
        assertThat(run("testenv", "dwon").err()).contains("Did you mean: drctl testenv down?");
        assertThat(run("stauts").err()).contains("drctl has no command 'stauts'").contains("Did you mean: drctl status?");
        assertThat(run("status", "--wach").err()).contains("Unknown option: '--wach'").contains("Did you mean: --watch?");
        assertThat(run("rnu").err()).contains("Did you mean: drctl run?");
        assertThat(run("dmeo").err()).contains("Did you mean: drctl demo?");
        assertThat(Suggestions.distance("stauts", "status")).isEqualTo(1);
        assertThat(Suggestions.distance("failvoer", "failover")).isEqualTo(1);
    }

    @Test
    void aMistypedOptionGetsASuggestion() {
        var r = run("failover", "payments", "--dry-rn");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--dry-rn").contains("--dry-run");
    }

    @Test
    void completionPrintsABashScriptCoveringTheCommands() {
        var r = run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F").contains("failover")
                .contains("switchover").contains("--dry-run");
    }

    @Test
    void everyUsageRowIsBuiltAndListed() {
        var help = run("--help");
        assertThat(help.out()).containsPattern("(?m)^\\s+run\\s").containsPattern("(?m)^\\s+drill\\s")
                .containsPattern("(?m)^\\s+demo\\s");
    }

    @Test
    void withoutAConfigTheErrorNamesEveryPlaceLooked() {
        var r = run("status");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("$DRCTL_CONFIG (not set)", "./drctl.yaml",
                home.resolve(".drctl/drctl.yaml").toString(), "-c FILE");
    }

    @Test
    void drctlConfigNamesTheFileAndAMissingOneIsSaidToComeFromIt() throws Exception {
        var missing = home.resolve("nowhere.yaml");
        var r = run(Map.of("HOME", home.toString(), "DRCTL_CONFIG", missing.toString()), "config", "check");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(missing + " (from DRCTL_CONFIG) not found");

        var file = home.resolve("elsewhere.yaml");
        Files.writeString(file, "clusters: []\n");
        var found = run(Map.of("HOME", home.toString(), "DRCTL_CONFIG", file.toString()), "config", "check");
        assertThat(found.all()).contains(file.toString());
    }

    @Test
    void theHomeConfigIsTheLastDefault() throws Exception {
        Files.createDirectories(home.resolve(".drctl"));
        var file = home.resolve(".drctl/drctl.yaml");
        Files.writeString(file, "clusters: []\n");
        var r = run("config", "check");
        assertThat(r.all()).contains(file.toString()).doesNotContain("no config file found");
    }
}
