package dev.drctl.runbooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.promotion.ActionOutcome;
import dev.drctl.promotion.ErrantCheck;
import dev.drctl.promotion.PositionReading;
import dev.drctl.promotion.Promoter;
import dev.drctl.promotion.RejoinContext;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fence ladder with a scripted promoter and a real fence-command (a shell script): which rung holds, what the
 * command sees, a command that hangs is killed, and a run whose re-pointing failed ends promoted with the replica
 * pending rather than FAILED.
 */
class FenceLadderTest {
    private static final NodeSpec PG1 = new NodeSpec(new NodeName("pg-1"), "192.0.2.1", 5432, "r1", 0, false);
    private static final NodeSpec PG2 = new NodeSpec(new NodeName("pg-2"), "192.0.2.2", 5432, "r1", 0, false);
    private static final NodeSpec PG3 = new NodeSpec(new NodeName("pg-3"), "192.0.2.3", 5432, "r1", 0, false);

    @TempDir
    Path dir;

    private static ClusterSpec cluster(List<String> fenceCommand) {
        return new ClusterSpec(new ClusterName("payments"), Engine.POSTGRESQL, new Credentials("drctl", Optional.empty()),
                List.of(PG1, PG2, PG3), FailoverPolicy.defaults(), Optional.empty(), Optional.empty(), fenceCommand);
    }

