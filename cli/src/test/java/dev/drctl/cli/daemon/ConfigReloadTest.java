package dev.drctl.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.DrctlConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A reload applies a valid config and keeps the old one, loudly, when the new one is broken or the daemon cannot
 * apply it: an ERROR line per problem, a journal entry in the real (SQLite) store, and the refusal kept for
 * /health and /metrics until a later reload is applied.
 */
class ConfigReloadTest {
    static final String CONFIG = """
            clusters:
              - name: pay
                engine: postgresql
                credentials: { user: drctl }
                nodes:
                  - { name: a, host: 127.0.0.1, port: 5432, region: r1 }
                  - { name: b, host: 127.0.0.1, port: 5433, region: r1 }
                failover: { probe-interval: 1s }
            """;

    @TempDir
    Path dir;
    Path file;
    StateStore store;
    final AtomicReference<DrctlConfig> inForce = new AtomicReference<>();
    final List<DrctlConfig> applied = new ArrayList<>();
    ListAppender<ILoggingEvent> log;

    @BeforeEach
    void setUp() throws Exception {
        file = dir.resolve("drctl.yaml");
        Files.writeString(file, CONFIG);
        var config = ConfigLoader.load(file);
        inForce.set(config);
        store = StateStore.open(config.compliance(), Clock.systemUTC(), Set.of());
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            log = new ListAppender<>();
            log.setContext(context);
            log.start();
            var logger = context.getLogger(ConfigReload.class);
            logger.setLevel(Level.INFO);
            logger.addAppender(log);
        }
    }

    @AfterEach
    void tearDown() {
        store.close();
        if (log != null) {
            ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(ConfigReload.class).detachAppender(log);
        }
    }

    private ConfigReload reload(ConfigReload.Target target) {
        return new ConfigReload(file, java.time.Instant.EPOCH, target,
                Optional.of(store.journal()), Actor.daemon("test"), Clock.systemUTC());
    }

    private Optional<String> apply(DrctlConfig next) {
        applied.add(next);
        inForce.set(next);
        return Optional.empty();
    }

    @Test
    void aValidConfigIsAppliedAndABrokenOneKeepsTheOldLoudly() throws Exception {
        var reload = reload(this::apply);

        Files.writeString(file, CONFIG.replace("probe-interval: 1s", "probe-interval: 2s"));
        var first = reload.reload("SIGHUP");
        assertThat(first).isInstanceOf(ConfigReload.Outcome.Applied.class);
        assertThat(inForce.get().clusters().getFirst().failover().probeInterval()).isEqualTo(Duration.ofSeconds(2));

        Files.writeString(file, CONFIG.replace("probe-interval: 1s", "probe-interval: 2 seconds")
                .replace("engine: postgresql", "engine: oracle"));
        var second = reload.reload("SIGHUP");
        assertThat(second).isInstanceOfSatisfying(ConfigReload.Outcome.Refused.class, r -> assertThat(r.problems())
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("drctl.yaml:3:").contains("clusters[0].engine"))
                .anySatisfy(p -> assertThat(p).contains("clusters[0].failover.probe-interval")));
        assertThat(applied).hasSize(1);
        assertThat(inForce.get().clusters().getFirst().failover().probeInterval()).as("the old config stays")
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(reload.lastRefused()).isPresent();
        assertThat(reload.state().reloadRefused()).hasValueSatisfying(p -> assertThat(p).contains("clusters[0].engine"));
        assertThat(reload.loadedAt()).isEqualTo(first.at());
        if (log != null) {
            assertThat(log.list).filteredOn(e -> e.getLevel() == Level.ERROR).extracting(ILoggingEvent::getFormattedMessage)
                    .first().asString().startsWith("RELOAD REFUSED (SIGHUP): config " + file + " is not applied");
            assertThat(log.list).filteredOn(e -> e.getLevel() == Level.ERROR).hasSize(3);
        }

        var journaled = store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.CONFIG_LOADED)));
        assertThat(journaled).hasSize(2);
        assertThat(journaled.get(0).payloadTree().path("applied").asBoolean()).isTrue();
        var refused = journaled.get(1).payloadTree();
        assertThat(refused.path("applied").asBoolean()).isFalse();
        assertThat(refused.path("trigger").asText()).isEqualTo("SIGHUP");
        assertThat(refused.path("problems")).hasSize(2);
        assertThat(journaled.get(1).actor()).isEqualTo(Actor.daemon("test"));

        Files.writeString(file, CONFIG);
        assertThat(reload.reload("drctl reload by user:ops")).isInstanceOf(ConfigReload.Outcome.Applied.class);
        assertThat(reload.lastRefused()).isEmpty();
        assertThat(inForce.get().clusters().getFirst().failover().probeInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aValidConfigTheDaemonCannotApplyIsRefusedToo() throws Exception {
        var reload = reload(next -> Optional.of("compliance.store changed; the store cannot change while drctl run "
                + "runs: restart it"));
        Files.writeString(file, CONFIG + "compliance: { store: \"jdbc:sqlite:other.db\" }\n");
        var outcome = reload.reload("SIGHUP");
        assertThat(outcome).isInstanceOfSatisfying(ConfigReload.Outcome.Refused.class, r -> assertThat(r.problems())
                .containsExactly("compliance.store changed; the store cannot change while drctl run runs: restart it"));
        assertThat(outcome.sentence()).startsWith("config " + file + " NOT reloaded; the config loaded before stays in force");
    }

    @Test
    void aMissingFileIsRefusedWithoutAStackTrace() throws Exception {
        var reload = reload(this::apply);
        Files.delete(file);
        assertThat(reload.reload("SIGHUP")).isInstanceOfSatisfying(ConfigReload.Outcome.Refused.class,
                r -> assertThat(r.problems()).containsExactly("config file " + file + " not found"));
        assertThat(applied).isEmpty();
    }
}
