package dev.drctl.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.DnsSpec.DnsProviderKind;
import dev.drctl.topology.DnsSpec.RecordType;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDnsProviderTest {
    static final ChangeOrigin ORIGIN = new ChangeOrigin(new ClusterName("payments"), 3, "run-7");

    @TempDir
    Path dir;

    DnsSpec spec(Optional<String> reader) {
        return new DnsSpec(DnsProviderKind.FILE, "payments-rw.testenv.local", RecordType.CNAME, 30, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(dir.resolve("dns/writer.json")), Optional.empty(), reader);
    }

    static NodeSpec node(String name, int port) {
        return new NodeSpec(new NodeName(name), "127.0.0.1", port, "local", 0, false);
    }

    @Test
    void writesTheRecordAsJsonAndReadsItBack() throws Exception {
        var dns = DnsProviders.forSpec(spec(Optional.empty()), java.util.Map.of());
        assertThat(dns.readWriter()).isEmpty();

        var outcome = dns.pointWriter(node("pg-2", 15433), ORIGIN, Duration.ofSeconds(2));

        assertThat(outcome).isInstanceOf(DnsChangeOutcome.Applied.class);
        assertThat(dns.readWriter()).contains(new WriterRecord("payments-rw.testenv.local", RecordType.CNAME, 30,
                List.of("127.0.0.1")));
        var json = new ObjectMapper().readTree(dir.resolve("dns/writer.json").toFile());
        assertThat(json.path("node").asText()).isEqualTo("pg-2");
        assertThat(json.path("port").asInt()).isEqualTo(15433);
        assertThat(json.path("epoch").asLong()).isEqualTo(3);
        assertThat(json.path("runId").asText()).isEqualTo("run-7");
        try (var files = Files.list(dir.resolve("dns"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("writer.json");
        }
        assertThat(dns.pointWriter(node("pg-2", 15433), ORIGIN, Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(DnsChangeOutcome.Applied.class, a -> assertThat(a.changeId()).isEmpty());
    }

    @Test
    void nodesSharingAHostAreToldApartByTheRecordedNode() {
        var dns = DnsProviders.forSpec(spec(Optional.empty()), java.util.Map.of());
        dns.pointWriter(node("pg-1", 15432), ORIGIN, Duration.ofSeconds(2));
        assertThat(dns.writerNode()).contains(new NodeName("pg-1"));

        var moved = dns.pointWriter(node("pg-2", 15433), ORIGIN, Duration.ofSeconds(2));

        assertThat(moved).isInstanceOfSatisfying(DnsChangeOutcome.Applied.class, a -> assertThat(a.changeId()).isPresent());
        assertThat(dns.writerNode()).contains(new NodeName("pg-2"));
    }

    @Test
    void aReaderNeverSeesAHalfWrittenFile() throws Exception {
        var dns = new FileDnsProvider(spec(Optional.of("payments-ro.testenv.local")), HostResolver.system(), Clock.systemUTC());
        var nodes = List.of(node("pg-1", 1), node("pg-2", 2));
        dns.updateReader(nodes.stream().map(n -> new ReaderCandidate(n, true, "ok")).toList(), ORIGIN, Duration.ofSeconds(2));
        var done = new AtomicBoolean();
        var reads = new AtomicInteger();
        var broken = new AtomicInteger();
        var readerThread = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                try {
                    dns.readReader().orElseThrow();
                    reads.incrementAndGet();
                } catch (RuntimeException e) {
                    broken.incrementAndGet();
                }
            }
        });
        var many = new java.util.ArrayList<NodeSpec>();
        for (int i = 0; i < 200; i++) {
            many.add(new NodeSpec(new NodeName("r" + i), "198.18." + (i / 250) + "." + (i % 250), 5432, "x", 0, false));
            dns.updateReader(many.stream().map(n -> new ReaderCandidate(n, true, "ok")).toList(), ORIGIN,
                    Duration.ofSeconds(2));
        }
        done.set(true);
        readerThread.join();
        assertThat(broken.get()).isZero();
        assertThat(reads.get()).isPositive();
        assertThat(dns.readReader().orElseThrow().values()).hasSize(200);
        assertThat(dns.fileOf("payments-ro.testenv.local")).hasFileName("payments-ro.testenv.local.json");
    }

    @Test
    void aGarbledFileIsAReadFailureThatSaysWhatToDo() throws Exception {
        Files.createDirectories(dir.resolve("dns"));
        Files.writeString(dir.resolve("dns/writer.json"), "{not json");
        var dns = DnsProviders.forSpec(spec(Optional.empty()), java.util.Map.of());
        assertThatThrownBy(dns::readWriter).isInstanceOf(DnsException.class)
                .hasMessageContaining("writer.json").hasMessageContaining("drctl dns sync");
        // The change itself still goes through: the UPSERT does not depend on the old content.
        assertThat(dns.pointWriter(node("pg-1", 1), ORIGIN, Duration.ofSeconds(2))).isInstanceOf(DnsChangeOutcome.Applied.class);
    }

    @Test
    void aMissingFileSettingIsABadConfig() {
        var spec = new DnsSpec(DnsProviderKind.FILE, "x.local", RecordType.CNAME, 30, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> DnsProviders.forSpec(spec, java.util.Map.of())).isInstanceOf(DnsException.class)
                .hasMessageContaining("needs 'file: PATH'")
                .satisfies(e -> assertThat(((DnsException) e).code()).isEqualTo(DnsErrorCode.BAD_DNS_CONFIG));
    }
}
