package dev.drctl.topology;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing wrong with a config file, found while loading it.
 *
 * @param file    the config file as it was named
 * @param line    1-based line of the offending value (or of the mapping a missing key belongs in)
 * @param column  1-based column
 * @param field   the path of the field, e.g. {@code clusters[0].failover.probe-timeout}; empty for the file as a whole
 * @param message what was found and what was expected; never contains a secret's value
 */
public record ConfigProblem(Path file, int line, int column, String field, String message) {
    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    /** {@code FILE:LINE:COL: FIELD: MESSAGE}, the shape editors and compilers use. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
