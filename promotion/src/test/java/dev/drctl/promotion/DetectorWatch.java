package dev.drctl.promotion;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import dev.drctl.probes.ProbeScheduler;
import dev.drctl.topology.ClusterSpec;

/** Test harness: the real probe scheduler feeding a {@link Detector}, with every event it emitted. */
final class DetectorWatch implements AutoCloseable {
    final List<DetectorEvent> events = new CopyOnWriteArrayList<>();
    final Detector detector = new Detector(List.of(events::add));
    final ProbeScheduler scheduler;
    final Clock clock = Clock.systemUTC();
    final ClusterSpec spec;

    DetectorWatch(ClusterSpec spec) {
        this.spec = spec;
        scheduler = new ProbeScheduler(List.of(spec), Map.of(), clock);
        scheduler.onRound(h -> detector.accept(h, clock.instant()));
        scheduler.start();
    }

    Detector.Assessment latest() {
        return detector.latest(spec.name()).orElse(null);
    }

    /** Waits, polling, until the latest assessment satisfies {@code condition}; fails with the last one seen. */
    Detector.Assessment await(String what, Duration timeout, Predicate<Detector.Assessment> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var a = latest();
            if (a != null && condition.test(a)) {
                return a;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout + "; last:\n"
                        + (a == null ? "nothing" : DecisionReport.render(a.verdict(), a.ranking(), a.decision())));
            }
            pause();
        }
    }

    /**
     * Waits, polling, until an event satisfying {@code condition} was emitted. The detector publishes its latest
     * assessment before its listeners hear of it, so an assessment seen by {@link #await} can precede its event.
     */
    DetectorEvent awaitEvent(String what, Duration timeout, Predicate<DetectorEvent> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var found = events.stream().filter(condition).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no event " + what + " within " + timeout + "; events: " + events);
            }
            pause();
        }
    }

    List<ClusterVerdict> verdicts() {
        return events.stream().filter(e -> e instanceof DetectorEvent.VerdictChanged)
                .map(e -> ((DetectorEvent.VerdictChanged) e).to()).toList();
    }

    @Override
    public void close() {
        scheduler.close();
    }

    static void pause() {
        try {
            Thread.sleep(50); // the polling step of a wait with a deadline, not a synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
