package dev.drctl.cli;

import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.TopologyErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -c/--config FILE}: the config file a command reads, {@code drctl.yaml} in the current directory by default. */
public final class ConfigOption {
    static final Path DEFAULT = Path.of("drctl.yaml");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The drctl config file (default: drctl.yaml in the current directory).")
    Path file;

    /** The file named by {@code -c}, or the default. */
    public Path file() {
        return file == null ? DEFAULT : file;
    }

    /**
     * Loads and validates the config.
     *
     * @throws DrctlException exit code 2: the file is missing or unreadable, or a
     *                        {@link dev.drctl.topology.ConfigException} listing every problem
     */
    public DrctlConfig load() {
        var f = file();
        if (!Files.exists(f)) {
            throw new DrctlException(TopologyErrorCode.BAD_CONFIG, "config file " + f + " not found; pass -c FILE");
        }
        return ConfigLoader.load(f);
    }
}
