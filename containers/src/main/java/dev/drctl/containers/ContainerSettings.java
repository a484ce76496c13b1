package dev.drctl.containers;

import dev.drctl.testenv.TestenvErrorCode;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which images a containers topology runs and how its containers reach each other.
 *
 * @param image   the server image, e.g. {@code postgres:15}, {@code mariadb:10.11}, {@code mysql:8.4}, or a stand-in
 *                built by {@code .ci/container-engine} ({@code localhost/drctl-postgres:15}); it must honour the
 *                official image's environment variables ({@code POSTGRES_*}, {@code MARIADB_*}/{@code MYSQL_*})
 * @param network {@link ContainerNetwork#HOST}: every server on its own 127.0.0.1 port in the host's network, so all
 *                traffic, replication included, stays on loopback; {@link ContainerNetwork#USER_DEFINED}: a network of
 *                the topology's own, nodes reach each other by name, drctl reaches them on 127.0.0.1 ports published
 *                by the engine
 */
public record ContainerSettings(String image, ContainerNetwork network) {

    /** How the containers are networked. */
    public enum ContainerNetwork {
        HOST, USER_DEFINED;

        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** {@code host} or {@code user-defined}. */
        public static ContainerNetwork parse(String text) {
            for (var n : values()) {
                if (n.configName().equalsIgnoreCase(text.strip())) {
                    return n;
                }
            }
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST,
                    "unknown container network '" + text + "': host or user-defined");
        }
    }

    /** The official image of {@code engine}, at the version the local environment runs. */
    public static String officialImage(Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> "postgres:15";
            case MARIADB -> "mariadb:10.11";
            case MYSQL -> "mysql:8.4";
        };
    }

    /** The stand-in {@code .ci/container-engine} builds from Debian's packages, where there is one. */
    public static Optional<String> standInImage(Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> Optional.of("localhost/drctl-postgres:15");
            case MARIADB -> Optional.of("localhost/drctl-mariadb:10.11");
            case MYSQL -> Optional.empty();
        };
    }

    /** Names the network mode for every containers topology ({@code host} or {@code user-defined}). */
    public static final String NETWORK_VARIABLE = "DRCTL_CONTAINER_NETWORK";

    /** Names the server image of {@code engine}'s topologies, e.g. {@code DRCTL_CONTAINER_IMAGE_MYSQL=mysql:8.4}. */
    public static String imageVariable(Engine engine) {
        return "DRCTL_CONTAINER_IMAGE_" + engine.name();
    }

    /**
     * The settings {@code env} gives ({@link #imageVariable}, {@link #NETWORK_VARIABLE}), {@link #defaults} for what it
     * leaves unset (asked of the engine only then).
     */
    public static ContainerSettings configured(Engine engine, Map<String, String> env) {
        var image = Optional.ofNullable(env.get(imageVariable(engine))).map(String::strip).filter(i -> !i.isEmpty());
        var network = Optional.ofNullable(env.get(NETWORK_VARIABLE)).filter(n -> !n.isBlank()).map(n -> {
            try {
                return ContainerNetwork.parse(n);
            } catch (DrctlException e) {
                throw new DrctlException(TestenvErrorCode.BAD_REQUEST, NETWORK_VARIABLE + ": " + e.getMessage());
            }
        });
        if (image.isPresent() && network.isPresent()) {
            return new ContainerSettings(image.get(), network.get());
        }
        var defaults = defaults(engine);
        return new ContainerSettings(image.orElse(defaults.image()), network.orElse(defaults.network()));
    }

    /**
     * The settings when none are given. Users with Docker get the official image on a user-defined network. Where
     * the engine has no official image but holds the stand-in {@code .ci/container-engine} built (a machine with no
     * registry: CI here), the stand-in on the host network, as that script's engine requires.
     */
    public static ContainerSettings defaults(Engine engine) {
        var official = officialImage(engine);
        var standIn = standInImage(engine);
        if (!ContainerEngine.hasImage(official) && standIn.isPresent() && ContainerEngine.hasImage(standIn.get())) {
            return new ContainerSettings(standIn.get(), ContainerNetwork.HOST);
        }
        return new ContainerSettings(official, ContainerNetwork.USER_DEFINED);
    }
}
