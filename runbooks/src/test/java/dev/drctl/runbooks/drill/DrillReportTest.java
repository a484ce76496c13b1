package dev.drctl.runbooks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrillSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrillReportTest {
    static final Instant T = DrillJudgeTest.T;

    static DrillResult result() {
        var drill = new DrillSpec("payments-<weekly>", new ClusterName("payments"), Optional.empty(),
                DrillSpec.Environment.LOCAL, DrillSpec.Failure.KILL_PRIMARY);
        var seen = DrillJudgeTest.seen(List.of(DrillJudgeTest.promoted(RunStatus.SUCCEEDED)), 0, DrillJudgeTest.FIRST,
                List.of(), Optional.empty());
        var verdict = DrillJudge.judge(Expectation.PROMOTED, seen, DrillJudgeTest.TARGETS);
        var record = RunRecord.started("drill-1", RunKind.DRILL, new ClusterName("payments"), new Actor("user:alice"),
                T.minusSeconds(30)).withDrill(drill.name()).withStatus(RunStatus.SUCCEEDED, verdict.summary());
        return new DrillResult(drill, record, "local: 3 postgresql servers", verdict, seen, List.of(
                new DrillResult.Event("environment up", T.minusSeconds(20)),
                new DrillResult.Event("failure injected", T),
                new DrillResult.Event("promoted pg-2", T.plusSeconds(4)),
                new DrillResult.Event("first write on pg-2", T.plusMillis(4500))), 120, 8, List.of());
    }

    @Test
    void theJsonCarriesTheFiguresAndTheSplitFromTheInjection() {
        var j = DrillReport.json(result(), DrillJudgeTest.TARGETS);
        assertThat(j.path("passed").asBoolean()).isTrue();
        assertThat(j.path("rtoMillis").asLong()).isEqualTo(4500);
        assertThat(j.path("rpoMillis").asLong()).isZero();
        assertThat(j.at("/split/detectionMillis").asLong()).isEqualTo(100);
        assertThat(j.at("/split/promotionMillis").asLong()).isEqualTo(4000);
        assertThat(j.at("/split/dnsMillis").asLong()).isEqualTo(4200);
        assertThat(j.path("timeline")).hasSize(4);
        assertThat(j.at("/timeline/0/sinceInjectionMillis").asLong()).isEqualTo(-20_000);
    }

    @Test
    void theHtmlDrawsEveryEventOnTheTimelineAndEscapesNames() {
        var html = DrillReport.html(result(), DrillJudgeTest.TARGETS);
        assertThat(html).contains("<svg", "id=\"verdict\">passed<", "payments-&lt;weekly&gt;")
                .doesNotContain("payments-<weekly>");
        assertThat(html.split("<circle class=\"event\"", -1)).hasSize(5);
        assertThat(html).contains("promoted pg-2 (+4.0 s)", "environment up (-20.0 s)");
    }
}
