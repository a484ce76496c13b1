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
 * The {@link dev.drctl.promotion.Promoter} of MySQL 8 (and 5.7) with {@code gtid_mode=ON}: waits with
 * {@code WAIT_FOR_EXECUTED_GTID_SET} on the retrieved set, re-points with auto-positioning, and finds errant
 * transactions by GTID set subtraction over {@code gtid_executed}.
 */
public final class MysqlPromoter extends MysqlFamilyPromoter {

    public MysqlPromoter(ClusterSpec cluster, Login login, PromoterTimeouts timeouts) {
        this(cluster, login, java.util.Optional.empty(), timeouts);
    }

    /** @param replication the cluster's {@code replication:} account, resolved; empty to keep each replica's own */
    public MysqlPromoter(ClusterSpec cluster, Login login, java.util.Optional<Login> replication, PromoterTimeouts timeouts) {
        super(cluster, login, replication, timeouts);
    }

    @Override
    public Engine engine() {
        return Engine.MYSQL;
    }

    @Override
    DataPosition applied(Connection c) throws SQLException {
        return new DataPosition.MysqlGtidSet(history(c));
    }

    @Override
    DataPosition position(String text) {
        return new DataPosition.MysqlGtidSet(text);
    }

    @Override
    String history(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT @@GLOBAL.gtid_executed")) {
            rs.next();
            return rs.getString(1).replaceAll("\\s+", "");
        }
    }

    @Override
    String missing(String subject, String reference) {
        return Gtids.mysqlSubtract(subject, reference);
    }

    @Override
    String gtidWaitFunction() {
        return "WAIT_FOR_EXECUTED_GTID_SET";
    }

    @Override
    List<String> beforeRejoin() {
        // auto-positioning sends exactly what gtid_executed lacks: nothing to prepare
        return List.of();
    }
}
