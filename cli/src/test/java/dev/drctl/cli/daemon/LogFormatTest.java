package dev.drctl.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Log lines in each format, written by Logback's own encoders into a logging context of the test's own. */
class LogFormatTest {

    private static String logged(LogFormat format) {
        var context = new LoggerContext();
        var mdc = new ch.qos.logback.classic.util.LogbackMDCAdapter();
        context.setMDCAdapter(mdc);
        context.start();
        var out = new ByteArrayOutputStream();
        var appender = new OutputStreamAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setEncoder(format.encoder(context, LogFormat.TEXT_PATTERN));
        appender.setOutputStream(out);
        appender.start();
        var logger = context.getLogger("dev.drctl.runbooks.watch.Supervisor");
        logger.addAppender(appender);
        mdc.put("cluster", "pay");
        mdc.put("node", "a");
        try {
            logger.warn("primary {} failed {} probes", "a", 3);
            logger.error("promotion of {} failed", "b", new IllegalStateException("still read-only"));
        } finally {
            mdc.clear();
        }
        logger.info("daemon started");
        appender.stop();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesAreOneObjectEachThatJacksonParses() throws Exception {
        var lines = logged(LogFormat.JSON).lines().toList();
        assertThat(lines).hasSize(3);
        var json = new ObjectMapper();
        var first = json.readTree(lines.get(0));
        assertThat(first.path("level").asText()).isEqualTo("WARN");
        assertThat(first.path("loggerName").asText()).isEqualTo("dev.drctl.runbooks.watch.Supervisor");
        assertThat(first.path("formattedMessage").asText()).isEqualTo("primary a failed 3 probes");
        assertThat(first.path("mdc").path("cluster").asText()).isEqualTo("pay");
        assertThat(first.path("timestamp").asLong()).isPositive();
        assertThat(first.has("message")).as("the raw template is left out").isFalse();
        assertThat(first.has("arguments")).as("arguments are left out").isFalse();
        var second = json.readTree(lines.get(1));
        assertThat(second.path("level").asText()).isEqualTo("ERROR");
        assertThat(second.path("throwable").path("className").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(second.path("throwable").path("message").asText()).isEqualTo("still read-only");
    }

    @Test
    void textLinesAreForPeople() {
        var text = logged(LogFormat.TEXT);
        assertThat(text.lines().findFirst().orElseThrow())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN  \\[pay/a] Supervisor - primary a failed 3 probes");
        assertThat(text).contains("java.lang.IllegalStateException: still read-only");
        assertThat(text.lines().filter(l -> l.contains("promotion of b failed")).findFirst().orElseThrow())
                .contains(" ERROR [pay/a] Supervisor - ");
        // a line about no cluster or node has no brackets at all, not an empty pair
        assertThat(text.lines().filter(l -> l.contains("daemon started")).findFirst().orElseThrow())
                .matches(".*Z INFO  Supervisor - daemon started");
    }

    @Test
    void theFormatIsParsedFromTheOptionOrTheEnvironment() {
        assertThat(LogFormat.parse("JSON")).contains(LogFormat.JSON);
        assertThat(LogFormat.parse(" text")).contains(LogFormat.TEXT);
        assertThat(LogFormat.parse("yaml")).isEmpty();
        assertThat(LogFormat.parse(null)).isEmpty();
    }
}
