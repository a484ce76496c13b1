package dev.drctl.topology;

import java.util.Locale;
import java.util.Objects;

/**
 * A drill's cron schedule, validated when the config is read. The flavour follows from the number of fields: five
 * is Unix cron ({@code minute hour day-of-month month day-of-week}), six or seven is Quartz (seconds first, optional
 * year, {@code ?} for "no specific value").
 */
public record DrillSchedule(String expression, Flavour flavour) {
    public DrillSchedule {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(flavour, "flavour");
    }

    public enum Flavour {
        UNIX,
        QUARTZ;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The flavour an expression of {@code fields} fields is written in, if any. */
        public static java.util.Optional<Flavour> ofFields(int fields) {
            return switch (fields) {
                case 5 -> java.util.Optional.of(UNIX);
                case 6, 7 -> java.util.Optional.of(QUARTZ);
                default -> java.util.Optional.empty();
            };
        }
    }

    @Override
    public String toString() {
        return expression;
    }
}
