package dev.drctl.promotion.postgres;

import dev.drctl.promotion.ActionOutcome;
import dev.drctl.promotion.RejoinContext;
import dev.drctl.topology.NodeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code pg_rewind} rejoin of an old primary whose server runs on drctl's own machine (a testenv topology):
 * stop it cleanly, rewind it from the new primary, put its own configuration files back (pg_rewind copies the
 * source's, whose port and {@code primary_conninfo} are the new primary's), point it at the new primary with
 * {@code standby.signal}, start it, and wait until it streams. Each step checks before it acts, so a rejoin cut short
 * can be run again.
 */
final class LocalRejoin {
    /** Files that belong to the node, not to the cluster's data: pg_rewind would overwrite them with the source's. */
    private static final List<String> OWN_CONFIG = List.of("postgresql.conf", "postgresql.auto.conf", "pg_hba.conf",
            "pg_ident.conf");

    private final PostgresPromoter promoter;
    private final NodeSpec oldPrimary;
    private final NodeSpec newPrimary;
    private final RejoinContext.LocalServer server;
    private final Optional<String> slot;
    private final long deadline;
    private final Duration timeout;

    LocalRejoin(PostgresPromoter promoter, NodeSpec oldPrimary, NodeSpec newPrimary, RejoinContext.LocalServer server,
                Optional<String> slot, Duration timeout) {
        this.promoter = promoter;
        this.oldPrimary = oldPrimary;
        this.newPrimary = newPrimary;
        this.server = server;
        this.slot = slot;
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    ActionOutcome run() {
        var steps = new ArrayList<String>();
        var data = server.dataDir();
        if (!Files.isDirectory(data)) {
            return new ActionOutcome.Failed("no data directory " + data + " for " + oldPrimary.name(), false);
        }
        // 1. stopped cleanly (pg_rewind refuses a running target)
        var status = pgCtl(List.of("-D", data.toString(), "status"));
        if (status.exitCode() == 0) {
            var stop = pgCtl(List.of("-D", data.toString(), "-m", "fast", "-w", "-t", seconds(), "stop"));
            if (!stop.ok()) {
                return new ActionOutcome.Failed("pg_ctl stop of " + oldPrimary.name() + " failed: " + stop.outputTail(),
                        true);
            }
            steps.add("stopped");
        }
        // 2. its own configuration, kept aside
        var own = new LinkedHashMap<String, String>();
        for (var name : OWN_CONFIG) {
            var file = data.resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    own.put(name, Files.readString(file));
                } catch (IOException e) {
                    return new ActionOutcome.Failed("cannot read " + file + ": " + e.getMessage(), true);
                }
            }
        }
        // 3. a slot on the new primary before it streams, so the new primary keeps the WAL it will ask for
        if (slot.isPresent()) {
            var made = promoter.ensureSlotFor(newPrimary, slot.get());
            if (!made.succeeded()) {
                return made;
            }
            steps.add(made.detail());
        }
        var checkpoint = promoter.checkpointIfBehind(newPrimary);
        if (!checkpoint.succeeded()) {
            return checkpoint;
        }
        // 4. rewind (a no-op when its history is already a prefix of the new primary's)
        var env = new LinkedHashMap<String, String>();
        promoter.login().password().ifPresent(p -> env.put("PGPASSWORD", p));
        env.put("PGCONNECT_TIMEOUT", "10");
        // a node held while down (standby.signal written by the fence) that never restarted: pg_rewind's single-user
        // crash recovery refuses standby mode, so the signal is set aside for the rewind and always put back
        var signal = data.resolve("standby.signal");
        boolean held = Files.exists(signal);
        if (held) {
            try {
                Files.delete(signal);
            } catch (IOException e) {
                return new ActionOutcome.Failed("cannot set aside " + signal + ": " + e.getMessage(), true);
            }
        }
        var rewind = LocalCommand.run(List.of(server.binDir().resolve("pg_rewind").toString(),
                "--target-pgdata=" + data, "--source-server=" + promoter.rewindSource(newPrimary).render()),
                server.osUser(), env, remaining());
        if (held) {
            try {
                if (!Files.exists(signal)) {
                    Files.createFile(signal);
                    own(signal);
                }
            } catch (IOException e) {
                return new ActionOutcome.Failed("cannot put back " + signal + " (" + oldPrimary.name() + " would start "
                        + "writable): " + e.getMessage(), false);
            }
        }
        if (!rewind.ok()) {
            // a rewind that failed half-way may leave the data directory unusable: a new base backup is the way out
            return new ActionOutcome.Failed("pg_rewind of " + oldPrimary.name() + " from " + newPrimary.name()
                    + " failed: " + rewind.outputTail(), false);
        }
        // pg_rewind's own lines only: the stand-alone backend it starts for crash recovery logs its checkpoints too
        var said = java.util.Arrays.stream(rewind.outputTail().split(" \\| "))
                .filter(l -> l.startsWith("pg_rewind:")).collect(java.util.stream.Collectors.joining(" | "));
        steps.add("rewound (" + (said.isEmpty() ? rewind.outputTail() : said) + ")");
        // 5. its configuration back, following the new primary
        try {
            for (var e : own.entrySet()) {
                Files.writeString(data.resolve(e.getKey()), e.getValue());
            }
            var auto = data.resolve("postgresql.auto.conf");
            var kept = Files.exists(auto) ? Files.readAllLines(auto).stream()
                    .filter(l -> !l.startsWith("primary_conninfo") && !l.startsWith("primary_slot_name")).toList()
                    : List.<String>of();
            var lines = new ArrayList<>(kept);
            lines.add("primary_conninfo = '" + promoter.rejoinConninfo(oldPrimary, newPrimary, true).render()
                    .replace("'", "''") + "'");
            slot.ifPresent(s -> lines.add("primary_slot_name = '" + s + "'"));
            Files.writeString(auto, String.join("\n", lines) + "\n");
            if (!Files.exists(signal)) {
                Files.createFile(signal);
                own(signal);
            }
        } catch (IOException e) {
            return new ActionOutcome.Failed("cannot write the configuration of " + oldPrimary.name() + " in " + data
                    + ": " + e.getMessage(), true);
        }
        steps.add("standby.signal and primary_conninfo written");
        // 6. start and stream
        var start = pgCtl(List.of("-D", data.toString(), "-l", server.logFile().toString(), "-w", "-t", seconds(),
                "start"));
        if (!start.ok()) {
            return new ActionOutcome.Failed("pg_ctl start of " + oldPrimary.name() + " failed: " + start.outputTail()
                    + "; see " + server.logFile(), true);
        }
        steps.add("started");
        var streaming = promoter.verifyStreaming(oldPrimary, newPrimary, remaining());
        if (!streaming.succeeded()) {
            return streaming;
        }
        var facts = new LinkedHashMap<>(streaming.facts());
        slot.ifPresent(s -> facts.put(ActionOutcome.SLOT, s));
        return new ActionOutcome.Done(oldPrimary.name() + " rejoined as a replica of " + newPrimary.name() + ": "
                + String.join("; ", steps) + "; " + streaming.detail(), facts);
    }

    private LocalCommand pgCtl(List<String> args) {
        var argv = new ArrayList<String>();
        argv.add(server.binDir().resolve("pg_ctl").toString());
        argv.addAll(args);
        return LocalCommand.run(argv, server.osUser(), Map.of(), remaining().plusSeconds(5));
    }

    private void own(Path file) throws IOException {
        if (server.osUser().isPresent()) {
            var lookup = file.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(file, lookup.lookupPrincipalByName(server.osUser().get()));
        }
    }

    private Duration remaining() {
        return Duration.ofNanos(Math.max(1_000_000_000L, deadline - System.nanoTime()));
    }

    private String seconds() {
        return Long.toString(Math.max(1, remaining().toSeconds()));
    }
}
