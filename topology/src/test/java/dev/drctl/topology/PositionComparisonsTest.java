package dev.drctl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PositionComparisonsTest {
    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "aaaaaaaa-0000-0000-0000-000000000000";

    static DataPosition lsn(int timeline, String text) {
        return DataPosition.PgLsn.parse(timeline, text);
    }

    static DataPosition gtid(String set) {
        return new DataPosition.MysqlGtidSet(set);
    }

    static DataPosition maria(String pos) {
        return new DataPosition.MariadbGtidPos(pos);
    }

    static Stream<Arguments> comparisons() {
        return Stream.of(
                Arguments.of("LSN ahead on one timeline", lsn(1, "0/3000000"), lsn(1, "0/2FFFFFF"), Comparison.AHEAD),
                Arguments.of("LSN equal", lsn(1, "1/0"), lsn(1, "1/0"), Comparison.EQUAL),
                Arguments.of("LSN behind, high word", lsn(1, "0/FFFFFFFF"), lsn(1, "1/0"), Comparison.BEHIND),
                // Across a timeline change there is no order without the history file: the node left on
                // timeline 1 at a higher LSN may hold writes the new timeline never saw.
                Arguments.of("LSN across a timeline change (higher LSN, old timeline)", lsn(1, "0/5800000"),
                        lsn(2, "0/5000000"), Comparison.INCOMPARABLE),
                Arguments.of("LSN across a timeline change (new timeline, higher LSN)", lsn(2, "0/6000000"),
                        lsn(1, "0/5000000"), Comparison.INCOMPARABLE),
                Arguments.of("GTID superset is ahead", gtid(A + ":1-100"), gtid(A + ":1-90"), Comparison.AHEAD),
                Arguments.of("GTID subset is behind", gtid(A + ":1-90"), gtid(A + ":1-100"), Comparison.BEHIND),
                Arguments.of("GTID sets written differently are equal", gtid(A + ":1-5:6-10"),
                        gtid(A.toUpperCase() + ":1-10"), Comparison.EQUAL),
                Arguments.of("GTID with another source is a superset", gtid(A + ":1-10," + B + ":1"),
                        gtid(A + ":1-10"), Comparison.AHEAD),
                Arguments.of("GTID sets each with errant transactions", gtid(A + ":1-10," + B + ":1"),
                        gtid(A + ":1-11"), Comparison.INCOMPARABLE),
                Arguments.of("GTID gap: 1-5:7 is not a superset of 1-6", gtid(A + ":1-5:7"), gtid(A + ":1-6"),
                        Comparison.INCOMPARABLE),
                Arguments.of("MariaDB: same domain, higher sequence", maria("0-1-101"), maria("0-1-100"),
                        Comparison.AHEAD),
                Arguments.of("MariaDB: server id does not order", maria("0-2-100"), maria("0-1-100"), Comparison.EQUAL),
                Arguments.of("MariaDB: ahead in one domain, behind in another", maria("0-1-100,1-1-49"),
                        maria("0-1-99,1-1-50"), Comparison.INCOMPARABLE),
                Arguments.of("MariaDB: an extra domain is ahead", maria("0-1-100,1-1-1"), maria("0-1-100"),
                        Comparison.AHEAD),
                Arguments.of("different kinds never compare", lsn(1, "0/1"), gtid(A + ":1"), Comparison.INCOMPARABLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("comparisons")
    void compares(String name, DataPosition a, DataPosition b, Comparison expected) {
        assertThat(a.compareWith(b)).isEqualTo(expected);
        var mirrored = switch (expected) {
            case AHEAD -> Comparison.BEHIND;
            case BEHIND -> Comparison.AHEAD;
            case EQUAL, INCOMPARABLE -> expected;
        };
        assertThat(b.compareWith(a)).as("mirrored").isEqualTo(mirrored);
    }

    static Stream<Arguments> shortfalls() {
        var bytes = DataPosition.Shortfall.Unit.BYTES;
        var tx = DataPosition.Shortfall.Unit.TRANSACTIONS;
        return Stream.of(
                Arguments.of("LSN bytes behind", lsn(1, "0/3000000"), lsn(1, "0/5000000"),
                        Optional.of(new DataPosition.Shortfall(0x2000000, bytes))),
                Arguments.of("LSN ahead lacks nothing", lsn(1, "0/6000000"), lsn(1, "0/5000000"),
                        Optional.of(new DataPosition.Shortfall(0, bytes))),
                Arguments.of("LSN across a timeline change: unknown", lsn(1, "0/3000000"), lsn(2, "0/5000000"),
                        Optional.empty()),
                Arguments.of("GTID missing transactions", gtid(A + ":1-90:95"), gtid(A + ":1-100," + B + ":1-2"),
                        Optional.of(new DataPosition.Shortfall(11, tx))),
                Arguments.of("MariaDB missing per domain", maria("0-1-90,1-1-50"), maria("0-1-100,1-1-52,2-1-1"),
                        Optional.of(new DataPosition.Shortfall(13, tx))),
                Arguments.of("different kinds: unknown", gtid(A + ":1"), maria("0-1-1"), Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shortfalls")
    void measuresShortfall(String name, DataPosition have, DataPosition reference, Optional<DataPosition.Shortfall> expected) {
        assertThat(have.shortfallFrom(reference)).isEqualTo(expected);
    }

    static Stream<Arguments> missingNames() {
        return Stream.of(
                Arguments.of("MariaDB: the gap per domain, named with the reference's server id",
                        maria("0-1-100,1-1-50"), maria("0-2-145,1-1-50,2-3-2"), List.of("0-2-101..145", "2-3-1..2")),
                Arguments.of("MariaDB: one missing transaction", maria("0-1-144"), maria("0-1-145"), List.of("0-1-145")),
                Arguments.of("MariaDB: nothing missing", maria("0-1-145"), maria("0-1-140"), List.of()),
                Arguments.of("MySQL: holes and tails per source", gtid(A + ":1-90:95"), gtid(A + ":1-100," + B + ":1-2"),
                        List.of(A + ":91-94", A + ":96-100", B + ":1-2")),
                Arguments.of("MySQL: nothing missing", gtid(A + ":1-100"), gtid(A + ":1-100"), List.of()),
                Arguments.of("LSNs have no names", DataPosition.PgLsn.parse(1, "0/1"), DataPosition.PgLsn.parse(1, "0/9"),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingNames")
    void namesMissingTransactions(String name, DataPosition have, DataPosition reference, List<String> expected) {
        assertThat(have.missingFrom(reference)).isEqualTo(expected);
    }
}
