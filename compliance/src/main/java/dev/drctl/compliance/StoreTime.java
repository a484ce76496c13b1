package dev.drctl.compliance;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * How the store writes instants: fixed-width UTC text with microseconds. Fixed width makes string
 * order equal time order on every vendor, and the journal hashes exactly this text.
 */
final class StoreTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private StoreTime() {
    }

    static Instant truncate(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    static String format(Instant at) {
        return FORMAT.format(at);
    }

    static String formatOrNull(Instant at) {
        return at == null ? null : format(at);
    }

    static Instant parse(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
