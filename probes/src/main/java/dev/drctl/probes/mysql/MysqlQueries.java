package dev.drctl.probes.mysql;

import java.util.Objects;

/**
 * The statements a MySQL-family probe runs and the replica-status columns it reads, for one
 * {@link MysqlFlavor}. All read-only; MySQL needs {@code REPLICATION CLIENT} (or
 * {@code REPLICATION_SLAVE_ADMIN}) for the replica status, MariaDB {@code REPLICA MONITOR} /
 * {@code REPLICATION CLIENT}.
 *
 * @param variables        read-only flags and GTID positions, one row; column meaning per flavour
 * @param replicaStatus    the replica status statement: a row when replication is configured
 * @param ioRunning        "Yes" when the thread that fetches changes is connected
 * @param sqlRunning       "Yes" when the thread that applies changes runs
 * @param sourceHost       the upstream's host
 * @param sourcePort       the upstream's port
 * @param secondsBehind    apply delay; NULL when it cannot be told (SQL thread stopped, or stream down and relay log drained)
 * @param lastIoError      the fetching thread's last error
 * @param lastSqlError     the applying thread's last error
 * @param receivedPosition the GTIDs received (MySQL {@code Retrieved_Gtid_Set}, MariaDB {@code Gtid_IO_Pos})
 */
public record MysqlQueries(String variables, String replicaStatus, String ioRunning, String sqlRunning,
                           String sourceHost, String sourcePort, String secondsBehind, String lastIoError,
                           String lastSqlError, String receivedPosition) {
    public MysqlQueries {
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(replicaStatus, "replicaStatus");
    }

    /** MySQL: read_only, super_read_only, gtid_mode, gtid_executed. */
    static final String MYSQL_VARIABLES =
            "SELECT @@GLOBAL.read_only, @@GLOBAL.super_read_only, @@GLOBAL.gtid_mode, @@GLOBAL.gtid_executed";

    /** MariaDB (no super_read_only, its own GTIDs): read_only, gtid_current_pos, gtid_slave_pos. */
    static final String MARIADB_VARIABLES =
            "SELECT @@GLOBAL.read_only, @@GLOBAL.gtid_current_pos, @@GLOBAL.gtid_slave_pos";
}
