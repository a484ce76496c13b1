package dev.drctl.promotion.mysql;

import dev.drctl.promotion.Login;
import dev.drctl.promotion.PromoterTimeouts;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DataPosition;
import dev.drctl.topology.Engine;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The {@link dev.drctl.promotion.Promoter} of MariaDB GTID replication: waits with {@code MASTER_GTID_WAIT} on the
 * received position ({@code Gtid_IO_Pos}), re-points with {@code MASTER_USE_GTID=slave_pos}, and finds errant
 * transactions by comparing {@code gtid_binlog_state}s (per domain and originating server; needs binary logging with
 * {@code log_slave_updates}, which GTID failover needs anyway).
 *
 * <p>Rejoin of a former primary: its own transactions are in its binary log, not in {@code gtid_slave_pos}, so before
 * it follows the new primary its slave position is set to {@code gtid_current_pos}; with {@code slave_pos} alone it
 * would ask for everything again from the start.
 */
public final class MariadbPromoter extends MysqlFamilyPromoter {

    public MariadbPromoter(ClusterSpec cluster, Login login, PromoterTimeouts timeouts) {
        this(cluster, login, java.util.Optional.empty(), timeouts);
    }

    /** @param replication the cluster's {@code replication:} account, resolved; empty to keep each replica's own */
    public MariadbPromoter(ClusterSpec cluster, Login login, java.util.Optional<Login> replication, PromoterTimeouts timeouts) {
        super(cluster, login, replication, timeouts);
    }

    @Override
    public Engine engine() {
        return Engine.MARIADB;
    }

    @Override
    DataPosition applied(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT @@GLOBAL.gtid_current_pos")) {
            rs.next();
            return new DataPosition.MariadbGtidPos(rs.getString(1));
        }
    }

    @Override
    DataPosition position(String text) {
        return new DataPosition.MariadbGtidPos(text);
    }

    @Override
    String history(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(
                "SELECT @@GLOBAL.gtid_binlog_state, @@GLOBAL.gtid_current_pos")) {
            rs.next();
            var state = rs.getString(1);
            return state == null || state.isBlank() ? rs.getString(2) : state;
        }
    }

    @Override
    String missing(String subject, String reference) {
        return Gtids.mariadbMissing(subject, reference);
    }

    @Override
    String gtidWaitFunction() {
        return "MASTER_GTID_WAIT";
    }

    @Override
    List<String> beforeRejoin() {
        return List.of("SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_current_pos");
    }
}
