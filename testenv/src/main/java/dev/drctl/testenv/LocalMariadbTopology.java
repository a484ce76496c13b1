package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.Role;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A MariaDB primary with GTID replicas. Each node gets its own data directory from {@code mariadb-install-db},
 * its own option file ({@code servers/mdb-N.cnf}: port, socket, pid file, {@code server_id}, {@code log_bin},
 * {@code gtid_strict_mode=ON}, {@code log_slave_updates=ON}, {@code read_only=ON} on replicas) read with
 * {@code --no-defaults} semantics, so the machine's own MariaDB configuration never leaks in. Replicas follow the
 * primary with {@code CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos}.
 *
 * <p>Accounts: {@code drctl}@{@code 127.0.0.1} and @{@code localhost} with every privilege and GRANT OPTION (the
 * password in {@code secrets/db-password}); {@code repl}@{@code 127.0.0.1} for replication (its password in
 * {@code secrets/replication-password}). They are created on every node by an init file with binary logging off,
 * so no node starts with transactions of its own and GTID strict mode never sees a foreign sequence.
 *
 * <p>OS user: {@code mariadbd} runs as the current user. As root it is started with {@code user=root}, which MariaDB
 * accepts when told explicitly; this keeps the data directories in the topology's own directory, owned by the
 * caller, with no hand-over to the {@code mysql} account (which could not reach e.g. root's home). Each server is
 * started under {@code setsid} with its output in {@code servers/mdb-N.out}, detached from the terminal, so it
 * outlives the JVM when asked to.
 *
 * <p>Replication timeouts are short for local use ({@code slave_net_timeout=5}, heartbeat 1 s, reconnect every 1 s),
 * so a cut link shows within seconds.
 */
public final class LocalMariadbTopology extends LocalTopology {
    public static final String REPLICATION_USER = "repl";

    private final MariadbBinaries programs;
    /** Servers this JVM launched, to notice one dying during start-up rather than waiting out the deadline. */
    private final Map<NodeName, Process> launched = new ConcurrentHashMap<>();

    LocalMariadbTopology(TopologyLayout layout, FaultLinks links, long ownerPid) {
        super(layout, links, ownerPid);
        this.programs = MariadbBinaries.of(layout.programs());
    }

    @Override
    public String replicationUser() {
        return REPLICATION_USER;
    }

    @Override
    void bootstrap(Deadline deadline) {
        for (var node : layout.nodes()) {
            installDb(node, deadline);
            writeOptionFile(node);
        }
        for (var node : layout.nodes()) {
            var init = layout.serverRoot().resolve(node.name() + "-init.sql");
            writeSecret(init, """
                    SET SESSION sql_log_bin = 0;
                    CREATE USER 'drctl'@'127.0.0.1' IDENTIFIED BY '%1$s';
                    GRANT ALL PRIVILEGES ON *.* TO 'drctl'@'127.0.0.1' WITH GRANT OPTION;
                    CREATE USER 'drctl'@'localhost' IDENTIFIED BY '%1$s';
                    GRANT ALL PRIVILEGES ON *.* TO 'drctl'@'localhost' WITH GRANT OPTION;
                    CREATE USER '%2$s'@'127.0.0.1' IDENTIFIED BY '%3$s';
                    GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '%2$s'@'127.0.0.1';
                    """.formatted(password(), REPLICATION_USER, readSecret(replicationPasswordFile())));
            launch(node, Optional.of(init));
        }
        for (var node : layout.nodes()) {
            awaitAccepting(node, deadline, () -> checkAlive(node));
            delete(layout.serverRoot().resolve(node.name() + "-init.sql"));
        }
        for (var replica : layout.nodes()) {
            if (replica.role() == Role.REPLICA) {
                follow(replica);
            }
        }
        for (var replica : layout.nodes()) {
            if (replica.role() == Role.REPLICA) {
                awaitStreaming(replica, deadline);
            }
        }
        seedFirstTransaction(deadline);
    }

    /** See {@link FirstTransaction}: a fresh MariaDB node has an empty GTID position, which compares with nothing. */
    private void seedFirstTransaction(Deadline deadline) {
        var primary = layout.nodes().stream().filter(n -> n.role() == Role.PRIMARY).findFirst().orElseThrow();
        var replicas = new LinkedHashMap<NodeName, Integer>();
        layout.nodes().stream().filter(n -> n.role() == Role.REPLICA).forEach(n -> replicas.put(n.name(), n.serverPort()));
        FirstTransaction.MARIADB.seed(primary.name(), primary.serverPort(), replicas, this::open, deadline);
    }

    private void installDb(NodeLayout node, Deadline deadline) {
        var argv = new ArrayList<>(List.of(programs.installDb().toString(), "--no-defaults",
                "--datadir=" + node.dataDir(), "--auth-root-authentication-method=normal", "--skip-test-db",
                "--innodb-log-file-size=16M"));
        if (ServerAccount.isRoot()) {
            argv.add("--user=root");
        }
        ExternalProgram.check("mariadb-install-db of " + node.name(), argv, Map.of(), deadline.remaining());
    }

    private Path optionFile(NodeLayout node) {
        return layout.serverRoot().resolve(node.name() + ".cnf");
    }

    private Path pidFile(NodeLayout node) {
        return layout.serverRoot().resolve(node.name() + ".pid");
    }

    /** The unix socket; a short path in /tmp when the directory's would pass the 107-byte limit of sun_path. */
    private Path socket(NodeLayout node) {
        var inRoot = layout.serverRoot().resolve(node.name() + ".sock");
        return inRoot.toString().length() <= 100 ? inRoot : Path.of("/tmp", "drctl-mdb-" + node.serverPort() + ".sock");
    }

    private void writeOptionFile(NodeLayout node) {
        var cnf = new StringBuilder("""
                # drctl testenv: %1$s (read with --defaults-file, nothing else)
                [mariadbd]
                datadir = %2$s
                socket = %3$s
                pid-file = %4$s
                log_error = %5$s
                port = %6$d
                bind-address = 127.0.0.1
                skip-name-resolve
                server_id = %7$d
                log_bin = %1$s-bin
                relay_log = %1$s-relay
                binlog_format = ROW
                log_slave_updates = ON
                gtid_strict_mode = ON
                relay_log_recovery = ON
                slave_net_timeout = 5
                report_host = 127.0.0.1
                report_port = %6$d
                max_connections = 60
                innodb_buffer_pool_size = 32M
                innodb_log_file_size = 16M
                innodb_flush_log_at_trx_commit = 2
                sync_binlog = 0
                performance_schema = OFF
                """.formatted(node.name(), node.dataDir(), socket(node), pidFile(node), node.log(), node.serverPort(),
                node.serverId()));
        if (node.role() == Role.REPLICA) {
            cnf.append("read_only = ON\n");
        }
        if (ServerAccount.isRoot()) {
            cnf.append("user = root\n");
        }
        writeString(optionFile(node), cnf.toString());
    }

    /**
     * MariaDB cannot persist {@code read_only} by SQL (no {@code SET PERSIST}): a fenced old primary that restarts
     * would be writable again. Written into its option file, the fence survives the restart.
     */
    @Override
    public String holdReadOnly(NodeName name) {
        var node = layout(name);
        var file = optionFile(node);
        try {
            var lines = Files.readAllLines(file);
            if (lines.stream().anyMatch(l -> l.strip().replace(" ", "").equalsIgnoreCase("read_only=ON"))) {
                return "read_only = ON was already in " + file.getFileName();
            }
            var kept = new ArrayList<>(lines.stream().filter(l -> !l.strip().startsWith("read_only")).toList());
            kept.add("read_only = ON");
            writeString(file, String.join("\n", kept) + "\n");
            return "read_only = ON written into " + file.getFileName() + ": a restart keeps " + name + " read-only";
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /**
     * {@code read_only = ON} in the option file: the application accounts (no SUPER, no READ_ONLY ADMIN) cannot write
     * after a restart, as the SQL fence ({@code read_only}, sessions killed) would have made it. MariaDB 10.11 has no
     * {@code super_read_only}; drctl's own account keeps writing through read_only, and drctl never writes to an old
     * primary.
     */
    @Override
    String holdOnRestart(NodeLayout node) {
        return holdReadOnly(node.name());
    }

    private void launch(NodeLayout node, Optional<Path> initFile) {
        var argv = new ArrayList<String>();
        setsid().ifPresent(s -> argv.add(s.toString()));
        argv.add(programs.server().toString());
        argv.add("--defaults-file=" + optionFile(node));
        initFile.ifPresent(f -> argv.add("--init-file=" + f));
        // On the command line: an option file line is read into a 4 KB buffer, too short for thousands of addresses.
        if (reach.listenAlso().size() >= node.serverId() && !reach.listenAlso().get(node.serverId() - 1).isEmpty()) {
            argv.add("--bind-address=" + String.join(",", reach.addressesOf(node.serverId() - 1)));
        }
        if (reach.maxConnections() > 0) {
            argv.add("--max-connections=" + reach.maxConnections());
        }
        var out = layout.serverRoot().resolve(node.name() + ".out").toFile();
        try {
            var process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out)).redirectErrorStream(true).start();
            launched.put(node.name(), process);
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED,
                    "cannot start mariadbd for " + node.name() + ": " + e.getMessage());
        }
    }

    /** {@code setsid}: a session of its own, so a terminal's hang-up or Ctrl-C never reaches the server. */
    private static Optional<Path> setsid() {
        return List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream().filter(Files::isExecutable)
                .findFirst();
    }

    private void checkAlive(NodeLayout node) {
        var process = launched.get(node.name());
        if (process != null && !process.isAlive()) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "mariadbd for " + node.name() + " exited with "
                    + process.exitValue() + "; end of " + node.log() + ":\n" + LocalPostgresTopology.logTail(node.log()));
        }
    }

    /** Points {@code replica} at its upstream (the primary, or its replication link) by GTID and starts it. */
    private void follow(NodeLayout replica) {
        try (var c = open(replica); var s = c.createStatement()) {
            s.execute("CHANGE MASTER TO MASTER_HOST='" + LoopbackPorts.HOST + "', MASTER_PORT=" + replica.upstreamPort()
                    + ", MASTER_USER='" + REPLICATION_USER + "', MASTER_PASSWORD='"
                    + readSecret(replicationPasswordFile()) + "', MASTER_USE_GTID=slave_pos,"
                    + " MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1");
            s.execute("START SLAVE");
        } catch (SQLException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED,
                    "setting up replication on " + replica.name() + ": " + e.getMessage());
        }
    }

    @Override
    Optional<ServerProcess> process(NodeLayout node) {
        return ServerProcess.fromPidFile(pidFile(node), "mariadbd");
    }

    @Override
    void startServer(NodeLayout node, Deadline deadline) {
        launch(node, Optional.empty());
        awaitAccepting(node, deadline, () -> checkAlive(node));
    }

    @Override
    void stopServer(NodeLayout node, ServerProcess process, Deadline deadline) {
        process.terminate();
        try {
            ServerProcess.awaitGone(List.of(process.pid()), "stopping " + node.name(), deadline.remaining());
        } catch (DrctlException e) {
            process.kill();
            ServerProcess.awaitGone(List.of(process.pid()), "killing " + node.name(), Duration.ofSeconds(10));
        }
    }

    @Override
    void discardServer(NodeLayout node, ServerProcess process, Deadline deadline) {
        ServerProcess.awaitGone(process.kill(), "stopping " + node.name(), deadline.remaining());
    }

    @Override
    void synchronous(Deadline deadline) {
        var primary = layout(primary());
        try {
            for (var r : replicas()) {
                try (var c = open(layout(r).serverPort()); var s = c.createStatement()) {
                    s.execute("SET GLOBAL rpl_semi_sync_slave_enabled = ON");
                    s.execute("STOP SLAVE IO_THREAD");
                    s.execute("START SLAVE IO_THREAD");
                }
            }
            try (var c = open(primary.serverPort()); var s = c.createStatement()) {
                // an hour: a commit waits for a replica's acknowledgement instead of falling back to asynchronous
                s.execute("SET GLOBAL rpl_semi_sync_master_timeout = 3600000");
                s.execute("SET GLOBAL rpl_semi_sync_master_enabled = ON");
                deadline.await("a semi-synchronous replica of " + primary.name(), () -> {
                    try (var rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_clients'")) {
                        return rs.next() && rs.getInt(2) > 0 ? Deadline.Attempt.done()
                                : Deadline.Attempt.notYet("no semi-synchronous replica connected");
                    } catch (SQLException e) {
                        return Deadline.Attempt.notYet(e.getMessage());
                    }
                });
            }
        } catch (SQLException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED, "cannot make " + primary.name()
                    + " semi-synchronous: " + e.getMessage());
        }
    }

    @Override
    Connection open(int port) throws SQLException {
        var props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", password());
        props.setProperty("connectTimeout", "10000");
        props.setProperty("socketTimeout", "60000");
        props.setProperty("sslMode", "DISABLED");
        props.setProperty("allowPublicKeyRetrieval", "true");
        return new com.mysql.cj.jdbc.Driver().connect(
                "jdbc:mysql://" + LoopbackPorts.HOST + ":" + port + "/", props);
    }

    @Override
    Optional<String> notStreaming(Connection replica) throws SQLException {
        try (var s = replica.createStatement(); var rs = s.executeQuery("SHOW SLAVE STATUS")) {
            if (!rs.next()) {
                return Optional.of("replication not configured");
            }
            var io = rs.getString("Slave_IO_Running");
            var sql = rs.getString("Slave_SQL_Running");
            if ("Yes".equals(io) && "Yes".equals(sql)) {
                return Optional.empty();
            }
            return Optional.of("IO thread " + io + ", SQL thread " + sql + ", last IO error: "
                    + rs.getString("Last_IO_Error") + ", last SQL error: " + rs.getString("Last_SQL_Error"));
        }
    }
}
