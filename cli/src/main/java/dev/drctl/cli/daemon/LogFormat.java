package dev.drctl.cli.daemon;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * How log lines are written: {@link #TEXT} for people (the default), {@link #JSON} for log shippers: one object per
 * line, written by Logback's own {@link JsonEncoder} (level, logger, thread, MDC such as {@code cluster} and
 * {@code node}, the formatted message, any exception), never assembled by hand. The raw message template and its
 * arguments are left out: only the formatted sentence is written, which drctl words without secrets.
 */
public enum LogFormat {
    TEXT,
    JSON;

    /** What follows the time in every text line, the daemon's and the one-shot commands' alike. */
    public static final String AFTER_TIME =
            "%-5level %replace([%replace(%X{cluster}/%X{node}){'/$', ''}] ){'^.. $', ''}%logger{0} - %msg%n";
    /**
     * The pattern of human-readable lines: UTC date and time, level, {@code [cluster/node]} when the line is about one
     * (an empty pair of brackets, the only three-character form, is dropped), logger, message.
     */
    public static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} " + AFTER_TIME;
    /** The name of the appender drctl's logging configures (see {@code StderrLogging}). */
    public static final String APPENDER = "ERR";

    /** {@code text} or {@code json}, any case; empty for anything else. */
    public static Optional<LogFormat> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (var f : values()) {
            if (f.name().equalsIgnoreCase(value.strip())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** A started encoder of this format. */
    public Encoder<ILoggingEvent> encoder(LoggerContext context, String textPattern) {
        return switch (this) {
            case TEXT -> {
                var e = new PatternLayoutEncoder();
                e.setContext(context);
                e.setPattern(textPattern);
                e.start();
                yield e;
            }
            case JSON -> {
                var e = new JsonEncoder();
                e.setContext(context);
                e.setWithSequenceNumber(false);
                e.setWithNanoseconds(false);
                e.setWithContext(false);
                e.setWithMessage(false);
                e.setWithArguments(false);
                e.setWithFormattedMessage(true);
                e.start();
                yield e;
            }
        };
    }

    /**
     * Switches the running process's log lines to this format (the appender {@value #APPENDER} on stderr); when the
     * process's logging is not Logback's or has no such appender (a hand-written logback configuration), nothing
     * changes and false is returned.
     */
    public boolean apply() {
        if (!(org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return false;
        }
        var appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER);
        if (!(appender instanceof ConsoleAppender<ILoggingEvent> console)) {
            return false;
        }
        var previous = console.getEncoder();
        console.setEncoder(encoder(context, TEXT_PATTERN));
        if (previous != null) {
            previous.stop();
        }
        return true;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
