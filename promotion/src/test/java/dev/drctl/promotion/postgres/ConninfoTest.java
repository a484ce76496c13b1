package dev.drctl.promotion.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConninfoTest {

    @Test
    void parsesWhatTestenvAndPgBasebackupWrite() {
        var c = Conninfo.parse("host=127.0.0.1 port=5433 user=drctl password=s3cret application_name=pg-2 connect_timeout=5");
        assertThat(c.values()).containsExactly(Map.entry("host", "127.0.0.1"), Map.entry("port", "5433"),
                Map.entry("user", "drctl"), Map.entry("password", "s3cret"), Map.entry("application_name", "pg-2"),
                Map.entry("connect_timeout", "5"));
    }

    @Test
    void quotedValuesWithSpacesQuotesAndBackslashesRoundTrip() {
        var c = Conninfo.parse("user = drctl password='it\\'s a \\\\secret' sslmode=prefer");
        assertThat(c.get("password")).contains("it's a \\secret");
        assertThat(Conninfo.parse(c.render())).isEqualTo(c);
    }

    @Test
    void changingTheHostKeepsEverythingElseInOrder() {
        var c = Conninfo.parse("host=old port=5432 user=repl sslmode=require").with("host", "new").with("port", "6000");
        assertThat(c.render()).isEqualTo("host=new port=6000 user=repl sslmode=require");
    }

    @Test
    void theRedactedFormAndToStringNeverShowThePassword() {
        var c = Conninfo.parse("host=h password=hunter2");
        assertThat(c.redacted()).isEqualTo("host=h password=***").doesNotContain("hunter2");
        assertThat(c.toString()).doesNotContain("hunter2");
    }

    @Test
    void emptyIsEmptyAndBrokenInputIsRefused() {
        assertThat(Conninfo.parse("  ").values()).isEmpty();
        assertThat(Conninfo.parse("").render()).isEmpty();
        assertThatThrownBy(() -> Conninfo.parse("host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Conninfo.parse("password='open")).isInstanceOf(IllegalArgumentException.class);
    }
}
