package dev.drctl.cli.daemon;

import java.util.Map;
import java.util.Optional;

/** {@link PromText} for tests of other packages. */
public final class PromTextAccess {
    private final PromText.Exposition exposition;

    private PromTextAccess(PromText.Exposition exposition) {
        this.exposition = exposition;
    }

    public static PromTextAccess parse(String text) {
        return new PromTextAccess(PromText.parse(text));
    }

    public Optional<Double> value(String name, Map<String, String> labels) {
        return exposition.value(name, labels);
    }
}
