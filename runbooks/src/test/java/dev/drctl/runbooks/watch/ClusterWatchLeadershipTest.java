package dev.drctl.runbooks.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.StateStore;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.runbooks.RunFacts;
import dev.drctl.runbooks.RunResult;
import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.DataSize;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverMode;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.Lag;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeObservation;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.ReplicationStream;
import dev.drctl.topology.Role;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a watch among several daemons fails over once it may act, even when it saw the primary dead in rounds it
 * could not act on (following another daemon's lead; leading without a quorum yet). Before, the pipeline's first
 * Promote started the cooldown whether or not the watch acted on it, and the later leader refused its own failover
 * for the whole cooldown (CoordinatedDaemonsIT: no failover after a leadership hand-over).
 */
class ClusterWatchLeadershipTest {
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final ClusterName C = new ClusterName("payments");
    static final NodeSpec PG1 = new NodeSpec(new NodeName("pg1"), "pg1.db.internal", 5432, "r1", 0, false);
    static final NodeSpec PG2 = new NodeSpec(new NodeName("pg2"), "pg2.db.internal", 5432, "r1", 0, false);
    static final NodeSpec PG3 = new NodeSpec(new NodeName("pg3"), "pg3.db.internal", 5432, "r1", 0, false);
    static final ClusterSpec SPEC = new ClusterSpec(C, Engine.POSTGRESQL, new Credentials("drctl", Optional.empty()),
            List.of(PG1, PG2, PG3), new FailoverPolicy(FailoverMode.AUTO, Duration.ofSeconds(1),
            Duration.ofMillis(800), 3, Duration.ofSeconds(3), new DataSize(16L << 20), Duration.ofSeconds(10),
            List.of(), List.of(), Duration.ofMinutes(10)), Optional.empty());

    @TempDir
    Path dir;
    StateStore store;
    ClusterWatch watch;
    final AtomicInteger failovers = new AtomicInteger();
    final List<WatchState> states = new CopyOnWriteArrayList<>();

    /** The other daemons as the test sets them: who leads, whether the majority agrees. */
    static final class ScriptedPeers implements Peers {
        volatile boolean leads;
        volatile boolean quorum;

        @Override
        public void publish(ClusterName cluster, String verdict, String summary, Instant at) {
        }

        @Override
        public Standing standing(ClusterName cluster) {
            return leads ? new Standing.Leads() : new Standing.Follows("daemon other-1 leads " + cluster);
        }

        @Override
        public Quorum quorum(ClusterName cluster, Instant now) {
            return quorum ? new Quorum.Reached("2 of 3 live daemons see the primary dead")
                    : new Quorum.NotReached("1 of 3 live daemons see the primary dead, 2 needed");
        }
    }

    final ScriptedPeers peers = new ScriptedPeers();

    @BeforeEach
    void open() {
        store = StateStore.open(new ComplianceSpec("jdbc:sqlite:" + dir.resolve("drctl.db"),
                ComplianceSpec.Targets.defaults(), Period.ofYears(7), ZoneId.of("UTC")), Clock.systemUTC(), Set.of());
        RunbookLauncher launcher = new RunbookLauncher() {
            @Override
            public RunResult failover(ClusterSpec cluster) {
                failovers.incrementAndGet();
                // What the failover runbook's commit step does before it acts: the failover goes into the store, the
                // cooldown's one source. Nothing more runs here: the watch tells a launcher's failure, unread here.
                var states = store.clusterStates();
                states.save(states.load(cluster.name()).withLastFailoverAt(NOW));
                throw new IllegalStateException("not run in this test");
            }

            @Override
            public RunResult fence(ClusterSpec cluster, NodeName node) {
                throw new AssertionError("no fence expected");
            }
        };
        watch = new ClusterWatch(SPEC, store, launcher, Optional.empty(),
                new AutomationBrakes(store, BreakerPolicy.defaults()), Actor.daemon("test-1"),
                Clock.fixed(NOW, ZoneOffset.UTC), peers);
        watch.onState(states::add);
        watch.start();
    }

    @AfterEach
    void close() {
        watch.close();
        store.close();
    }

    @Test
    void aFollowerThatSawThePrimaryDeadFailsOverWhenItLeads() {
        peers.leads = false;
        peers.quorum = true;
        round(dead());
        round(dead());
        assertThat(failovers).as("a follower does nothing").hasValue(0);
        peers.leads = true;
        round(dead());
        awaitFailovers(1);
        assertThat(states.getLast().verdict()).isEqualTo("PrimaryDead");
    }

    @Test
    void aLeaderWaitingForTheQuorumFailsOverOnceItIsReached() {
        peers.leads = true;
        peers.quorum = false;
        round(dead());
        assertThat(states.getLast().verdict()).as(states.getLast().toString()).isEqualTo("PrimaryDead");
        assertThat(failovers).as("no quorum, no failover").hasValue(0);
        peers.quorum = true;
        round(dead());
        awaitFailovers(1);
        round(dead());
        assertThat(failovers).as("once committed, the store's cooldown holds the next rounds").hasValue(1);
    }

    /**
     * A daemon that takes over the leadership finds its predecessor's failover unfinished in the store and resumes it.
     * Its first resume is refused (the predecessor's in-flight step still holds the cluster's lock); it tries again
     * {@link ClusterWatch#RESUME_RETRY} later, while it leads, and not before.
     */
    @Test
    void aNewLeaderResumesItsPredecessorsRunAndTriesAgainWhenTheFirstResumeIsRefused() {
        var runId = "failover-payments-20261128T095959Z-abc123";
        store.runs().save(RunRecord.started(runId, RunKind.FAILOVER, C, Actor.daemon("old-1"), NOW.minusSeconds(1))
                .withStatus(RunStatus.RUNNING, "failover of payments running"));
        var states = store.clusterStates();
        states.save(states.load(C).withActiveRun(Optional.of(runId)));
        var clock = new AtomicReference<>(NOW);
        var resumes = new CopyOnWriteArrayList<Instant>();
        RunbookLauncher launcher = new RunbookLauncher() {
            @Override
            public RunResult failover(ClusterSpec cluster) {
                resumes.add(clock.get());
                var end = resumes.size() == 1 ? RunResult.End.REFUSED : RunResult.End.COMPLETED;
                return new RunResult(runId, end, end.name(), List.of(), RunFacts.empty(), Optional.empty(),
                        end == RunResult.End.COMPLETED);
            }

            @Override
            public RunResult fence(ClusterSpec cluster, NodeName node) {
                throw new AssertionError("no fence expected");
            }
        };
        var successor = new ScriptedPeers();
        var seen = new CopyOnWriteArrayList<WatchState>();
        try (var other = new ClusterWatch(SPEC, store, launcher, Optional.empty(),
                new AutomationBrakes(store, BreakerPolicy.defaults()), Actor.daemon("new-1"), new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return clock.get();
            }
        }, successor)) {
            other.onState(seen::add);
            other.start();
            round(other, seen, dead());
            assertThat(resumes).as("a follower resumes nothing").isEmpty();
            successor.leads = true;
            round(other, seen, dead());
            await(() -> resumes.size() == 1 && !other.acting(), "the first resume");
            clock.set(NOW.plus(ClusterWatch.RESUME_RETRY).minusMillis(1));
            round(other, seen, dead());
            assertThat(resumes).as("not tried again before " + ClusterWatch.RESUME_RETRY).hasSize(1);
            clock.set(NOW.plus(ClusterWatch.RESUME_RETRY));
            round(other, seen, dead());
            await(() -> resumes.size() == 2 && !other.acting(), "the second resume");
            clock.set(NOW.plus(ClusterWatch.RESUME_RETRY.multipliedBy(3)));
            round(other, seen, dead());
            assertThat(resumes).as("resumed, so not again").hasSize(2);
        }
    }

    private static void round(ClusterWatch w, List<WatchState> seen, ClusterHistory history) {
        int before = seen.size();
        w.offer(history);
        await(() -> seen.size() > before, "the watch handled the round");
    }

    private static void await(java.util.function.BooleanSupplier done, String what) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 10 s").isLessThan(end);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /** Offers a round and waits until the watch has handled it. */
    private void round(ClusterHistory history) {
        int before = states.size();
        watch.offer(history);
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (states.size() == before) {
            assertThat(System.nanoTime()).as("the watch handled the round within 10 s").isLessThan(end);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    private void awaitFailovers(int n) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (failovers.get() < n) {
            assertThat(System.nanoTime()).as("%d failover(s) launched within 10 s", n).isLessThan(end);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /** The primary answered for six rounds, then refused three probes over three seconds; the replicas lost it. */
    static ClusterHistory dead() {
        var at = DataPosition.PgLsn.parse(1, "0/3000000");
        var byNode = new LinkedHashMap<NodeName, List<NodeObservation>>();
        var lastAnswer = NOW.minusSeconds(3);
        var primary = new ArrayList<NodeObservation>();
        for (int i = 5; i >= 0; i--) {
            primary.add(new NodeObservation(PG1.name(), lastAnswer.minusSeconds(i), Duration.ofMillis(3),
                    new ProbeOutcome.Reached(Role.PRIMARY, true, Optional.of(at), Optional.of(at), Lag.none(),
                            Optional.empty(), "15.8")));
        }
        for (int i = 1; i <= 3; i++) {
            primary.add(new NodeObservation(PG1.name(), lastAnswer.plusSeconds(i), Duration.ofMillis(800),
                    new ProbeOutcome.Failed(FailureKind.REFUSED, "connection refused")));
        }
        byNode.put(PG1.name(), primary);
        for (var replica : List.of(PG2, PG3)) {
            var rounds = new ArrayList<NodeObservation>();
            for (int i = 5; i >= 0; i--) {
                boolean receiving = i > 0;
                var stream = new ReplicationStream(receiving, true, Optional.of(PG1.host()), Optional.of(PG1.port()),
                        receiving ? Optional.empty() : Optional.of("could not receive data from WAL stream"),
                        Optional.empty());
                rounds.add(new NodeObservation(replica.name(), NOW.minusSeconds(i), Duration.ofMillis(3),
                        new ProbeOutcome.Reached(Role.REPLICA, false, Optional.of(at), Optional.of(at),
                                new Lag(Optional.of(0L), Optional.of(Duration.ZERO)), Optional.of(stream), "15.8")));
            }
            byNode.put(replica.name(), rounds);
        }
        return new ClusterHistory(SPEC, byNode);
    }
}
