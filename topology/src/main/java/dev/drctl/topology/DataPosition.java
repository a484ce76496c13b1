package dev.drctl.topology;

import java.util.Objects;
import java.util.Optional;

/**
 * How far a node's data goes. Positions of different kinds, LSNs on diverging timelines, and GTID
 * sets where neither contains the other are {@link Comparison#INCOMPARABLE}: the ranking reports them
 * rather than guessing.
 */
public sealed interface DataPosition {

    /** This position compared with {@code other}: AHEAD means this one has more data. */
    Comparison compareWith(DataPosition other);

    /** The position as the server prints it. */
    String display();

    /**
     * How much of {@code reference} this position lacks: bytes of WAL for two LSNs on the same timeline,
     * transactions for GTID sets/positions (those in {@code reference} and not here). Empty when no such
     * figure exists (different timelines, different kinds): an unknown shortfall is never zero.
     */
    default Optional<Shortfall> shortfallFrom(DataPosition reference) {
        return PositionComparisons.shortfall(this, reference);
    }

    /**
     * The transactions of {@code reference} this position lacks, named in the server's notation so an operator can
     * look them up: MySQL {@code uuid:101-145}, MariaDB {@code 0-1-101..145} (domain-server-first..last). Empty for
     * WAL positions (bytes have no names), for positions of different kinds, and when nothing is missing.
     */
    default java.util.List<String> missingFrom(DataPosition reference) {
        return PositionComparisons.missingNames(this, reference);
    }

    /**
     * A measured distance between two positions.
     *
     * @param amount how many units this position lacks (0 when it holds everything)
     * @param unit   what is counted
     */
    record Shortfall(long amount, Unit unit) {
        public enum Unit { BYTES, TRANSACTIONS }

        public Shortfall {
            Objects.requireNonNull(unit, "unit");
            if (amount < 0) {
                throw new IllegalArgumentException("negative shortfall " + amount);
            }
        }

        @Override
        public String toString() {
            return switch (unit) {
                case BYTES -> new DataSize(amount) + (amount >= 1024 ? " (" + amount + " bytes)" : "");
                case TRANSACTIONS -> amount + (amount == 1 ? " transaction" : " transactions");
            };
        }
    }

    /**
     * A PostgreSQL WAL position.
     *
     * @param timeline the timeline the position is on (a promotion starts a new one)
     * @param lsn      the byte position in the WAL stream
     */
    record PgLsn(int timeline, long lsn) implements DataPosition {
        /** Parses the server's {@code X/Y} notation. */
        public static PgLsn parse(int timeline, String text) {
            var slash = text.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("not an LSN: " + text);
            }
            long hi = Long.parseLong(text.substring(0, slash), 16);
            long lo = Long.parseLong(text.substring(slash + 1), 16);
            return new PgLsn(timeline, (hi << 32) | lo);
        }

        @Override
        public Comparison compareWith(DataPosition other) {
            return PositionComparisons.compare(this, other);
        }

        @Override
        public String display() {
            return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase()
                    + " (timeline " + timeline + ")";
        }
    }

    /** A MySQL GTID set, e.g. {@code 3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7, …}. */
    record MysqlGtidSet(String executed) implements DataPosition {
        public MysqlGtidSet {
            Objects.requireNonNull(executed, "executed");
        }

        @Override
        public Comparison compareWith(DataPosition other) {
            return PositionComparisons.compare(this, other);
        }

        @Override
        public String display() {
            return executed;
        }

        /**
         * The set holding every transaction of this set and of {@code other}, in MySQL's own notation
         * (sources sorted, intervals merged): a replica's received data is its executed set united
         * with the retrieved one.
         */
        public MysqlGtidSet union(MysqlGtidSet other) {
            return new MysqlGtidSet(PositionComparisons.mysqlUnion(executed, other.executed));
        }
    }

    /** A MariaDB GTID position, one {@code domain-server-sequence} per replication domain, e.g. {@code 0-1-42}. */
    record MariadbGtidPos(String position) implements DataPosition {
        public MariadbGtidPos {
            Objects.requireNonNull(position, "position");
        }

        @Override
        public Comparison compareWith(DataPosition other) {
            return PositionComparisons.compare(this, other);
        }

        @Override
        public String display() {
            return position;
        }
    }
}
