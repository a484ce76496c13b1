package dev.drctl.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * drctl's logging, set up in code rather than from a {@code logback.xml}: parsing XML configuration
 * loads some six hundred classes, a good part of a command's start-up. Logs go to stderr so that stdout
 * carries only command output (tables, JSON); the level is {@code DRCTL_LOG_LEVEL} (default WARN).
 * A {@code -Dlogback.configurationFile=…} given by hand still wins.
 */
public final class StderrLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%X{cluster:-}%X{node:+/}%X{node:-}] %logger{0} - %msg%n");
        encoder.start();
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setName("ERR");
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
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
