package dev.drctl.cli;

import picocli.CommandLine.Option;

/**
 * {@code --operator NAME}: the person a manual run is journaled as, when the OS account is a shared one (root, a
 * service account). Without it, {@code DRCTL_OPERATOR}, then the OS account ({@link Host#osAccount()}).
 */
final class OperatorOption {
    static final String VARIABLE = "DRCTL_OPERATOR";

    @Option(names = "--operator", paramLabel = "NAME", description = "Journal the run as this person (default: "
            + "$DRCTL_OPERATOR, else the OS account drctl runs as).")
    String name;

    /** {@code host} as the command should see it: with the operator named on the command line, if one was. */
    Host apply(Host host) {
        return name == null || name.isBlank() ? host : host.with(VARIABLE, name.strip());
    }
}
