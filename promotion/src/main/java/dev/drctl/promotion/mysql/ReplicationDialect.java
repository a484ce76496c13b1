package dev.drctl.promotion.mysql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The replication statements a MySQL-family server understands, told from {@code SELECT VERSION()}. Pure; the choice
 * is unit-tested with a table of versions and statements.
 *
 * <ul>
 *   <li>MySQL 8.0.23 and later (8.4 and 9.x too): {@code CHANGE REPLICATION SOURCE TO … SOURCE_AUTO_POSITION=1},
 *       {@code START|STOP|RESET REPLICA}, {@code SHOW REPLICA STATUS} with {@code Replica_*}/{@code Source_*}
 *       columns. 8.4 removed {@code CHANGE MASTER}, {@code RESET SLAVE} and {@code SHOW SLAVE STATUS}.</li>
 *   <li>MySQL 8.0.22: the {@code REPLICA} statements and columns, but still {@code CHANGE MASTER TO}.</li>
 *   <li>MySQL 8.0.0–8.0.21: {@code SLAVE} statements, {@code Slave_*}/{@code Master_*} columns; {@code SET PERSIST}.</li>
 *   <li>MySQL 5.7: as 8.0.0 but no {@code SET PERSIST}: the fence does not survive a restart.</li>
 *   <li>MariaDB (any): {@code SLAVE} statements (accepted by every release), {@code CHANGE MASTER TO …
 *       MASTER_USE_GTID=slave_pos}, {@code read_only} only (no {@code super_read_only}, no {@code SET PERSIST}).</li>
 * </ul>
 */
