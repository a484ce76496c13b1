package dev.drctl.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.drctl.cli.daemon.LogFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * drctl's logging, set up in code rather than from a {@code logback.xml}: parsing XML configuration
 * loads some six hundred classes, a good part of a command's start-up. Logs go to stderr so that stdout
 * carries only command output (tables, JSON); the level is {@code DRCTL_LOG_LEVEL} (default WARN), the format
 * {@code DRCTL_LOG_FORMAT} ({@code text}, the default, or {@code json}: see {@link LogFormat}).
 * A {@code -Dlogback.configurationFile=…} given by hand still wins. The daemon ({@code drctl run}) logs at INFO unless
 * {@code DRCTL_LOG_LEVEL} says otherwise ({@link #daemonDefault}): what it does by itself (a failover and each of its
 * steps, a fence, a reload) is its log's reason to exist, where a one-shot command prints its own report.
 */
public final class StderrLogging extends ContextAwareBase implements Configurator {

    /** INFO for the daemon when {@code DRCTL_LOG_LEVEL} is not set and the logging is drctl's own. */
    public static void daemonDefault(Map<String, String> environment) {
        if (environment.containsKey("DRCTL_LOG_LEVEL") || System.getProperty("logback.configurationFile") != null
                || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        var format = LogFormat.parse(System.getenv("DRCTL_LOG_FORMAT")).orElse(LogFormat.TEXT);
        var encoder = format.encoder(context, "%d{HH:mm:ss.SSS} " + LogFormat.AFTER_TIME);
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setName(LogFormat.APPENDER);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv("DRCTL_LOG_LEVEL"), Level.WARN));
        root.addAppender(appender);
        // HikariCP warns about pools of nodes that are down; drctl reports those itself, as probe outcomes.
        context.getLogger("com.zaxxer.hikari").setLevel(Level.ERROR);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        // The ZooKeeper client narrates every connection attempt; drctl says what matters (suspended, lost, back).
        context.getLogger("org.apache.zookeeper").setLevel(Level.ERROR);
        context.getLogger("org.apache.curator").setLevel(Level.WARN);
        // Testcontainers warns that Ryuk is off (podman here) and narrates its search for an engine: the testcontainers
        // drill environment removes its containers by id itself and says what failed, and why, in its own words.
        context.getLogger("org.testcontainers").setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