    private Path script(String body) throws Exception {
        var file = dir.resolve("stonith.sh");
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static FenceLadder ladder(ActionOutcome sql, ClusterSpec cluster, Optional<FenceLadder.LocalHold> hold) {
        return new FenceLadder(new Scripted(sql, List.of()), cluster, n -> hold, Duration.ofMillis(1500));
    }

    @Test
    void anUnreachableNodeIsFencedByTheFenceCommandWithItsFactsInTheEnvironment() throws Exception {
        var seen = dir.resolve("seen");
        var cmd = script("echo \"$DRCTL_CLUSTER $DRCTL_NODE $DRCTL_HOST $DRCTL_PORT $1\" > " + seen);
        var out = ladder(new ActionOutcome.Unreachable("refused"), cluster(List.of(cmd.toString(), "--off")),
                Optional.empty()).fence(PG1);
        assertThat(out).isInstanceOf(FenceLadder.Outcome.Held.class);
        assertThat(out.detail()).contains("fence-command").contains("exit 0");
        assertThat(Files.readString(seen).strip()).isEqualTo("payments pg-1 192.0.2.1 5432 --off");
    }

    @Test
    void anUnreachableNodeWithoutAFenceCommandIsASplitBrainRisk() {
        var out = ladder(new ActionOutcome.Unreachable("refused"), cluster(List.of()), Optional.empty()).fence(PG1);
        assertThat(out).isInstanceOf(FenceLadder.Outcome.NotHeldUnreachable.class);
    }

    @Test
    void aLiveNodeNeitherSqlNorTheCommandCouldFenceIsNotHeld() throws Exception {
        var cmd = script("exit 7");
        var out = ladder(new ActionOutcome.Failed("alive but no connection slot", true),
                cluster(List.of(cmd.toString())), Optional.empty()).fence(PG1);
        assertThat(out).isInstanceOfSatisfying(FenceLadder.Outcome.NotHeldAlive.class,
                a -> assertThat(a.detail()).contains("exited 7"));
    }

    @Test
    void aHangingFenceCommandIsKilledAtItsTimeout() throws Exception {
        var cmd = script("sleep 60");
        long started = System.nanoTime();
        var out = ladder(new ActionOutcome.Unreachable("silent"), cluster(List.of(cmd.toString())), Optional.empty())
                .fence(PG1);
        assertThat(out).isInstanceOf(FenceLadder.Outcome.NotHeldUnreachable.class);
        assertThat(out.detail()).contains("did not finish within").contains("killed");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aFenceThatDoesNotSurviveARestartIsHeldLocallyOrSaidSo() throws Exception {
        var notPersistent = new ActionOutcome.Done("read_only = ON", Map.of(ActionOutcome.PERSISTENT, "false"));
        var local = ladder(notPersistent, cluster(List.of()),
                Optional.of(new Hold(new ActionOutcome.Done("read_only = ON written into pg-1.cnf"),
                        new ActionOutcome.Failed("not asked", true)))).fence(PG1);
        assertThat(local).isInstanceOf(FenceLadder.Outcome.Held.class);
        assertThat(local.detail()).contains("local: read_only = ON written into pg-1.cnf");

        // a live node that took the fence is not powered off: the command is for nodes SQL cannot fence
        var ran = dir.resolve("ran");
        var cmd = script("touch " + ran);
        var remote = ladder(notPersistent, cluster(List.of(cmd.toString())), Optional.empty()).fence(PG1);
        assertThat(remote).isInstanceOf(FenceLadder.Outcome.Held.class);
        assertThat(remote.detail()).contains("would undo it: drctl fences it again when it sees it writable");
        assertThat(ran).doesNotExist();

        var persistent = ladder(new ActionOutcome.Done("read-only"), cluster(List.of(cmd.toString() + "-absent")),
                Optional.empty()).fence(PG1);
        assertThat(persistent).as("a fence that holds needs no further rung").isInstanceOf(FenceLadder.Outcome.Held.class);
        assertThat(persistent.detail()).doesNotContain("fence-command");
    }

    @Test
    void anUnreachableLocalServerThatIsDownIsHeldWhileDownBeforeAnyFenceCommand() throws Exception {
        var ran = dir.resolve("ran");
        var cmd = script("touch " + ran);
        var down = ladder(new ActionOutcome.Unreachable("refused"), cluster(List.of(cmd.toString())),
                Optional.of(new Hold(new ActionOutcome.Failed("not asked", true),
                        new ActionOutcome.Done("standby.signal written")))).fence(PG1);
        assertThat(down).isInstanceOfSatisfying(FenceLadder.Outcome.Held.class, h -> {
            assertThat(h.detail()).contains("held while down: standby.signal written");
            assertThat(h.facts()).containsEntry(FenceLadder.HELD_WHILE_DOWN, "standby.signal written");
        });
        assertThat(ran).as("a held node needs no power-off").doesNotExist();

        // its server runs (a hung process, a cut link): a file does not stop it writing, so the ladder goes on
        var running = ladder(new ActionOutcome.Unreachable("silent"), cluster(List.of()),
                Optional.of(new Hold(new ActionOutcome.Failed("not asked", true),
                        new ActionOutcome.Failed("the server of pg-1 runs on this machine", true)))).fence(PG1);
        assertThat(running).isInstanceOf(FenceLadder.Outcome.NotHeldUnreachable.class);
        assertThat(running.detail()).contains("held while down: the server of pg-1 runs");
    }

    /** A local hold answering {@code live} after a SQL fence and {@code down} for a node that does not answer. */
    private record Hold(ActionOutcome live, ActionOutcome down) implements FenceLadder.LocalHold {
        @Override
        public ActionOutcome hold(NodeSpec node) {
            return live;
        }

        @Override
        public ActionOutcome holdWhileDown(NodeSpec node) {
            return down;
        }
    }

    @Test
    void aReplicaLeftUnpointedEndsThePromotionPendingNotFailed() {
        var url = "jdbc:sqlite:" + dir.resolve("drctl.db");
        try (var store = StateStore.open(new ComplianceSpec(url, ComplianceSpec.Targets.defaults(), Period.ofYears(7),
                ZoneId.of("UTC")), Clock.systemUTC(), Set.of())) {
            var promoter = new Scripted(new ActionOutcome.Done("fenced"), List.of(PG3.name()));
            var promoted = new Step() {
                @Override
                public String name() {
                    return "promoted";
                }

                @Override
                public String describe(RunFacts facts) {
                    return "promoted";
                }

                @Override
                public StepOutcome run(RunContext context) {
                    return new StepOutcome.Succeeded("pg-1 writable", Map.of(RunFacts.NEW_PRIMARY, "pg-1",
                            PromotionSteps.REPLICAS_TO_REPOINT, "pg-2,pg-3"));
                }
            };
            var runbook = new Runbook("failover", RunKind.FAILOVER, List.of(promoted,
                    new PromotionSteps.RepointReplicas(promoter, Duration.ofSeconds(1))));
            var result = new RunbookEngine(store, url, Clock.systemUTC(), Actor.user("tester"))
                    .run(runbook, cluster(List.of()), Map.of(), RunListener.none());
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.record().orElseThrow().status()).isEqualTo(RunStatus.PROMOTED_REPLICAS_PENDING);
            assertThat(result.summary()).contains("pending: pg-3").contains("drctl rejoin payments pg-3")
                    .contains("pg-2 stream from pg-1").doesNotContain("pending: pg-2");
        }
    }

    /** A promoter that answers the fence with {@code fence} and fails re-pointing the replicas named. */
    private record Scripted(ActionOutcome fence, List<NodeName> failRepoint) implements Promoter {
        @Override
        public Engine engine() {
            return Engine.POSTGRESQL;
        }

        @Override
        public ActionOutcome fence(NodeSpec oldPrimary) {
            return fence;
        }

        @Override
        public ActionOutcome awaitApplied(NodeSpec candidate, Duration timeout) {
            return new ActionOutcome.Done("applied");
        }

        @Override
        public ActionOutcome promote(NodeSpec candidate) {
            return new ActionOutcome.Done("promoted");
        }

        @Override
        public ActionOutcome verifyWritable(NodeSpec node) {
            return new ActionOutcome.Done("writable");
        }

        @Override
        public ActionOutcome repoint(NodeSpec replica, NodeSpec newPrimary) {
            return failRepoint.contains(replica.name())
                    ? new ActionOutcome.Failed(replica.name() + " has WAL replay paused", false)
                    : new ActionOutcome.Done(replica.name() + " follows " + newPrimary.name());
        }

        @Override
        public ActionOutcome verifyStreaming(NodeSpec replica, NodeSpec newPrimary, Duration timeout) {
            return new ActionOutcome.Done("streams");
        }

        @Override
        public ActionOutcome demote(NodeSpec primary) {
            return new ActionOutcome.Done("demoted");
        }

        @Override
        public PositionReading position(NodeSpec node) {
            return new PositionReading.NotRead(node.name(), new ActionOutcome.Unreachable("scripted"));
        }

        @Override
        public ErrantCheck errantTransactions(NodeSpec candidate, List<NodeSpec> others) {
            return new ErrantCheck.NotChecked(candidate.name(), new ActionOutcome.Unreachable("scripted"));
        }

        @Override
        public ActionOutcome rejoin(NodeSpec oldPrimary, NodeSpec newPrimary, RejoinContext context) {
            return new ActionOutcome.Done("rejoined");
        }

        @Override
        public void close() {
        }
    }
}
