package dev.drctl.cli.daemon;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.DaemonClusterView;
import dev.drctl.compliance.StateStore;
import dev.drctl.runbooks.watch.WatchState;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrctlException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaves each watch's state in the store for {@code drctl status} (a separate process): at once when the verdict,
 * the mode or the running runbook changes, else every {@link #REFRESH}, so a fresh row proves the daemon alive without
 * a write per probe round.
 */
final class StoredViews {
    private static final Logger log = LoggerFactory.getLogger(StoredViews.class);
    /** How often an unchanged view is written again; {@code status} calls a much older view stale. */
    static final Duration REFRESH = Duration.ofSeconds(5);

    private final StateStore store;
    private final Actor actor;
    private final Map<ClusterName, DaemonClusterView> written = new ConcurrentHashMap<>();

    StoredViews(StateStore store, Actor actor) {
        this.store = store;
        this.actor = actor;
    }

    void offer(WatchState state) {
        var view = new DaemonClusterView(state.cluster(), actor.value(),
                state.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'), state.verdict(), state.summary(),
                state.running(), state.updatedAt());
        var last = written.get(state.cluster());
        if (last != null && same(last, view) && last.updatedAt().plus(REFRESH).isAfter(view.updatedAt())) {
            return;
        }
        try {
            store.daemonViews().save(view);
            written.put(state.cluster(), view);
        } catch (DrctlException e) {
            log.warn("{}: the daemon's view could not be stored for drctl status: {}", state.cluster(), e.getMessage());
        }
    }

    private static boolean same(DaemonClusterView a, DaemonClusterView b) {
        // the summary's figures change every round; the kind of verdict is the news
        return a.verdict().equals(b.verdict()) && a.mode().equals(b.mode()) && a.running().equals(b.running());
    }
}