public enum ReplicationDialect {
    MYSQL_SOURCE_SYNTAX,
    MYSQL_8_0_22,
    MYSQL_8_0_LEGACY,
    MYSQL_5_7,
    MARIADB;

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    /**
     * The dialect of a server from its {@code VERSION()}, e.g. {@code 8.4.3}, {@code 8.0.22-log},
     * {@code 10.11.6-MariaDB-0+deb12u1}, {@code 5.5.5-10.6.12-MariaDB}.
     *
     * @throws IllegalArgumentException when the text starts with no {@code major.minor.patch}
     */
    public static ReplicationDialect of(String version) {
        if (version.toLowerCase(Locale.ROOT).contains("mariadb")) {
            return MARIADB;
        }
        var m = VERSION.matcher(version.strip());
        if (!m.find()) {
            throw new IllegalArgumentException("unrecognised server version '" + version + "'");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int patch = Integer.parseInt(m.group(3));
        if (major > 8 || (major == 8 && (minor > 0 || patch >= 23))) {
            return MYSQL_SOURCE_SYNTAX;
        }
        if (major == 8 && patch == 22) {
            return MYSQL_8_0_22;
        }
        return major == 8 ? MYSQL_8_0_LEGACY : MYSQL_5_7;
    }

    public boolean mariadb() {
        return this == MARIADB;
    }

    private boolean replicaWords() {
        return this == MYSQL_SOURCE_SYNTAX || this == MYSQL_8_0_22;
    }

    public String replicaStatus() {
        return replicaWords() ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
    }

    public String startReplica() {
        return replicaWords() ? "START REPLICA" : "START SLAVE";
    }

    public String stopReplica() {
        return replicaWords() ? "STOP REPLICA" : "STOP SLAVE";
    }

    /** Stops fetching while the applier drains what was fetched. */
    public String stopReceiver() {
        return stopReplica() + " IO_THREAD";
    }

    public String startApplier() {
        return startReplica() + " SQL_THREAD";
    }

    /** Forgets the source entirely (host, account, relay logs): a promoted node replicates from nobody. */
    public String resetReplicaAll() {
        return replicaWords() ? "RESET REPLICA ALL" : "RESET SLAVE ALL";
    }

    /** The replica-status column names of this dialect. */
    public StatusColumns columns() {
        return switch (this) {
            case MYSQL_SOURCE_SYNTAX, MYSQL_8_0_22 -> new StatusColumns("Replica_IO_Running", "Replica_SQL_Running",
                    "Source_Host", "Source_Port", "Source_User", "Last_IO_Error", "Last_SQL_Error", "Retrieved_Gtid_Set");
            case MYSQL_8_0_LEGACY, MYSQL_5_7 -> new StatusColumns("Slave_IO_Running", "Slave_SQL_Running",
                    "Master_Host", "Master_Port", "Master_User", "Last_IO_Error", "Last_SQL_Error", "Retrieved_Gtid_Set");
            case MARIADB -> new StatusColumns("Slave_IO_Running", "Slave_SQL_Running", "Master_Host", "Master_Port",
                    "Master_User", "Last_IO_Error", "Last_SQL_Error", "Gtid_IO_Pos");
        };
    }

    /** The statements that make the server refuse writes, persisted where the server can. */
    public List<String> readOnlyOn() {
        return switch (this) {
            // super_read_only also stops accounts with SUPER / CONNECTION_ADMIN; it implies read_only
            case MYSQL_SOURCE_SYNTAX, MYSQL_8_0_22, MYSQL_8_0_LEGACY -> List.of("SET PERSIST super_read_only = ON");
            case MYSQL_5_7 -> List.of("SET GLOBAL super_read_only = ON");
            case MARIADB -> List.of("SET GLOBAL read_only = ON");
        };
    }

    /** The statements that let the server take writes again. */
    public List<String> readOnlyOff() {
        return switch (this) {
            case MYSQL_SOURCE_SYNTAX, MYSQL_8_0_22, MYSQL_8_0_LEGACY ->
                    List.of("SET PERSIST super_read_only = OFF", "SET PERSIST read_only = OFF");
            case MYSQL_5_7 -> List.of("SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF");
            case MARIADB -> List.of("SET GLOBAL read_only = OFF");
        };
    }

    /** Whether the read-only flag survives a restart of the server ({@code SET PERSIST}). */
    public boolean readOnlyPersists() {
        return this == MYSQL_SOURCE_SYNTAX || this == MYSQL_8_0_22 || this == MYSQL_8_0_LEGACY;
    }

    /**
     * The statement pointing a replica at {@code host:port} by GTID. The account is given only when the replica has
     * none configured (user and password options left out keep the configured ones).
     *
     * @param literal quotes a string as an SQL literal (the server's own {@code QUOTE()} in production)
     */
    public String changeSource(String host, int port, Optional<Account> account, UnaryOperator<String> literal) {
        var sb = new StringBuilder();
        switch (this) {
            case MYSQL_SOURCE_SYNTAX -> {
                sb.append("CHANGE REPLICATION SOURCE TO SOURCE_HOST=").append(literal.apply(host))
                        .append(", SOURCE_PORT=").append(port);
                account.ifPresent(a -> {
                    sb.append(", SOURCE_USER=").append(literal.apply(a.user()));
                    a.password().ifPresent(p -> sb.append(", SOURCE_PASSWORD=").append(literal.apply(p)));
                    // caching_sha2_password over a connection without TLS needs the server's RSA key
                    sb.append(", GET_SOURCE_PUBLIC_KEY=1");
                });
                sb.append(", SOURCE_AUTO_POSITION=1");
            }
            case MYSQL_8_0_22, MYSQL_8_0_LEGACY, MYSQL_5_7 -> {
                sb.append("CHANGE MASTER TO MASTER_HOST=").append(literal.apply(host)).append(", MASTER_PORT=").append(port);
                account.ifPresent(a -> {
                    sb.append(", MASTER_USER=").append(literal.apply(a.user()));
                    a.password().ifPresent(p -> sb.append(", MASTER_PASSWORD=").append(literal.apply(p)));
                    if (this != MYSQL_5_7) {
                        sb.append(", GET_MASTER_PUBLIC_KEY=1");
                    }
                });
                sb.append(", MASTER_AUTO_POSITION=1");
            }
            case MARIADB -> {
                sb.append("CHANGE MASTER TO MASTER_HOST=").append(literal.apply(host)).append(", MASTER_PORT=").append(port);
                account.ifPresent(a -> {
                    sb.append(", MASTER_USER=").append(literal.apply(a.user()));
                    a.password().ifPresent(p -> sb.append(", MASTER_PASSWORD=").append(literal.apply(p)));
                });
                sb.append(", MASTER_USE_GTID=slave_pos");
            }
        }
        return sb.toString();
    }

    /** A replication account for {@link #changeSource}. */
    public record Account(String user, Optional<String> password) {
        @Override
        public String toString() {
            return "Account[user=" + user + ", password=***]";
        }
    }

    /** The names of the replica-status columns drctl reads. */
    public record StatusColumns(String ioRunning, String sqlRunning, String sourceHost, String sourcePort,
                                String sourceUser, String lastIoError, String lastSqlError, String received) {
    }
}
