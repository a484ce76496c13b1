package dev.drctl.containers;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.drctl.testenv.TestenvErrorCode;
import dev.drctl.topology.DrctlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.testcontainers.DockerClientFactory;

/**
 * The Docker-compatible engine the containers environment runs on, found the way Testcontainers finds it
 * ({@code DOCKER_HOST}, {@code ~/.testcontainers.properties}, {@code /var/run/docker.sock}, ...). On a machine without
 * Docker, {@code .ci/container-engine} makes one from Debian's podman and serves it on
 * {@value #DRCTL_PODMAN_SOCKET}; the build points Testcontainers there when that socket exists.
 */
public final class ContainerEngine {
    /** Where {@code .ci/container-engine} serves podman's Docker API. */
    public static final String DRCTL_PODMAN_SOCKET = "/run/drctl-podman/podman.sock";

    private ContainerEngine() {
    }

    /** Whether an engine answers, and what it is or why not. */
    public sealed interface Check {
        /** A sentence for a test report or an error message. */
        String sentence();

        record Reachable(String engine) implements Check {
            @Override
            public String sentence() {
                return "container engine: " + engine;
            }
        }

        record Unreachable(String reason) implements Check {
            @Override
            public String sentence() {
                return "no container engine reachable (" + reason + "): the testcontainers environment needs Docker"
                        + " or podman's Docker API (on Debian without Docker, as root: .ci/container-engine, then"
                        + " export the DOCKER_HOST and TESTCONTAINERS_* lines it prints)";
            }
        }
    }

    /** Asks the engine once (Testcontainers caches what it found for the JVM's lifetime). */
    public static Check check() {
        return check(System.getenv("DOCKER_HOST"));
    }

    /**
     * As {@link #check()}; a {@code DOCKER_HOST} naming a Unix socket that is not there is answered at once (else
     * Testcontainers tries every other way it knows for half a minute, and reports only that it gave up).
     */
    static Check check(String dockerHost) {
        if (dockerHost != null && dockerHost.startsWith("unix://")
                && !Files.exists(Path.of(dockerHost.substring("unix://".length())))) {
            return new Check.Unreachable("DOCKER_HOST=" + dockerHost + ": no such socket");
        }
        try {
            var client = DockerClientFactory.instance().client();
            var version = client.versionCmd().exec();
            var components = version.getComponents();
            var name = components != null && !components.isEmpty() && components.getFirst().getName() != null
                    ? components.getFirst().getName() : "Docker API";
            return new Check.Reachable(name + " " + version.getVersion() + " (API " + version.getApiVersion() + ") at "
                    + DockerClientFactory.instance().getTransportConfig().getDockerHost());
        } catch (RuntimeException e) {
            var message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                    .orElse("");
            return new Check.Unreachable(message);
        }
    }

    /** Fails with a clear message when no engine answers. */
    public static void require() {
        if (check() instanceof Check.Unreachable u) {
            throw new DrctlException(TestenvErrorCode.CONTAINER_ENGINE_MISSING, u.sentence());
        }
    }

    /** Whether the engine holds {@code image} already (no pull needed). */
    public static boolean hasImage(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Makes {@code image} available: nothing to do when the engine has it, else one pull within {@code timeout}.
     *
     * @return empty when the image is there, else why it could not be pulled
     */
    public static Optional<String> obtain(String image, Duration timeout) {
        if (hasImage(image)) {
            return Optional.empty();
        }
        try {
            // the engine's own error, as it says it (podman's answers trip docker-java's stock callback)
            var error = new AtomicReference<String>();
            var done = DockerClientFactory.instance().client().pullImageCmd(image)
                    .exec(new ResultCallback.Adapter<PullResponseItem>() {
                        @Override
                        public void onNext(PullResponseItem item) {
                            if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
                                error.set(item.getErrorDetail().getMessage());
                            } else if (item.getError() != null) {
                                error.set(item.getError());
                            }
                        }

                        @Override
                        public void onError(Throwable throwable) {
                            error.compareAndSet(null, String.valueOf(throwable.getMessage()));
                            super.onError(throwable);
                        }
                    })
                    .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                return Optional.of("pulling " + image + " did not finish within " + timeout.toSeconds() + " s");
            }
            if (hasImage(image)) {
                return Optional.empty();
            }
            return Optional.of("cannot pull " + image + ": " + (error.get() == null ? "the engine reported no image"
                    : error.get().lines().findFirst().orElse("").strip()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while pulling " + image);
        } catch (RuntimeException e) {
            var message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Optional.of("cannot pull " + image + ": " + message.lines().findFirst().orElse("").strip());
        }
    }
}
