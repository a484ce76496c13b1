package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.NodeName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A PostgreSQL primary with streaming replicas. The primary is made by {@code initdb} (superuser {@code drctl},
 * SCRAM from 127.0.0.1, {@code wal_level=replica}, {@code wal_log_hints=on} so {@code pg_rewind} works after a
 * failover), each replica by {@code pg_basebackup -R} (or, with the embedded build, which lacks it, a file copy of the
 * stopped primary) with its own replication slot ({@code pg_2} for {@code pg-2})
 * and {@code primary_conninfo} naming the node as {@code application_name}. Servers are started and stopped with
 * {@code pg_ctl}, which detaches them, so they outlive the JVM when asked to. As root, every server program runs as
 * the {@code postgres} OS user (PostgreSQL refuses root).
 *
 * <p>Settings chosen for local use: unix sockets off (TCP on 127.0.0.1 only), {@code fsync=off} (the data is
 * disposable and a killed server loses nothing by it; only a lost machine would), and replication timeouts of a few
 * seconds so a cut link shows quickly: {@code wal_receiver_timeout=5s}, {@code wal_retrieve_retry_interval=1s}.
 */
public final class LocalPostgresTopology extends LocalTopology {
    /** The role replicas stream as. */
    public static final String REPLICATION_USER = "replicator";
    private final PostgresBinaries bin;

    LocalPostgresTopology(TopologyLayout layout, FaultLinks links, long ownerPid) {
        super(layout, links, ownerPid);
        this.bin = new PostgresBinaries(Path.of(layout.programs().getFirst()));
    }

