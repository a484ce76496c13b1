package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.cli.daemon.Daemon;
import dev.drctl.compliance.JournalKind;
import dev.drctl.runbooks.watch.WatchState;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's detection on faults that are not a clean death (issue 12): a hung primary (every process of it
 * SIGSTOPped: the kernel still accepts TCP, nothing answers) is noticed within a bounded time, and a 2-second blip of
 * drctl's link to the primary (FaultProxy blackhole) fails nothing over. One proxied topology, one in-process daemon.
 */
class DaemonDetectionIT {
    @TempDir
    static Path dir;
    static LocalTopology topology;
    static Daemon daemon;
    static final List<WatchState> states = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void up() {
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).proxied(true).dir(dir.resolve("topology"))
                .start();
        var started = Daemon.start(ConfigLoader.load(topology.configFile()), new Host(Clock.systemUTC(), Map.of(),
                "it-tester"));
        daemon = ((Daemon.Start.Running) started).daemon();
        daemon.watches().getFirst().onState(states::add);
        awaitVerdict("Healthy", Duration.ofSeconds(30));
    }

    @AfterAll
    static void down() {
        if (daemon != null) {
            daemon.stop(Duration.ofSeconds(10));
        }
        if (topology != null) {
            topology.close();
        }
    }

    static void awaitVerdict(String verdict, Duration timeout) {
        Await.until("the daemon's verdict " + verdict + " (now " + daemon.states().getFirst() + ")", timeout,
                () -> daemon.states().getFirst().verdict().equals(verdict));
    }

    static List<String> verdictsSince(Instant t) {
        var out = new ArrayList<String>();
        for (var s : states) {
            if (!s.updatedAt().isBefore(t) && (out.isEmpty() || !out.getLast().equals(s.verdict()))) {
                out.add(s.verdict());
            }
        }
        return out;
    }

    static void noRunbookRan() {
        assertThat(CliRun.journal(topology.configFile())).noneMatch(e -> e.kind() == JournalKind.RUN_STARTED);
    }

    @Test
    void aTwoSecondBlipFailsNothingOver() {
        var link = topology.drctlLink(topology.primary());
        var from = Instant.now();
        link.blackhole();
        // the fault's length is the scenario (a 2 s blip), not a wait for something to happen
        LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
        link.pass();
        awaitVerdict("Healthy", Duration.ofSeconds(30));
        var seen = verdictsSince(from);
        System.out.println("daemon on a 2 s blip of the primary's link: verdicts " + seen);
        assertThat(seen).doesNotContain("PrimaryDead");
        noRunbookRan();
    }

    @Test
    void aHungPrimaryIsNoticedWithinABoundedTime() throws Exception {
        var primary = topology.primary();
        var pid = topology.node(primary).pid().orElseThrow();
        var processes = new ArrayList<ProcessHandle>();
        ProcessHandle.of(pid).ifPresent(p -> {
            processes.add(p);
            p.descendants().forEach(processes::add);
        });
        var from = Instant.now();
        long t0 = System.nanoTime();
        signal("STOP", processes);
        try {
            Await.until("the daemon notices the hung primary (" + daemon.states().getFirst() + ")",
                    Duration.ofSeconds(30), () -> !daemon.states().getFirst().verdict().equals("Healthy")
                            && daemon.states().getFirst().updatedAt().isAfter(from));
            long noticed = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("daemon on a hung (SIGSTOPped) primary: noticed in " + noticed + " ms as "
                    + daemon.states().getFirst().verdict() + ": " + daemon.states().getFirst().summary());
        } finally {
            signal("CONT", processes);
        }
        awaitVerdict("Healthy", Duration.ofSeconds(60));
        System.out.println("daemon on a hung primary, verdicts: " + verdictsSince(from));
        noRunbookRan();
    }

    /** A replica whose stream breaks is told once when it starts and once when it clears, not every round. */
    @Test
    void aBrokenReplicaStreamIsToldOnceEachWay() {
        var replica = topology.replicas().getFirst();
        var link = topology.replicationLink(replica);
        var config = topology.configFile();
        var from = Instant.now();
        link.refuse();
        link.cutExisting();
        try {
            Await.until("the daemon sees " + replica + "'s stream broken (" + daemon.states().getFirst() + ")",
                    Duration.ofSeconds(60), () -> daemon.states().getFirst().replicaProblems().containsKey(replica));
            Await.until("REPLICA_PROBLEM journaled", Duration.ofSeconds(10), () -> replicaDecisions(config, from,
                    "replica problem") == 1);
            var seen = daemon.states().getFirst().updatedAt();
            Await.until("three more rounds", Duration.ofSeconds(30),
                    () -> !daemon.states().getFirst().updatedAt().isBefore(seen.plusSeconds(3)));
            assertThat(replicaDecisions(config, from, "replica problem")).as("told once").isEqualTo(1);
        } finally {
            link.pass();
        }
        Await.until(replica + " streams again", Duration.ofSeconds(60),
                () -> daemon.states().getFirst().replicaProblems().isEmpty());
        Await.until("the clear journaled", Duration.ofSeconds(10), () -> replicaDecisions(config, from,
                "replica problem cleared") == 1);
        noRunbookRan();
    }

    static long replicaDecisions(Path config, Instant from, String decision) {
        return CliRun.journal(config).stream().filter(e -> e.kind() == JournalKind.DECISION && !e.at().isBefore(from)
                && e.payloadTree().path("decision").asText().equals(decision)).count();
    }

    static void signal(String signal, List<ProcessHandle> processes) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(p -> command.add(Long.toString(p.pid())));
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
    }
}
