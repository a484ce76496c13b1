package dev.drctl.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.DnsSpec.RecordType;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Optional;

/**
 * Keeps the record in a JSON file, for the demo, testenv, and tools that read a file (a proxy's upstream list,
 * a hosts-file generator). The writer record goes to {@code dns.file}; the reader record, when configured, to
 * {@code <reader-record>.json} beside it.
 *
 * <p>The file is written atomically — a temporary file in the same directory, forced to disk, then renamed over
 * the old one with {@code ATOMIC_MOVE} — so a reader sees the old record or the new one, never half of either.
 * A write is live as soon as the rename returns. Format:
 * <pre>{"name":"payments-rw.testenv.local","type":"CNAME","ttl":30,"values":["127.0.0.1"],
 *  "node":"pg-2","port":15433,"cluster":"payments","epoch":3,"runId":"…","updatedAt":"2026-…Z"}</pre>
 * ({@code node} and {@code port} only on the writer record: DNS carries no port, a tool may want it).
 */
public final class FileDnsProvider extends RecordDnsProvider {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path writerFile;

    public FileDnsProvider(DnsSpec spec, HostResolver resolver, Clock clock) {
        super(spec, new RecordValues(resolver, false), clock);
        this.writerFile = spec.file().orElseThrow(() -> new DnsException(DnsErrorCode.BAD_DNS_CONFIG,
                "dns provider file needs 'file: PATH' (the JSON file the record is written to) for " + spec.record()));
    }

    /** Where {@code name} is kept. */
    public Path fileOf(String name) {
        return WriterRecord.normalize(name).equals(WriterRecord.normalize(spec.record())) ? writerFile
                : writerFile.toAbsolutePath().resolveSibling(WriterRecord.normalize(name) + ".json");
    }

    @Override
    public Optional<NodeName> writerNode() {
        return json(writerFile).map(j -> j.path("node").asText("")).filter(n -> !n.isEmpty()).map(NodeName::new);
    }

    @Override
    protected boolean holds(WriterRecord current, WriterRecord desired, Optional<NodeSpec> primary) {
        return current.equals(desired) && primary.map(p -> json(fileOf(desired.name()))
                .filter(j -> j.path("node").asText("").equals(p.name().value()) && j.path("port").asInt() == p.port())
                .isPresent()).orElse(true);
    }

    private static Optional<JsonNode> json(Path file) {
        try {
            return Optional.of(JSON.readTree(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new DnsException(DnsErrorCode.READ_FAILED, "cannot read DNS record file " + file + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage() + "; fix or remove the file, then run "
                    + "'drctl dns sync' to rewrite it", e);
        }
    }

    @Override
    protected Optional<WriterRecord> read(String name, RecordType type) {
        var file = fileOf(name);
        var found = json(file);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var json = found.get();
        var values = new ArrayList<String>();
        json.path("values").forEach(v -> values.add(v.asText()));
        RecordType stored;
        try {
            stored = RecordType.valueOf(json.path("type").asText());
        } catch (IllegalArgumentException e) {
            throw new DnsException(DnsErrorCode.READ_FAILED, "DNS record file " + file + " has no valid type ("
                    + json.path("type") + "); expected CNAME, A or AAAA", e);
        }
        var record = new WriterRecord(json.path("name").asText(""), stored, json.path("ttl").asInt(), values);
        return record.name().equals(WriterRecord.normalize(name)) && stored == type ? Optional.of(record) : Optional.empty();
    }

    @Override
    protected DnsChangeOutcome write(WriterRecord desired, ChangeOrigin origin, Optional<NodeSpec> primary,
                                     Deadline deadline) {
        var file = fileOf(desired.name());
        var json = JSON.createObjectNode();
        json.put("name", desired.name());
        json.put("type", desired.type().name());
        json.put("ttl", desired.ttl());
        var values = json.putArray("values");
        desired.values().forEach(values::add);
        primary.ifPresent(p -> json.put("node", p.name().value()).put("port", p.port()));
        json.put("cluster", origin.cluster().value());
        json.put("epoch", origin.epoch());
        json.put("runId", origin.runId());
        var updatedAt = clock.instant();
        json.put("updatedAt", updatedAt.toString());
        try {
            writeAtomically(file, json.toPrettyString() + "\n");
        } catch (IOException e) {
            return new DnsChangeOutcome.Failed("cannot write DNS record file " + file + ": " + e.getClass().getSimpleName()
                    + " " + e.getMessage() + "; make its directory writable and run 'drctl dns sync'");
        }
        // The write's instant names the change: the file keeps no history, so that is all there is to point at.
        return verify(desired, Optional.of("file@" + updatedAt), clock.instant());
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        var dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        var tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (var ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                var bytes = StandardCharsets.UTF_8.encode(text);
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void close() {
        // nothing held open
    }
}
