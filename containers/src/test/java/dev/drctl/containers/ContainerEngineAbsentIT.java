package dev.drctl.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.testenv.TestenvErrorCode;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Where no container engine answers, bringing a containers topology up fails at once with a message that says why and
 * how to get one, rather than timing out. Skipped where an engine answers (CI here: see ContainerTopologyIT).
 */
class ContainerEngineAbsentIT {
    @Test
    void withoutAnEngineBringUpFailsSayingWhyAndWhatToDo() {
        var check = ContainerEngine.check();
        Assumptions.assumeTrue(check instanceof ContainerEngine.Check.Unreachable,
                () -> "an engine answers here (" + check.sentence() + "); the no-engine path needs a machine without one");
        assertThatThrownBy(() -> ContainerTopology.start(Engine.POSTGRESQL, 1))
                .isInstanceOfSatisfying(DrctlException.class,
                        e -> assertThat(e.code()).isEqualTo(TestenvErrorCode.CONTAINER_ENGINE_MISSING))
                .hasMessageContaining("no container engine reachable").hasMessageContaining(".ci/container-engine");
    }
}
