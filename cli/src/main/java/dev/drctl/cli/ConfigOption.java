package dev.drctl.cli;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.TopologyErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * {@code -c/--config FILE}: the config file a command reads. Without {@code -c}: {@code $DRCTL_CONFIG}, then
 * {@code ./drctl.yaml}, then {@code ~/.drctl/drctl.yaml}, the first that exists; an error names every place looked.
 */
public final class ConfigOption {
    static final String ENV = "DRCTL_CONFIG";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The drctl config file (default: $DRCTL_CONFIG, else ./drctl.yaml, else ~/.drctl/drctl.yaml).")
    Path file;

    private final Host host;

    ConfigOption(Host host) {
        this.host = host;
    }

    /** Where a config is looked for when {@code -c} is not given, in order. */
    static List<Path> defaultPlaces(Host host) {
        var home = host.environment().getOrDefault("HOME", System.getProperty("user.home"));
        return List.of(Path.of("drctl.yaml"), Path.of(home, ".drctl", "drctl.yaml"));
    }

    /**
     * The config file in use: the one named by {@code -c} or {@code DRCTL_CONFIG} (which must exist), else the first
     * default place that exists.
     *
     * @throws DrctlException exit code 2, naming every place looked
     */
    public Path file() {
        if (file != null) {
            return existing(file, "given with -c");
        }
        var fromEnv = host.environment().get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return existing(Path.of(fromEnv), "from " + ENV);
        }
        var places = defaultPlaces(host);
        for (var p : places) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        var looked = new ArrayList<String>();
        looked.add("$" + ENV + " (not set)");
        places.forEach(p -> looked.add(p.isAbsolute() ? p.toString() : "./" + p));
        var testenv = Path.of(host.environment().getOrDefault("HOME", System.getProperty("user.home")), ".drctl",
                "testenv", "drctl.yaml");
        throw new DrctlException(TopologyErrorCode.BAD_CONFIG, "no config file found; looked at "
                + String.join(", ", looked) + ". Pass -c FILE or set " + ENV
                + (Files.isRegularFile(testenv) ? " (the local testenv topology's config is " + testenv + ")"
                        : " (or start a local topology with: drctl testenv up --engine postgresql)"));
    }

    private static Path existing(Path f, String origin) {
        if (!Files.exists(f)) {
            throw new DrctlException(TopologyErrorCode.BAD_CONFIG, "config file " + f + " (" + origin + ") not found");
        }
        return f;
    }

    /**
     * Loads and validates the config.
     *
     * @throws DrctlException exit code 2: no file found, or a {@link dev.drctl.topology.ConfigException} listing every
     *                        problem
     */
    public DrctlConfig load() {
        return ConfigLoader.load(file());
    }

    /** A cluster of the config by name; every command answers an unknown name with this one sentence (exit 2). */
    static ClusterSpec cluster(DrctlConfig config, String name) {
        return config.cluster(new ClusterName(name)).orElseThrow(() -> new DrctlException(TopologyErrorCode.UNKNOWN_NAME,
                "no cluster named '" + name + "' in " + config.source() + "; its clusters: "
                        + config.clusters().stream().map(c -> c.name().value()).collect(Collectors.joining(", "))));
    }
}