    @Override
    void bootstrap(Deadline deadline) {
        var primary = layout.nodes().getFirst();
        initdb(primary, deadline);
        startServer(primary, deadline);
        try (var c = open(primary); var s = c.createStatement()) {
            // a database named after the user, so tools that default to it (psql, pgjdbc without a path) connect
            s.execute("CREATE DATABASE " + USER);
            // replicas stream as their own account (REPLICATION, not superuser), as a DBA sets them up: drctl's
            // login is for drctl, and never lands in a replica's configuration
            s.execute("CREATE ROLE " + REPLICATION_USER + " WITH REPLICATION LOGIN PASSWORD "
                    + literal(readSecret(replicationPasswordFile())));
        } catch (SQLException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "creating database drctl on "
                    + primary.name() + ": " + e.getMessage());
        }
        var replicas = layout.nodes().stream().skip(1).toList();
        if (bin.hasBaseBackup()) {
            for (var replica : replicas) {
                basebackup(replica, primary, deadline);
                startServer(replica, deadline);
            }
        } else {
            copyOfStoppedPrimary(primary, replicas, deadline);
        }
        for (var replica : replicas) {
            awaitStreaming(replica, deadline);
        }
    }

    private void initdb(NodeLayout node, Deadline deadline) {
        var pwfile = layout.serverRoot().resolve(".initdb-pw-" + node.name());
        try {
            writeSecret(pwfile, password());
            account.own(pwfile);
            ExternalProgram.check("initdb of " + node.name(), account.command(List.of(bin.initdb().toString(),
                    "-D", node.dataDir().toString(), "-U", USER, "--pwfile=" + pwfile, "--auth-local=trust",
                    "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync")), Map.of(),
                    deadline.remaining());
        } finally {
            delete(pwfile);
        }
        appendString(node.dataDir().resolve("postgresql.conf"), """

                # --- drctl testenv ---
                listen_addresses = '127.0.0.1'
                port = %d
                cluster_name = '%s'
                unix_socket_directories = ''
                max_connections = 60
                shared_buffers = '32MB'
                wal_level = replica
                max_wal_senders = 10
                max_replication_slots = 10
                wal_keep_size = '128MB'
                wal_log_hints = on
                hot_standby = on
                hot_standby_feedback = on
                wal_sender_timeout = '5s'
                wal_receiver_timeout = '5s'
                wal_receiver_status_interval = '1s'
                wal_retrieve_retry_interval = '1s'
                fsync = off
                log_line_prefix = '%%m [%%p] %%q%%u@%%d '
                """.formatted(node.serverPort(), node.name()) + reachSettings(node));
        writeString(node.dataDir().resolve("pg_hba.conf"), """
                # drctl testenv: TCP on 127.0.0.1 only, SCRAM for every role; replication for replicator (the
                # replicas) and drctl (pg_basebackup)
                host    all           all          127.0.0.1/32   scram-sha-256
                host    replication   replicator   127.0.0.1/32   scram-sha-256
                host    replication   drctl        127.0.0.1/32   scram-sha-256
                """);
    }

    /** The builder's extra listen addresses and connection limit, overriding the lines above (the last one wins). */
    private String reachSettings(NodeLayout node) {
        var out = new StringBuilder();
        var addresses = reach.addressesOf(node.serverId() - 1);
        // a replica's copied postgresql.conf carries the primary's line: each server writes its own when any are given
        if (!reach.listenAlso().isEmpty()) {
            out.append("listen_addresses = '").append(String.join(",", addresses)).append("'\n");
        }
        if (reach.maxConnections() > 0) {
            out.append("max_connections = ").append(reach.maxConnections()).append('\n');
        }
        return out.toString();
    }

    private void basebackup(NodeLayout replica, NodeLayout primary, Deadline deadline) {
        var slot = slotName(replica.name());
        ExternalProgram.check("pg_basebackup of " + replica.name() + " from " + primary.name(),
                account.command(List.of(bin.pgBasebackup().toString(), "-h", LoopbackPorts.HOST,
                        "-p", Integer.toString(primary.serverPort()), "-U", USER, "-D", replica.dataDir().toString(),
                        "-X", "stream", "-R", "-C", "-S", slot, "-c", "fast", "--no-sync")),
                Map.of("PGPASSWORD", password(), "PGCONNECT_TIMEOUT", "10"), deadline.remaining());
        pointAtPrimary(replica, slot);
    }

    /**
     * Without {@code pg_basebackup} (the embedded build): each replica is a file copy of the cleanly stopped primary's
     * data directory, made a standby by {@code standby.signal}; the slots are made once the primary is back, before a
     * replica starts (a copy taken with slots in it would carry them to the replicas).
     */
    private void copyOfStoppedPrimary(NodeLayout primary, List<NodeLayout> replicas, Deadline deadline) {
        // the port stays ours while the primary is down
        LoopbackPorts.claim(primary.serverPort());
        stopServer(primary, process(primary).orElseThrow(() -> new DrctlException(TestenvErrorCode.SERVER_FAILED,
                primary.name() + " stopped by itself during set-up; see " + primary.log())), deadline);
        for (var replica : replicas) {
            ExternalProgram.check("copying the data directory of " + primary.name() + " to " + replica.name(),
                    account.command(List.of("cp", "-a", primary.dataDir().toString(), replica.dataDir().toString())),
                    Map.of(), deadline.remaining());
            var signal = replica.dataDir().resolve("standby.signal");
            writeString(signal, "");
            account.own(signal);
            pointAtPrimary(replica, slotName(replica.name()));
        }
        startServer(primary, deadline);
        try (var c = open(primary); var s = c.prepareStatement("SELECT pg_create_physical_replication_slot(?, true)")) {
            for (var replica : replicas) {
                s.setString(1, slotName(replica.name()));
                s.execute();
            }
        } catch (SQLException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "creating replication slots on "
                    + primary.name() + ": " + e.getMessage());
        }
        for (var replica : replicas) {
            startServer(replica, deadline);
        }
    }

    /** A replica's own port and name, and its {@code primary_conninfo} through the replication link. */
    private void pointAtPrimary(NodeLayout replica, String slot) {
        // the copied postgresql.conf is the primary's: the later lines win
        appendString(replica.dataDir().resolve("postgresql.conf"), """
                port = %d
                cluster_name = '%s'
                """.formatted(replica.serverPort(), replica.name()) + reachSettings(replica));
        // -R wrote primary_conninfo for the direct port; point it at the replication link (the proxy when proxied)
        var auto = replica.dataDir().resolve("postgresql.auto.conf");
        try {
            var kept = Files.readAllLines(auto).stream()
                    .filter(l -> !l.startsWith("primary_conninfo") && !l.startsWith("primary_slot_name")).toList();
            writeString(auto, String.join("\n", kept) + "\n" + """
                    primary_conninfo = 'host=%s port=%d user=%s password=%s application_name=%s connect_timeout=5'
                    primary_slot_name = '%s'
                    """.formatted(LoopbackPorts.HOST, replica.upstreamPort(), REPLICATION_USER,
                    readSecret(replicationPasswordFile()), replica.name(), slot));
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot rewrite " + auto + ": " + e.getMessage());
        }
    }

    /** Replication slot names allow only lower-case letters, digits and underscores. */
    public static String slotName(NodeName node) {
        return node.value().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    @Override
    public String replicationUser() {
        return REPLICATION_USER;
    }

    /** A single-quoted SQL literal (the generated passwords hold no quote, but a literal is a literal). */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Nothing to do: the PostgreSQL fence is persisted by ALTER SYSTEM (postgresql.auto.conf) and the catalog. */
    @Override
    public String holdReadOnly(NodeName node) {
        layout(node);
        return "the fence of " + node + " is persisted by PostgreSQL itself (ALTER SYSTEM, role attributes)";
    }

    /**
     * {@code standby.signal} in the data directory, what Patroni does: the old primary only ever starts again as a
     * standby, which takes no write (it replays its own WAL, then waits for a primary it is not yet pointed at; a
     * diverged timeline needs pg_rewind, which {@code drctl rejoin} runs before it points it at the new primary).
     * The revoked application logins of the SQL fence need SQL, so they cannot be applied while the server is down:
     * the standby state is the hold.
     */
    @Override
    String holdOnRestart(NodeLayout node) {
        var signal = node.dataDir().resolve("standby.signal");
        if (Files.exists(signal)) {
            return "standby.signal was already in the data directory of " + node.name();
        }
        writeString(signal, "");
        account.own(signal);
        return "standby.signal written into the data directory of " + node.name() + ": a restart brings it back as "
                + "a standby, read-only";
    }

    @Override
    void synchronous(Deadline deadline) {
        var primary = layout(primary());
        try (var c = open(primary.serverPort()); var s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET synchronous_standby_names = 'ANY 1 (*)'");
            s.execute("SELECT pg_reload_conf()");
            deadline.await("a synchronous replica of " + primary.name(), () -> {
                try (var rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE sync_state IN "
                        + "('sync', 'quorum')")) {
                    return rs.next() && rs.getInt(1) > 0 ? Deadline.Attempt.done()
                            : Deadline.Attempt.notYet("no replica in sync_state sync or quorum");
                } catch (java.sql.SQLException e) {
                    return Deadline.Attempt.notYet(e.getMessage());
                }
            });
        } catch (java.sql.SQLException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "cannot make " + primary.name()
                    + " synchronous: " + e.getMessage());
        }
    }

    @Override
    Optional<ServerProcess> process(NodeLayout node) {
        return ServerProcess.fromPidFile(node.dataDir().resolve("postmaster.pid"), "postgres");
    }

    @Override
    void startServer(NodeLayout node, Deadline deadline) {
        clearStaleLock(node);
        var seconds = Long.toString(Math.max(1, deadline.remaining().toSeconds()));
        var result = ExternalProgram.run(account.command(List.of(bin.pgCtl().toString(), "-D",
                node.dataDir().toString(), "-l", node.log().toString(), "-w", "-t", seconds, "-s", "start")),
                Map.of(), deadline.remaining().plusSeconds(5));
        if (result.exitCode() != 0) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "starting " + node.name() + " failed (pg_ctl exit "
                    + result.exitCode() + "); end of " + node.log() + ":\n" + logTail(node.log()));
        }
        awaitAccepting(node, deadline, () -> {
        });
    }

    /**
     * Removes {@code postmaster.pid} when its process is dead. PostgreSQL treats a zombie (a killed server whose
     * parent has not reaped it yet; slow where PID 1 reaps lazily, as in some containers) as a running postmaster and
     * refuses to start; once the whole process tree is gone the lock protects nothing.
     */
    private void clearStaleLock(NodeLayout node) {
        var lock = node.dataDir().resolve("postmaster.pid");
        try {
            var first = Files.isRegularFile(lock) ? Files.readAllLines(lock).stream().findFirst().orElse("") : "";
            if (!first.isBlank() && !ServerProcess.isRunning(Long.parseLong(first.strip()))) {
                Files.deleteIfExists(lock);
            }
        } catch (IOException | NumberFormatException e) {
            // pg_ctl reports whatever is wrong with the lock file
        }
    }

    @Override
    void stopServer(NodeLayout node, ServerProcess process, Deadline deadline) {
        pgCtlStop(node, process, "fast", deadline);
    }

    @Override
    void discardServer(NodeLayout node, ServerProcess process, Deadline deadline) {
        pgCtlStop(node, process, "immediate", deadline);
    }

    private void pgCtlStop(NodeLayout node, ServerProcess process, String mode, Deadline deadline) {
        var tree = ProcessHandle.of(process.pid()).map(h -> h.descendants().map(ProcessHandle::pid).toList())
                .orElse(List.of());
        var seconds = Long.toString(Math.max(1, deadline.remaining().toSeconds()));
        var result = ExternalProgram.run(account.command(List.of(bin.pgCtl().toString(), "-D",
                node.dataDir().toString(), "-m", mode, "-w", "-t", seconds, "-s", "stop")), Map.of(),
                deadline.remaining().plusSeconds(5));
        if (result.exitCode() != 0 && process.running()) {
            // pg_ctl could not stop it (e.g. a broken data directory): the processes go anyway
            process.kill();
        }
        var all = new java.util.ArrayList<>(tree);
        all.add(process.pid());
        ServerProcess.awaitGone(all, "stopping " + node.name(), deadline.remaining().plusSeconds(5));
    }

    @Override
    Connection open(int port) throws SQLException {
        var props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", password());
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "60");
        props.setProperty("ApplicationName", "drctl-testenv");
        return new org.postgresql.Driver().connect(
                "jdbc:postgresql://" + LoopbackPorts.HOST + ":" + port + "/postgres", props);
    }

    @Override
    Optional<String> notStreaming(Connection replica) throws SQLException {
        try (var s = replica.createStatement();
             var rs = s.executeQuery("SELECT status FROM pg_stat_wal_receiver")) {
            if (!rs.next()) {
                return Optional.of("no WAL receiver running");
            }
            var status = rs.getString(1);
            return "streaming".equals(status) ? Optional.empty() : Optional.of("WAL receiver " + status);
        }
    }

    static String logTail(Path log) {
        try {
            var lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

}
