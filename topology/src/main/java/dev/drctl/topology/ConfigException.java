package dev.drctl.topology;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The config file is invalid. Carries every problem found, not just the first, so one run of
 * {@code drctl config check} shows everything to fix. The message lists them one per line.
 */
public final class ConfigException extends DrctlException {
    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(TopologyErrorCode.BAD_CONFIG, problems.stream().map(ConfigProblem::toString)
                .collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
