package dev.drctl.testenv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Ports handed out are claimed, so test JVMs building topologies at the same time do not get the same one. */
class LoopbackPortsTest {
    private static final Path CLAIMS = Path.of(System.getProperty("java.io.tmpdir"), "drctl-loopback-ports");

    @Test
    void portsHandedOutAreDistinctAndClaimedByThisProcess() throws Exception {
        var ports = LoopbackPorts.allocate(5);
        assertThat(ports).hasSize(5).doesNotHaveDuplicates();
        for (var port : ports) {
            assertThat(Files.readString(CLAIMS.resolve(port.toString())).strip())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThat(LoopbackPorts.claim(port)).as("this process renews its own claim").isTrue();
        }
    }

    @Test
    void anotherProcessesFreshClaimKeepsThePortUntilItExpires() throws Exception {
        int port = LoopbackPorts.allocate(1).getFirst();
        var claim = CLAIMS.resolve(Integer.toString(port));
        Files.writeString(claim, "1"); // PID 1 stands for another process
        assertThat(LoopbackPorts.claim(port)).isFalse();
        Files.setLastModifiedTime(claim, FileTime.from(Instant.now().minus(LoopbackPorts.CLAIM).minusSeconds(1)));
        assertThat(LoopbackPorts.claim(port)).as("an expired claim is taken over").isTrue();
        assertThat(Files.readString(claim).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }

    @Test
    void portsLieBelowTheKernelsEphemeralRangeWhereNoClientSocketCanTakeThem() {
        int ephemeral = LoopbackPorts.ephemeralRangeStart();
        org.junit.jupiter.api.Assumptions.assumeTrue(ephemeral - LoopbackPorts.LOWEST > 1_000,
                "the ephemeral range starts at " + ephemeral + ": no room below it");
        assertThat(LoopbackPorts.allocate(20)).allSatisfy(p -> assertThat(p).isBetween(LoopbackPorts.LOWEST, ephemeral - 1));
    }
}
