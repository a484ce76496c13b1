package dev.drctl.testenv;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.SecretRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What drctl is given about a topology, in the topology's directory, whatever runs its servers: {@code drctl.yaml},
 * {@code secrets/} (generated passwords, mode 600, referenced by the config as {@code ${file:…}}),
 * {@code dns/writer.json} (the file DNS provider's record) and the compliance store {@code drctl.db}. Said once, so
 * a local topology and one in containers give drctl the same config.
 */
public record TopologyFiles(Path dir) {
    public static final String CONFIG_FILE = "drctl.yaml";
    /** The drctl user's password. */
    public static final String DB_PASSWORD = "db-password";
    /** The replication account's password (replicas never stream as drctl). */
    public static final String REPLICATION_PASSWORD = "replication-password";
    public static final int WRITER_TTL = 30;
    /** The state store's file name. */
    public static final String STORE_FILE = "drctl.db";
    /** Where the stores of earlier topologies in the same directory are kept: never deleted by drctl. */
    public static final String JOURNALS = "journals";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** Creates {@code dns/} and {@code secrets/} (only the owner may enter the latter) below {@link #dir}. */
    public void create() {
        LocalTopology.createDirectories(dir);
        LocalTopology.createDirectories(dir.resolve("dns"));
        LocalTopology.createDirectories(secrets());
        try {
            Files.setPosixFilePermissions(secrets(), PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot restrict " + secrets());
        }
    }

    /** A new generated password in each of the files {@code secrets/NAME}. */
    public void generateSecrets(List<String> names) {
        var random = new SecureRandom();
        for (var name : names) {
            LocalTopology.writeSecret(secret(name), LocalTopology.generatePassword(random));
        }
    }

    public Path configFile() {
        return dir.resolve(CONFIG_FILE);
    }

    public Path secrets() {
        return dir.resolve("secrets");
    }

    public Path secret(String name) {
        return secrets().resolve(name);
    }

    public Path writerRecordFile() {
        return dir.resolve("dns").resolve("writer.json");
    }

    /**
     * The cluster drctl is given: the nodes on 127.0.0.1, default failover, the writer record in the file DNS
     * provider; drctl's account, and for MariaDB/MySQL the replication account.
     */
    public ClusterSpec clusterSpec(ClusterName cluster, Engine engine, List<NodeSpec> nodes, String replicationUser) {
        // An A record: every node's address is 127.0.0.1, and a CNAME must name a host, never an address. The file
        // provider also keeps the node and port, so the record still says which node is the writer.
        var dns = new DnsSpec(DnsSpec.DnsProviderKind.FILE, writerRecordName(cluster), DnsSpec.RecordType.A,
                WRITER_TTL, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(writerRecordFile()),
                Optional.empty(), Optional.empty());
        // PostgreSQL replicas keep their own account by default (what drctl does without replication:); a MariaDB
        // node that never replicated (the first primary) has no account of its own to keep, so the config names one
        var replication = engine == Engine.POSTGRESQL ? Optional.<Credentials>empty()
                : Optional.of(new Credentials(replicationUser,
                Optional.of(new SecretRef.File(secret(REPLICATION_PASSWORD)))));
        return new ClusterSpec(cluster, engine,
                new Credentials(LocalTopology.USER, Optional.of(new SecretRef.File(secret(DB_PASSWORD)))), nodes,
                FailoverPolicy.defaults(), Optional.of(dns), replication, List.of());
    }

    /** The node's entry in the config: on 127.0.0.1, at the port drctl uses. */
    public static NodeSpec nodeSpec(NodeName name, int port, String region) {
        return new NodeSpec(name, LoopbackPorts.HOST, port, region, 0, false);
    }

    /** The journal and audit store: {@code drctl.db} beside the config. */
    public ComplianceSpec compliance() {
        return new ComplianceSpec("jdbc:sqlite:" + store(), ComplianceSpec.Targets.defaults(),
                Period.ofYears(7), ZoneId.of("UTC"));
    }

    /** The state store's file: journal, cooldowns, epochs, the daemon's records. */
    public Path store() {
        return dir.resolve(STORE_FILE);
    }

    /**
     * Moves the state store an earlier topology left in {@link #dir} (with SQLite's {@code -wal} and {@code -shm}
     * files) to {@code journals/drctl-<UTC time>.db}, so that a new topology starts with a store of its own: the
     * last one's cooldown, epoch, maintenance and daemon records would otherwise hold back or mislead its daemon,
     * and its journal would mix two topologies' runs. The old journal is kept whole (it is an audit record).
     *
     * @return where the old store went; empty when there was none
     */
    public Optional<Path> archiveStore(Instant now) {
        var store = store();
        if (!Files.exists(store)) {
            return Optional.empty();
        }
        var stamp = STAMP.format(now);
        var journals = dir.resolve(JOURNALS);
        LocalTopology.createDirectories(journals);
        var target = journals.resolve("drctl-" + stamp + ".db");
        for (int n = 2; Files.exists(target); n++) {
            target = journals.resolve("drctl-" + stamp + "-" + n + ".db");
        }
        try {
            // the write-ahead log first: a store moved without its committed pages would lose them
            for (var suffix : List.of("-wal", "-shm")) {
                var side = store.resolveSibling(store.getFileName() + suffix);
                if (Files.exists(side)) {
                    Files.move(side, target.resolveSibling(target.getFileName() + suffix));
                }
            }
            Files.move(store, target);
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot move the earlier topology's state store " + store
                    + " to " + target + ": " + e.getMessage());
        }
        return Optional.of(target);
    }

    /** Writes {@code drctl.yaml}, {@code header} as its leading comment. */
    public void writeConfig(ClusterSpec cluster, String header) {
        LocalTopology.writeString(configFile(), ConfigFile.render(cluster, compliance(), header));
    }

    private static String writerRecordName(ClusterName cluster) {
        return cluster.value().toLowerCase(Locale.ROOT) + "-rw.testenv.local";
    }

    /**
     * The writer record as the file DNS provider keeps it ({@code dns/writer.json}), pointing at the first primary, so
     * a fresh topology is in sync ({@code drctl dns show}) before any failover moves it. Written here rather than
     * through the provider: {@code dns} depends on {@code testenv} for its tests, not the other way round.
     */
    public void writeWriterRecord(ClusterName cluster, NodeName primary, int port) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        json.put("name", writerRecordName(cluster));
        json.put("type", DnsSpec.RecordType.A.name());
        json.put("ttl", WRITER_TTL);
        json.putArray("values").add(LoopbackPorts.HOST);
        json.put("node", primary.value());
        json.put("port", port);
        json.put("cluster", cluster.value());
        json.put("epoch", 0);
        json.put("runId", "testenv-up");
        json.put("updatedAt", Instant.now().toString());
        LocalTopology.writeString(writerRecordFile(), json.toPrettyString() + "\n");
    }
}
