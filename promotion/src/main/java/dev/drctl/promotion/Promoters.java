package dev.drctl.promotion;

import dev.drctl.promotion.mysql.MariadbPromoter;
import dev.drctl.promotion.mysql.MysqlPromoter;
import dev.drctl.promotion.postgres.PostgresPromoter;
import dev.drctl.topology.ClusterSpec;
import java.util.Map;

/** Chooses the {@link Promoter} for a cluster's engine. */
public final class Promoters {
    private Promoters() {
    }

    /**
     * The promoter of {@code cluster}'s engine with {@link PromoterTimeouts#defaults()}.
     *
     * @param environment resolves the credentials' {@code ${env:…}} reference (passed in: no global state)
     * @throws dev.drctl.topology.DrctlException when the password reference cannot be resolved
     */
    public static Promoter forCluster(ClusterSpec cluster, Map<String, String> environment) {
        return forCluster(cluster, environment, PromoterTimeouts.defaults());
    }

    public static Promoter forCluster(ClusterSpec cluster, Map<String, String> environment, PromoterTimeouts timeouts) {
        var login = Login.of(cluster.credentials(), environment);
        var replication = cluster.replication().map(r -> Login.of(r, environment));
        return switch (cluster.engine()) {
            case POSTGRESQL -> new PostgresPromoter(cluster, login, replication, timeouts);
            case MYSQL -> new MysqlPromoter(cluster, login, replication, timeouts);
            case MARIADB -> new MariadbPromoter(cluster, login, replication, timeouts);
        };
    }
}
