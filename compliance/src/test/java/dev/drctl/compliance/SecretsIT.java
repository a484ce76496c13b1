package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.topology.DrctlException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A password from the config (an env secret) appears in no journal entry and no export. */
class SecretsIT {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theConfiguredPasswordIsInNoEntryAndNoExport(StoreKind kind) throws Exception {
        var clock = new SettableClock(Scenario.NOW);
        try (var fresh = TestStore.fresh(kind)) {
            var config = Scenario.config(fresh.url());
            var secrets = ConfiguredSecrets.resolvable(config, Scenario.environment());
            assertThat(secrets).containsExactly(Scenario.PASSWORD);
            try (var store = fresh.open(clock, secrets)) {
                // the whole config, credentials included, is journaled: the SecretRef is written as ***
                Scenario.write(store, clock, config);
                var loaded = store.journal().entries(JournalQuery.all().kinds(java.util.Set.of(JournalKind.CONFIG_LOADED)));
                assertThat(loaded).singleElement().satisfies(e -> assertThat(e.payload()).contains("\"password\":\"***\""));

                // a payload carrying the resolved value is refused, and nothing is written
                long before = store.journal().entries(JournalQuery.all()).size();
                assertThatThrownBy(() -> store.journal().append(JournalDraft.of(Actor.daemon("d"), JournalKind.STEP_OUTCOME,
                        Map.of("detail", "connected with password " + Scenario.PASSWORD))))
                        .isInstanceOfSatisfying(DrctlException.class,
                                e -> assertThat(e.code()).isEqualTo(ComplianceErrorCode.SECRET_IN_JOURNAL))
                        .hasMessageNotContaining(Scenario.PASSWORD);
                assertThat(store.journal().entries(JournalQuery.all())).hasSize((int) before);

                try (var c = fresh.raw(); var st = c.createStatement();
                     var rs = st.executeQuery("SELECT * FROM journal_entry")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            assertThat(String.valueOf(rs.getString(i))).doesNotContain(Scenario.PASSWORD);
                        }
                    }
                }
                var export = new AuditExport(store, config.compliance(), java.util.List.of(Scenario.PAYMENTS), clock);
                var period = new ReportPeriod(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
                for (var format : ExportFormat.values()) {
                    var out = new StringWriter();
                    export.write(format, period, Optional.empty(), out);
                    assertThat(out.toString()).as(format.name()).contains("payments").doesNotContain(Scenario.PASSWORD);
                }
            }
        }
    }
}
