package dev.drctl.cli.daemon;

import dev.drctl.topology.ConfigUnits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The daemon's health, judged from a {@link DaemonView} alone (a function of the snapshot: no I/O, no clock).
 *
 * <p><b>Live</b>: every cluster's supervision loop ended a round within its {@link
 * DaemonView.ClusterView#staleAfter()} (or, before its first round, the daemon started less than that ago). A
 * daemon that is not live is stuck and should be restarted. <b>Ready</b>: live, the state store answered its last
 * check, the config is loaded and the probe scheduler runs. A daemon that is not ready still runs but cannot be
 * trusted to act (without the store it cannot journal, so it does not fail over). Each failed condition is one
 * reason sentence.
 *
 * @param live          the loops are alive
 * @param ready         the daemon can act
 * @param notLive       why it is not live (empty when live)
 * @param notReady      why it is not ready, beyond not being live (empty when ready)
 * @param warnings      things an operator should see that do not make it unready (a refused reload, messages
 *                      given up)
 */
public record Health(boolean live, boolean ready, List<String> notLive, List<String> notReady, List<String> warnings) {
    public Health {
        notLive = List.copyOf(notLive);
        notReady = List.copyOf(notReady);
        warnings = List.copyOf(warnings);
    }

    public static Health of(DaemonView view) {
        Objects.requireNonNull(view, "view");
        var notLive = new ArrayList<String>();
        for (var c : view.clusters()) {
            var since = c.lastRound().orElse(view.startedAt());
            var quiet = Duration.between(since, view.at());
            if (quiet.compareTo(c.staleAfter()) > 0) {
                notLive.add(c.cluster() + ": supervision loop ended no probe round for " + quiet.toSeconds() + " s"
                        + (c.lastRound().isEmpty() ? " since start-up" : " (last at " + c.lastRound().get() + ")")
                        + "; expected one within " + ConfigUnits.format(c.staleAfter()));
            }
        }
        var notReady = new ArrayList<String>();
        var store = view.store();
        if (!store.reachable()) {
            notReady.add("state store " + store.description() + " unreachable at " + store.checkedAt()
                    + store.problem().map(p -> ": " + p).orElse("")
                    + "; nothing can be journaled, so no automatic action is taken");
        }
        if (!view.schedulerRunning()) {
            notReady.add("probe scheduler not running");
        }
        if (view.clusters().isEmpty()) {
            notReady.add("no cluster is supervised");
        }
        var warnings = new ArrayList<String>();
        view.config().reloadRefused().ifPresent(p -> warnings.add("the last reload of " + view.config().file()
                + " was refused; the config loaded at " + view.config().loadedAt() + " stays in force: " + p));
        store.outbox().filter(o -> o.givenUp() > 0).ifPresent(o -> warnings.add(o.givenUp()
                + " notification(s) given up after their last attempt: people who should have been told were not"));
        boolean live = notLive.isEmpty();
        return new Health(live, live && notReady.isEmpty(), notLive, notReady, warnings);
    }

    /** Why it is not ready: the reasons it is not live, then the others. */
    public List<String> reasons() {
        var all = new ArrayList<>(notLive);
        all.addAll(notReady);
        return all;
    }

    /** {@code ready}, {@code not-ready} or {@code not-live}. */
    public String status() {
        return ready ? "ready" : live ? "not-ready" : "not-live";
    }
}
