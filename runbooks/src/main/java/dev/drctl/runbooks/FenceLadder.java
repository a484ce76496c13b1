package dev.drctl.runbooks;

import dev.drctl.promotion.ActionOutcome;
import dev.drctl.promotion.Promoter;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The fence of safety rule 4, rung by rung, until one holds:
 * <ol>
 *   <li>the promoter's SQL fence (read-only, application logins revoked on PostgreSQL, client sessions ended);</li>
 *   <li>where that does not survive a restart (MariaDB's {@code read_only}) and the server is drctl's own (testenv),
 *       {@code read_only = ON} written into its option file ({@link LocalHold});</li>
 *   <li>when the node does not answer and its server is drctl's own and down: a hold that makes any restart
 *       non-writable (PostgreSQL: {@code standby.signal}; MariaDB: {@code read_only = ON} in its option file) — the node
 *       is then held, not a split-brain risk ({@link LocalHold#holdWhileDown});</li>
 *   <li>the cluster's {@code fence-command} (a STONITH hook), when SQL could not fence the node: it did not answer,
 *       or answered but could not be fenced (no connection slot even for drctl, no privilege). A live node that took
 *       the SQL fence is not powered off for a restart that may never come (a rejoin fences the node it is about to
 *       turn into a replica). Run with the node's facts in
 *       {@code DRCTL_CLUSTER}, {@code DRCTL_NODE}, {@code DRCTL_HOST}, {@code DRCTL_PORT}, bounded by a timeout;
 *       exit 0 means the node is fenced.</li>
 * </ol>
 * The outcome is a value: {@link Outcome.Held}, {@link Outcome.NotHeldUnreachable} (a split-brain risk until it
 * returns) or {@link Outcome.NotHeldAlive} (a live node drctl could not fence: nothing may be promoted).
 */
public final class FenceLadder {
    /** Fact key suffixes a fence step journals. */
    static final String RUNGS = "rungs";
    static final String FENCE_COMMAND = "fence-command";
    static final String HELD_WHILE_DOWN = "held-while-down";

    private final Promoter promoter;
    private final ClusterSpec cluster;
    private final Function<NodeName, Optional<LocalHold>> localHolds;
    private final Duration commandTimeout;

    /**
     * @param localHolds for a node whose server drctl started on this machine, how to make its fence survive a restart
     * @param commandTimeout how long {@code fence-command} may run before it is killed and counted as failed
     */
    public FenceLadder(Promoter promoter, ClusterSpec cluster, Function<NodeName, Optional<LocalHold>> localHolds,
                       Duration commandTimeout) {
        this.promoter = Objects.requireNonNull(promoter, "promoter");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.localHolds = Objects.requireNonNull(localHolds, "localHolds");
        this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
    }

    /** A ladder with the SQL rung only, plus the cluster's fence-command when configured. */
    public static FenceLadder remote(Promoter promoter, ClusterSpec cluster) {
        return new FenceLadder(promoter, cluster, n -> Optional.empty(), Duration.ofSeconds(30));
    }

    /** Makes a local server's fence survive its restart, or fences it while it is down. */
    public interface LocalHold {
        /**
         * After the SQL fence of a live node that a restart would undo (MariaDB: {@code read_only = ON} in its
         * option file).
         *
         * @return what was done, for the journal; a failure as {@link ActionOutcome.Failed}
         */
        ActionOutcome hold(NodeSpec node);

        /**
         * For a node that does not answer: when its server is down, makes any restart bring it back non-writable.
         *
         * @return {@link ActionOutcome.Done} only when the server is down and held; {@link ActionOutcome.Failed}
         *         when it runs (a file does not stop a running server) or the hold could not be written
         */
        ActionOutcome holdWhileDown(NodeSpec node);
    }

    /** How a fence ended. */
    public sealed interface Outcome {
        String detail();

        /** The node is fenced and stays so (or it was a replica / already fenced). */
        record Held(String detail, Map<String, String> facts) implements Outcome {
            public Held {
                facts = Map.copyOf(facts);
            }
        }

        /** Nothing answered and no fence-command fenced it: a split-brain risk until it returns and is fenced. */
        record NotHeldUnreachable(String detail) implements Outcome {
        }

        /** It answered but could not be fenced (e.g. no connection slot even for drctl, no privilege). */
        record NotHeldAlive(String detail, boolean retrySafe) implements Outcome {
        }
    }

    public Outcome fence(NodeSpec node) {
        var facts = new LinkedHashMap<String, String>();
        var rungs = new StringBuilder();
        var sql = promoter.fence(node);
        rungs.append("sql: ").append(sql.detail());
        sql.facts().forEach(facts::put);
        if (sql.succeeded()) {
            if ("false".equals(sql.facts().get(ActionOutcome.PERSISTENT))) {
                var local = localHolds.apply(node.name());
                if (local.isPresent()) {
                    rungs.append("; local: ").append(local.get().hold(node).detail());
                } else {
                    // a live node that took the fence is not powered off for a restart that may never come: the
                    // fence-command is for nodes SQL cannot fence; a restart is seen (writable again) and fenced anew
                    rungs.append("; a restart of ").append(node.name()).append(" would undo it: drctl fences it "
                            + "again when it sees it writable");
                }
            }
            facts.put(RUNGS, rungs.toString());
            return new Outcome.Held(rungs.toString(), facts);
        }
        if (sql instanceof ActionOutcome.Unreachable) {
            var local = localHolds.apply(node.name());
            if (local.isPresent()) {
                var down = local.get().holdWhileDown(node);
                rungs.append("; held while down: ").append(down.detail());
                if (down.succeeded()) {
                    facts.put(HELD_WHILE_DOWN, down.detail());
                    facts.put(RUNGS, rungs.toString());
                    return new Outcome.Held(rungs.toString(), facts);
                }
            }
        }
        if (!cluster.fenceCommand().isEmpty()) {
            var command = runFenceCommand(node);
            rungs.append("; fence-command: ").append(command.detail());
            facts.put(FENCE_COMMAND, command.detail());
            facts.put(RUNGS, rungs.toString());
            if (command.succeeded()) {
                return new Outcome.Held(rungs.toString(), facts);
            }
        }
        return switch (sql) {
            case ActionOutcome.Unreachable u -> new Outcome.NotHeldUnreachable(rungs.toString());
            case ActionOutcome.Failed f -> new Outcome.NotHeldAlive(rungs.toString(), f.retrySafe());
            case ActionOutcome.Refused r -> new Outcome.NotHeldAlive(rungs.toString(), false);
            case ActionOutcome.Done d -> new Outcome.Held(rungs.toString(), facts);
            case ActionOutcome.AlreadyDone a -> new Outcome.Held(rungs.toString(), facts);
        };
    }

    /** Runs {@code fence-command} for {@code node}; its exit status decides. Its output is not kept (it may hold secrets). */
    ActionOutcome runFenceCommand(NodeSpec node) {
        var argv = cluster.fenceCommand();
        var builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        var env = builder.environment();
        env.put("DRCTL_CLUSTER", cluster.name().value());
        env.put("DRCTL_NODE", node.name().value());
        env.put("DRCTL_HOST", node.host());
        env.put("DRCTL_PORT", Integer.toString(node.port()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new ActionOutcome.Failed(argv.getFirst() + " could not be started: " + e.getMessage(), true);
        }
        try (var out = process.getInputStream()) {
            var drain = Thread.ofVirtual().start(() -> {
                try {
                    out.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the process ended or was killed: nothing more to read
                }
            });
            if (!process.waitFor(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new ActionOutcome.Failed(argv.getFirst() + " did not finish within "
                        + RunbookEngine.human(commandTimeout) + "; killed", true);
            }
            drain.join(Duration.ofSeconds(1));
            int exit = process.exitValue();
            return exit == 0 ? new ActionOutcome.Done(argv.getFirst() + " fenced " + node.name() + " (exit 0)")
                    : new ActionOutcome.Failed(argv.getFirst() + " exited " + exit + " for " + node.name(), true);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new ActionOutcome.Failed(argv.getFirst() + " interrupted", true);
        } catch (IOException e) {
            return new ActionOutcome.Failed(argv.getFirst() + ": " + e.getMessage(), true);
        }
    }
}
