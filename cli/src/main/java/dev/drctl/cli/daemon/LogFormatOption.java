package dev.drctl.cli.daemon;

import picocli.CommandLine.Option;

/**
 * {@code --log-format text|json} for the long-running command ({@code drctl run}); also {@code DRCTL_LOG_FORMAT}, which
 * takes effect from the process's first log line.
 */
public final class LogFormatOption {
    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "${env:DRCTL_LOG_FORMAT:-text}",
            converter = Converter.class,
            description = "Log lines as text (for people, the default) or json (one object per line, Logback's "
                    + "JsonEncoder). Also DRCTL_LOG_FORMAT.")
    LogFormat format = LogFormat.TEXT;

    public LogFormat format() {
        return format;
    }

    /** Applies the chosen format to the process's logging; see {@link LogFormat#apply()}. */
    public boolean apply() {
        return format.apply();
    }

    static final class Converter implements picocli.CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            return LogFormat.parse(value).orElseThrow(() -> new picocli.CommandLine.TypeConversionException(
                    "found \"" + value + "\"; expected text or json"));
        }
    }
}
