package dev.drctl.promotion.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GtidsTest {
    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    @ParameterizedTest(name = "{0} minus {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            A:1-10          | A:1-10           | ''
            A:1-10          | A:1-5            | A:6-10
            A:1-10          | A:3-4            | A:1-2:5-10
            A:1-10          | ''               | A:1-10
            A:1-10,B:1-3    | A:1-10           | B:1-3
            A:1-5:7-9       | A:1-9            | ''
            A:1-10          | A:1-3:5:8-20     | A:4:6-7
            A:5             | B:1-100          | A:5
            """)
    void mysqlSubtraction(String a, String b, String expected) {
        assertThat(Gtids.mysqlSubtract(expand(a), expand(b))).isEqualTo(expand(expected));
    }

    @ParameterizedTest(name = "{0} lacking from {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0-1-100            | 0-1-100,0-2-110   | ''
            0-1-105            | 0-1-100,0-2-110   | 0-1-101..105
            0-1-101            | 0-1-100           | 0-1-101
            0-1-98             | 0-1-100           | ''
            0-1-100,1-3-7      | 0-1-100           | 1-3-1..7
            ''                 | 0-1-100           | ''
            0-1-100,0-2-120    | 0-2-110,0-1-100   | 0-2-111..120
            """)
    void mariadbMissing(String subject, String reference, String expected) {
        assertThat(Gtids.mariadbMissing(subject, reference)).isEqualTo(expected);
    }

    private static String expand(String s) {
        return s.replace("A", A).replace("B", B);
    }
}
