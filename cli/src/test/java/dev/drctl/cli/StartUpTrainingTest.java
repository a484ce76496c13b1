package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The start-up cache's training run gets as far as the probes (a config error would end both status runs with exit 2
 * before anything worth caching is loaded), and logs in to its PostgreSQL stand-in (else the probes would say so).
 */
class StartUpTrainingTest {
    @Test
    void everyTrainingCommandRunsThroughToItsAnswer() throws Exception {
        assertThat(StartUpTraining.train()).containsExactly(0, 0, 1, 1);
    }

    @Test
    void theVersionCacheIsTrainedOnAVersionThatPrints() {
        assertThat(StartUpTraining.trainVersion()).isZero();
    }

    @Test
    void theStandInAcceptsTheProbesLoginAndRefusesItsQueries() throws Exception {
        try (var postgres = new TrainingPostgres("pw");
             var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port()
                     + "/postgres?connectTimeout=5&socketTimeout=5", "drctl", "pw")) {
            assertThat(c.isValid(2)).as("an empty statement, a connection check").isTrue();
            try (var st = c.createStatement()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> st.executeQuery("SELECT pg_is_in_recovery()"))
                        .hasMessageContaining("no queries are answered here");
            }
            assertThat(c.isValid(2)).isTrue();
        }
    }
}
