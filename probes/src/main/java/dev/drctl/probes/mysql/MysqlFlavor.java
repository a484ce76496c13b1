package dev.drctl.probes.mysql;

import java.util.regex.Pattern;

/**
 * Which dialect of replication SQL a server speaks, told from {@code SELECT VERSION()}. Pure and
 * unit-tested with a table of versions.
 *
 * <ul>
 *   <li>MySQL 8.0.22 and later (8.4 and 9.x included) say {@code SHOW REPLICA STATUS} with
 *       {@code Replica_*}/{@code Source_*} columns; 8.4 removed {@code SHOW SLAVE STATUS}.</li>
 *   <li>Older MySQL (5.7, 8.0.0–8.0.21) knows only {@code SHOW SLAVE STATUS} with {@code Slave_*}/{@code Master_*}.</li>
 *   <li>MariaDB keeps {@code SHOW SLAVE STATUS}: every release from 10.0 to 11.x accepts it, while
 *       {@code SHOW REPLICA STATUS} exists only from 10.5.1 and returns the same {@code Slave_*} columns
 *       anyway, so one statement serves all MariaDB versions. Its GTIDs are its own
 *       ({@code domain-server-sequence}), read from {@code gtid_current_pos}/{@code gtid_slave_pos}.</li>
 * </ul>
 */
public enum MysqlFlavor {
    /** MySQL 8.0.22 or later. */
    MYSQL_REPLICA_SYNTAX(new MysqlQueries(MysqlQueries.MYSQL_VARIABLES, "SHOW REPLICA STATUS",
            "Replica_IO_Running", "Replica_SQL_Running", "Source_Host", "Source_Port", "Seconds_Behind_Source",
            "Last_IO_Error", "Last_SQL_Error", "Retrieved_Gtid_Set")),
    /** MySQL before 8.0.22. */
    MYSQL_SLAVE_SYNTAX(new MysqlQueries(MysqlQueries.MYSQL_VARIABLES, "SHOW SLAVE STATUS",
            "Slave_IO_Running", "Slave_SQL_Running", "Master_Host", "Master_Port", "Seconds_Behind_Master",
            "Last_IO_Error", "Last_SQL_Error", "Retrieved_Gtid_Set")),
    /** MariaDB, any version. */
    MARIADB(new MysqlQueries(MysqlQueries.MARIADB_VARIABLES, "SHOW SLAVE STATUS",
            "Slave_IO_Running", "Slave_SQL_Running", "Master_Host", "Master_Port", "Seconds_Behind_Master",
            "Last_IO_Error", "Last_SQL_Error", "Gtid_IO_Pos"));

    // MariaDB may prefix the version with "5.5.5-" for old clients; the real version follows.
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    private final MysqlQueries queries;

    MysqlFlavor(MysqlQueries queries) {
        this.queries = queries;
    }

    /** The statements and column names of this flavour. */
    public MysqlQueries queries() {
        return queries;
    }

    /** Whether positions are MariaDB GTIDs rather than MySQL GTID sets. */
    public boolean mariadb() {
        return this == MARIADB;
    }

    /**
     * The flavour of a server from its {@code VERSION()} text, e.g. {@code 8.4.3}, {@code 8.0.21-log},
     * {@code 10.11.6-MariaDB-0+deb12u1}.
     *
     * @throws IllegalArgumentException when the text starts with no {@code major.minor.patch}
     */
    public static MysqlFlavor of(String version) {
        if (version.toLowerCase(java.util.Locale.ROOT).contains("mariadb")) {
            return MARIADB;
        }
        var m = VERSION.matcher(version.strip());
        if (!m.find()) {
            throw new IllegalArgumentException("unrecognised server version '" + version + "'");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int patch = Integer.parseInt(m.group(3));
        boolean replicaSyntax = major > 8 || (major == 8 && (minor > 0 || patch >= 22));
        return replicaSyntax ? MYSQL_REPLICA_SYNTAX : MYSQL_SLAVE_SYNTAX;
    }
}
