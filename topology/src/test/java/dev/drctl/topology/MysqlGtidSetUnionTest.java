package dev.drctl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MysqlGtidSetUnionTest {

    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "4f22fb58-82db-22f2-af44-d91bb0530673";

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "                |                  | ''",
            A + ":1-5        |                  | " + A + ":1-5",
            "                | " + A + ":1-5    | " + A + ":1-5",
            A + ":1-5        | " + A + ":6-9    | " + A + ":1-9",
            A + ":1-5        | " + A + ":3-7    | " + A + ":1-7",
            A + ":1-5        | " + A + ":8      | " + A + ":1-5:8",
            A + ":1-5:8      | " + A + ":6-7    | " + A + ":1-8",
            "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5 | " + A + ":2 | " + A + ":1-5",
    })
    void unionMergesIntervalsPerSource(String a, String b, String expected) {
        var union = new DataPosition.MysqlGtidSet(a == null ? "" : a).union(new DataPosition.MysqlGtidSet(b == null ? "" : b));
        assertThat(union.executed()).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void sourcesAreSortedOnePerLineAsTheServerPrintsThem() {
        var union = new DataPosition.MysqlGtidSet(B + ":1-2").union(new DataPosition.MysqlGtidSet(A + ":1-5"));
        assertThat(union.executed()).isEqualTo(A + ":1-5,\n" + B + ":1-2");
    }

    @ParameterizedTest(name = "{0} + {1} is AHEAD of or EQUAL to both")
    @CsvSource(delimiter = '|', value = {
            A + ":1-5 | " + B + ":1-2",
            A + ":1-5 | " + A + ":1-5",
            A + ":1-3 | " + A + ":7-9",
    })
    void unionContainsBothSides(String a, String b) {
        var x = new DataPosition.MysqlGtidSet(a);
        var y = new DataPosition.MysqlGtidSet(b);
        var union = x.union(y);
        assertThat(union.compareWith(x)).isIn(Comparison.AHEAD, Comparison.EQUAL);
        assertThat(union.compareWith(y)).isIn(Comparison.AHEAD, Comparison.EQUAL);
    }
}
