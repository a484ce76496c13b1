package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * One logged transaction on a fresh MariaDB/MySQL primary, applied by every replica before the topology is handed
 * over. Until such a server logs its first transaction its GTID position is empty, and an empty position compares
 * with nothing: drctl rightly shows no position and an unknown lag for such a cluster (no evidence is not lag 0), so
 * a fresh topology would look broken. The accounts are made with binary logging off, so this is the first GTID.
 *
 * @param positionQuery what the primary reports as its position after the write
 * @param appliedQuery  what a replica reports as applied, equal to that position once it has the write
 */
public record FirstTransaction(String positionQuery, String appliedQuery) {
    public static final FirstTransaction MARIADB =
            new FirstTransaction("SELECT @@GLOBAL.gtid_binlog_pos", "SELECT @@GLOBAL.gtid_slave_pos");
    public static final FirstTransaction MYSQL =
            new FirstTransaction("SELECT @@GLOBAL.gtid_executed", "SELECT @@GLOBAL.gtid_executed");

    /** How a node is reached as drctl, straight to its server. */
    @FunctionalInterface
    public interface Connector {
        Connection open(int serverPort) throws SQLException;
    }

    /** The transaction of {@code engine} (MariaDB or MySQL: PostgreSQL needs none, its LSN is never empty). */
    public static FirstTransaction of(Engine engine) {
        return switch (engine) {
            case MARIADB -> MARIADB;
            case MYSQL -> MYSQL;
            case POSTGRESQL -> throw new DrctlException(TestenvErrorCode.BAD_REQUEST,
                    "PostgreSQL needs no first transaction");
        };
    }

    /**
     * Writes the transaction on {@code primary} (at {@code primaryPort}) and waits until every replica (its name and
     * server port) has applied it.
     */
    public void seed(NodeName primary, int primaryPort, Map<NodeName, Integer> replicaPorts, Connector connector,
                     Deadline deadline) {
        String position;
        try (var c = connector.open(primaryPort); var s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS drctl_testenv");
            s.execute("CREATE TABLE IF NOT EXISTS drctl_testenv.created (id INT PRIMARY KEY, at TIMESTAMP(3) NOT NULL)");
            s.execute("INSERT INTO drctl_testenv.created VALUES (1, CURRENT_TIMESTAMP(3))");
            try (var rs = s.executeQuery(positionQuery)) {
                rs.next();
                position = rs.getString(1);
            }
        } catch (SQLException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_FAILED,
                    "writing the first transaction on " + primary + ": " + e.getMessage());
        }
        replicaPorts.forEach((replica, port) -> deadline.await(replica + " applied " + position, () -> {
            try (var c = connector.open(port); var s = c.createStatement(); var rs = s.executeQuery(appliedQuery)) {
                rs.next();
                var applied = rs.getString(1);
                return position.equals(applied) ? Deadline.Attempt.done()
                        : Deadline.Attempt.<Boolean>notYet("at \"" + applied + "\"");
            } catch (SQLException e) {
                return Deadline.Attempt.notYet(e.getMessage());
            }
        }));
    }
}
