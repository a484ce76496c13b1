package dev.drctl.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerEngineTest {
    @Test
    void aDockerHostSocketThatIsNotThereIsAnsweredAtOnceNamingIt(@TempDir Path dir) {
        var check = ContainerEngine.check("unix://" + dir.resolve("missing.sock"));
        assertThat(check).isInstanceOf(ContainerEngine.Check.Unreachable.class);
        assertThat(check.sentence()).contains("no container engine reachable", "missing.sock: no such socket",
                ".ci/container-engine");
    }
}
