package dev.drctl.cli.daemon;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.Journal;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalKind;
import dev.drctl.topology.ConfigException;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the daemon's config file (SIGHUP, {@code drctl reload}) and applies it only when it is valid and the daemon
 * accepts it. Otherwise the config in force stays, and the refusal is loud: logged at ERROR with every problem,
 * journaled, kept for {@code /health} (a warning) and {@code /metrics} ({@code drctl_config_reload_refused 1}) until
 * a later reload is applied. One reload at a time; a second one asked meanwhile waits for the first.
 */
public final class ConfigReload {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

    /** What the daemon does with a valid config: applies it, or says why it cannot (empty when applied). */
    @FunctionalInterface
    public interface Target {
        Optional<String> apply(DrctlConfig next);
    }

    /** How a reload ended. */
    public sealed interface Outcome {
        Instant at();

        String sentence();

        /** The new config is in force. */
        record Applied(Path file, Instant at, int clusters) implements Outcome {
            @Override
            public String sentence() {
                return "config " + file + " reloaded and applied (" + clusters + " cluster(s))";
            }
        }

        /** The old config stays in force; {@code problems} say why (file, line, field; never a secret). */
        record Refused(Path file, Instant at, List<String> problems) implements Outcome {
            public Refused {
                problems = List.copyOf(problems);
            }

            @Override
            public String sentence() {
                return "config " + file + " NOT reloaded; the config loaded before stays in force: "
                        + String.join("; ", problems);
            }
        }
    }

    private final Path file;
    private final Target target;
    private final Optional<Journal> journal;
    private final Actor actor;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Instant loadedAt;
    private volatile Optional<Outcome.Refused> lastRefused = Optional.empty();

    /**
     * @param file     the config file the daemon was started with
     * @param loadedAt when the config in force was loaded (at start-up)
     * @param journal  where reloads are journaled ({@link JournalKind#CONFIG_LOADED}); empty where there is none
     */
    public ConfigReload(Path file, Instant loadedAt, Target target, Optional<Journal> journal, Actor actor, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.loadedAt = Objects.requireNonNull(loadedAt, "loadedAt");
        this.target = Objects.requireNonNull(target, "target");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reads, validates and applies the file now.
     *
     * @param trigger who asked, for the log and the journal: {@code SIGHUP}, {@code drctl reload}
     */
    public Outcome reload(String trigger) {
        lock.lock();
        try {
            var now = clock.instant();
            Outcome outcome;
            try {
                var next = ConfigLoader.load(file);
                var refusal = target.apply(next);
                outcome = refusal.<Outcome>map(why -> new Outcome.Refused(file, now, List.of(why)))
                        .orElseGet(() -> new Outcome.Applied(file, now, next.clusters().size()));
            } catch (ConfigException e) {
                outcome = new Outcome.Refused(file, now, e.problems().stream().map(Object::toString).toList());
            } catch (DrctlException e) {
                outcome = new Outcome.Refused(file, now, List.of(e.getMessage()));
            }
            record(outcome, trigger);
            return outcome;
        } finally {
            lock.unlock();
        }
    }

    private void record(Outcome outcome, String trigger) {
        switch (outcome) {
            case Outcome.Applied a -> {
                loadedAt = a.at();
                lastRefused = Optional.empty();
                LOG.info("{} ({})", a.sentence(), trigger);
            }
            case Outcome.Refused r -> {
                lastRefused = Optional.of(r);
                LOG.error("RELOAD REFUSED ({}): config {} is not applied; the config loaded at {} stays in force", trigger,
                        r.file(), loadedAt);
                r.problems().forEach(p -> LOG.error("  {}", p));
            }
        }
        journal.ifPresent(j -> {
            var payload = new LinkedHashMap<String, Object>();
            payload.put("source", file.toString());
            payload.put("trigger", trigger);
            payload.put("applied", outcome instanceof Outcome.Applied);
            if (outcome instanceof Outcome.Refused r) {
                payload.put("problems", r.problems());
            }
            try {
                j.append(JournalDraft.of(actor, JournalKind.CONFIG_LOADED, payload));
            } catch (DrctlException e) {
                // The reload itself stands; the store being down is reported by /health.
                LOG.error("reload could not be journaled: {}", e.getMessage());
            }
        });
    }

    /** When the config in force was loaded. */
    public Instant loadedAt() {
        return loadedAt;
    }

    /** The last reload, when it was refused and none was applied since. */
    public Optional<Outcome.Refused> lastRefused() {
        return lastRefused;
    }

    /** The config state for a {@link DaemonView}. */
    public DaemonView.ConfigState state() {
        return new DaemonView.ConfigState(file, loadedAt, lastRefused.map(r -> String.join("; ", r.problems())));
    }
}
