package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.compliance.Actor;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ComplianceSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drctl audit verify|export|purge} against a real SQLite store named by a real config file. */
class AuditCommandTest {
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final String PASSWORD = "Corr3ct-Horse-Battery";

    @TempDir
    Path dir;
    Path config;
    Path db;

    record Run(int exitCode, String out, String err) {
    }

    private Run drctl(String... args) {
        return drctlAs(Map.of(), "asha", args);
    }

    private Run drctlAs(Map<String, String> extraEnv, String osAccount, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var env = new java.util.HashMap<>(Map.of("PAYMENTS_DB_PASSWORD", PASSWORD, "USER", "somebody-else"));
        env.putAll(extraEnv);
        int code = Drctl.commandLine(new Host(Clock.fixed(NOW, ZoneOffset.UTC), env, osAccount))
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void writeConfigAndJournal() throws Exception {
        db = dir.resolve("state/drctl.db");
        config = dir.resolve("drctl.yaml");
        Files.writeString(config, """
                clusters:
                  - name: payments
                    engine: postgresql
                    credentials: { user: drctl, password: "${env:PAYMENTS_DB_PASSWORD}" }
                    nodes:
                      - { name: pg-1, host: 127.0.0.1, port: 5433, region: local }
                      - { name: pg-2, host: 127.0.0.1, port: 5434, region: local }
                compliance:
                  store: "jdbc:sqlite:%s"
                  targets: { rto: 5m, rpo: 0s, drill-every: 90d, notify-within: 2h }
                  retention: 7y
                  time-zone: Asia/Kolkata
                """.formatted(db));
        var spec = new ComplianceSpec("jdbc:sqlite:" + db, ComplianceSpec.Targets.defaults(), Period.ofYears(7),
                ZoneId.of("Asia/Kolkata"));
        try (var store = StateStore.open(spec, Clock.fixed(Instant.parse("2018-03-01T00:00:00Z"), ZoneOffset.UTC), Set.of())) {
            for (int i = 0; i < 3; i++) {
                store.journal().append(JournalDraft.of(Actor.daemon("d1"), JournalKind.DECISION, Map.of("reason", "old " + i))
                        .cluster(new ClusterName("payments")));
            }
        }
        try (var store = StateStore.open(spec, Clock.fixed(Instant.parse("2026-11-01T03:00:00Z"), ZoneOffset.UTC), Set.of())) {
            for (int i = 0; i < 4; i++) {
                store.journal().append(JournalDraft.of(Actor.daemon("d1"), JournalKind.VERDICT_CHANGED,
                        Map.of("summary", "primary pg-1 suspect, probe " + i)).cluster(new ClusterName("payments")));
            }
        }
    }

    @Test
    void verifyExitsZeroWhenIntactAndOneNamingTheEntryWhenEdited() throws Exception {
        var ok = drctl("audit", "verify", "-c", config.toString());
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).startsWith("journal intact: 7 entries from the first, head seq 7, head hash ");

        var json = new ObjectMapper().readTree(drctl("audit", "verify", "-c", config.toString(), "-o", "json").out());
        assertThat(json.path("intact").asBoolean()).isTrue();
        assertThat(json.path("headSeq").asLong()).isEqualTo(7);

        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.executeUpdate("UPDATE journal_entry SET payload = '{\"summary\":\"nothing happened\"}' WHERE seq = 5");
        }
        var broken = drctl("audit", "verify", "-c", config.toString());
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.err()).contains("drctl: journal broken at entry 5 (content edited)");
    }

    @Test
    void expectHeadPassesForTheNotedHeadAndSaysWhatFailedOtherwise() throws Exception {
        var json = new ObjectMapper().readTree(drctl("audit", "verify", "-c", config.toString(), "-o", "json").out());
        var head = json.path("headSeq").asLong() + ":" + json.path("headHash").asText();
        var hash4 = hashOf(4);

        var ok = drctl("audit", "verify", "-c", config.toString(), "--expect-head", "4:" + hash4);
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("it extends the anchored head, entry 4 (in the chain)");
        var file = dir.resolve("anchor.txt");
        Files.writeString(file, head + "\n");
        assertThat(drctl("audit", "verify", "-c", config.toString(), "--expect-head-file", file.toString()).exitCode())
                .isZero();

        var wrong = drctl("audit", "verify", "-c", config.toString(), "--expect-head", "4:" + "0f".repeat(32));
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("drctl: journal broken at entry 4 (anchored head rewritten): entry 4 has hash "
                + hash4.substring(0, 16) + "…, the anchor says 0f0f0f0f0f0f0f0f…");
        var beyond = drctl("audit", "verify", "-c", config.toString(), "--expect-head", "9:" + hash4);
        assertThat(beyond.exitCode()).isEqualTo(1);
        assertThat(beyond.err()).contains("journal ends before the anchored head");

        var malformed = drctl("audit", "verify", "-c", config.toString(), "--expect-head", "4:xyz");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("--expect-head: expected SEQ:HASH");
    }

    @Test
    void aKeyedJournalVerifiesWithItsKeyOnlyAndFailsWhenItsHashesAreReplaced() throws Exception {
        var key = dir.resolve("journal.key");
        Files.writeString(key, "6b".repeat(32) + "\n");
        var keyed = dir.resolve("keyed.yaml");
        Files.writeString(keyed, Files.readString(config).replace("  retention: 7y\n",
                "  retention: 7y\n  journal-key: \"${file:journal.key}\"\n"));
        var spec = new ComplianceSpec("jdbc:sqlite:" + db, ComplianceSpec.Targets.defaults(), Period.ofYears(7),
                ZoneId.of("Asia/Kolkata")).withJournalKey(new dev.drctl.topology.SecretRef.File(key));
        try (var store = StateStore.open(spec, Clock.fixed(NOW, ZoneOffset.UTC), Set.of())) {
            store.journal().append(JournalDraft.of(Actor.daemon("d1"), JournalKind.DECISION, Map.of("reason", "keyed")));
        }

        var ok = drctl("audit", "verify", "-c", keyed.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("9 entries").contains("keyed from entry 8 (HMACs checked");

        var withoutKey = drctl("audit", "verify", "-c", config.toString());
        assertThat(withoutKey.exitCode()).isEqualTo(2);
        assertThat(withoutKey.err()).contains("drctl: journal not verified: entries 8..9 are keyed (HMAC) and this "
                + "config has no compliance.journal-key");
        assertThat(withoutKey.out()).isEmpty();

        Files.writeString(key, "short\n");
        var shortKey = drctl("audit", "verify", "-c", keyed.toString());
        assertThat(shortKey.exitCode()).isEqualTo(2);
        assertThat(shortKey.err()).contains("the key is 5 characters, expected at least 32").doesNotContain("short\n");
        Files.writeString(key, "6b".repeat(32) + "\n");

        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.executeUpdate("UPDATE journal_entry SET chain_key = NULL");
        }
        var rewritten = drctl("audit", "verify", "-c", keyed.toString());
        assertThat(rewritten.exitCode()).isEqualTo(1);
        assertThat(rewritten.err()).contains("drctl: journal broken at entry 8");
    }

    @Test
    void aChainRewrittenFromTheFirstEntryPassesPlainVerifyButFailsAgainstTheAnchoredHead() throws Exception {
        var anchored = "5:" + hashOf(5);
        rewriteFromFirstEntry();
        var plain = drctl("audit", "verify", "-c", config.toString());
        assertThat(plain.exitCode()).as("recomputed plain hashes fool a verify without an anchor or a key").isZero();

        var anchoredRun = drctl("audit", "verify", "-c", config.toString(), "--expect-head", anchored);
        assertThat(anchoredRun.exitCode()).isEqualTo(1);
        assertThat(anchoredRun.err()).contains("drctl: journal broken at entry 5 (anchored head rewritten): entry 5 has "
                + "hash " + hashOf(5).substring(0, 16) + "…, the anchor says " + anchored.substring(2, 18) + "…: the "
                + "journal was rewritten at or before entry 5");
        var json = new ObjectMapper().readTree(drctl("audit", "verify", "-c", config.toString(), "--expect-head", anchored,
                "-o", "json").out());
        assertThat(json.path("intact").asBoolean()).isFalse();
        assertThat(json.path("breach").asText()).isEqualTo("ANCHOR_DIFFERS");
    }

    /** A store administrator's rewrite: entry 1's actor changed, every hash recomputed as drctl computes plain ones. */
    private void rewriteFromFirstEntry() throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.setAutoCommit(false);
            var rows = new java.util.ArrayList<String[]>();
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT seq, at, cluster, node, actor, kind, run_id, "
                    + "epoch, payload FROM journal_entry ORDER BY seq")) {
                while (rs.next()) {
                    var row = new String[9];
                    for (int i = 0; i < 9; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    rows.add(row);
                }
            }
            var prev = "0".repeat(64);
            for (var r : rows) {
                if (r[0].equals("1")) {
                    r[4] = "user:mallory";
                }
                var text = new StringBuilder("drctl-journal-v1\n");
                for (var field : new String[] {r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], prev}) {
                    text.append(field == null ? "-\n" : field.length() + ":" + field + "\n");
                }
                var hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                try (var up = c.prepareStatement("UPDATE journal_entry SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?")) {
                    up.setString(1, r[4]);
                    up.setString(2, prev);
                    up.setString(3, hash);
                    up.setLong(4, Long.parseLong(r[0]));
                    up.executeUpdate();
                }
                prev = hash;
            }
            try (var up = c.prepareStatement("UPDATE journal_head SET hash = ? WHERE id = 1")) {
                up.setString(1, prev);
                up.executeUpdate();
            }
            c.commit();
        }
    }

    private String hashOf(long seq) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement();
             var rs = st.executeQuery("SELECT hash FROM journal_entry WHERE seq = " + seq)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void exportsCsvToStdoutAndHtmlToAFile() throws Exception {
        var csv = drctl("audit", "export", "-c", config.toString(), "--from", "2026-11-01", "--to", "2026-11-30",
                "--format", "csv");
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        assertThat(csv.out().split("\r\n")).hasSize(5);
        assertThat(csv.out()).startsWith("seq,time_utc,");

        var json = new ObjectMapper().readTree(drctl("audit", "export", "-c", config.toString(), "--from", "2018-01-01",
                "--to", "2026-11-30", "--format", "json", "--cluster", "payments").out());
        assertThat(json.path("entries")).hasSize(7);

        var report = dir.resolve("reports/november.html");
        var html = drctl("audit", "export", "-c", config.toString(), "--from", "2026-11-01", "--to", "2026-11-30",
                "--format", "html", "-o", report.toString());
        assertThat(html.exitCode()).as(html.err()).isZero();
        assertThat(Files.readString(report)).startsWith("<!DOCTYPE html>").contains("data-intact=\"true\"")
                .contains("primary pg-1 suspect, probe 3").doesNotContain(PASSWORD);

        var noPath = drctl("audit", "export", "-c", config.toString(), "--from", "2026-11-01", "--to", "2026-11-30",
                "--format", "html");
        assertThat(noPath.exitCode()).isEqualTo(2);
        assertThat(noPath.err()).contains("--format html writes a report file: add -o PATH");

        var unknown = drctl("audit", "export", "-c", config.toString(), "--from", "2026-11-01", "--to", "2026-11-30",
                "--format", "csv", "--cluster", "ledger");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no cluster named 'ledger' in ");

        var badDate = drctl("audit", "export", "-c", config.toString(), "--from", "1 Nov", "--to", "2026-11-30",
                "--format", "csv");
        assertThat(badDate.exitCode()).isEqualTo(2);
        assertThat(badDate.err()).contains("--from '1 Nov' is neither a date");
    }

    @Test
    void exportDefaultsToTheLast90DaysReadsTodayAndYesterdayAndTakesTheFormatFromTheFileName() throws Exception {
        // NOW is 2026-11-22 in Asia/Kolkata: the 4 entries of 2026-11-01 are inside the last 90 days, the 2018 ones not
        var defaults = drctl("audit", "export", "-c", config.toString());
        assertThat(defaults.exitCode()).as(defaults.err()).isZero();
        assertThat(defaults.out()).as("csv on standard output by default").startsWith("seq,time_utc,");
        assertThat(defaults.out().split("\r\n")).hasSize(1 + 4);

        var today = drctl("audit", "export", "-c", config.toString(), "--from", "today");
        assertThat(today.exitCode()).as(today.err()).isZero();
        assertThat(today.out().split("\r\n")).as("header only: nothing was journaled today").hasSize(1);
        var yesterday = drctl("audit", "export", "-c", config.toString(), "--from", "yesterday", "--to", "Today");
        assertThat(yesterday.exitCode()).as(yesterday.err()).isZero();
        var backwards = drctl("audit", "export", "-c", config.toString(), "--from", "today", "--to", "yesterday");
        assertThat(backwards.exitCode()).isEqualTo(2);
        assertThat(backwards.err()).contains("--to yesterday is not after --from today");

        var jsonFile = dir.resolve("out/journal.json");
        var json = drctl("audit", "export", "-c", config.toString(), "-o", jsonFile.toString());
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(new ObjectMapper().readTree(Files.readString(jsonFile)).path("entries")).hasSize(4);
        var htmlFile = dir.resolve("out/report.html");
        assertThat(drctl("audit", "export", "-c", config.toString(), "-o", htmlFile.toString()).exitCode()).isZero();
        assertThat(Files.readString(htmlFile)).startsWith("<!DOCTYPE html>");
        var unclear = drctl("audit", "export", "-c", config.toString(), "-o", dir.resolve("out/report.txt").toString());
        assertThat(unclear.exitCode()).isEqualTo(2);
        assertThat(unclear.err()).contains("add --format csv, json or html");
    }

    @Test
    void aManualCommandIsJournaledAsTheOsAccountOrTheNamedOperatorNeverAsUserVariable() throws Exception {
        var purged = drctlAs(Map.of(), "svc-drctl", "audit", "purge", "-c", config.toString(), "--before", "2018-06-01");
        assertThat(purged.exitCode()).as(purged.err()).isZero();
        var named = drctlAs(Map.of("DRCTL_OPERATOR", "Asha Rao"), "root", "audit", "purge", "-c", config.toString(),
                "--before", "2018-06-01");
        assertThat(named.exitCode()).as(named.err()).isZero();
        var entries = new ObjectMapper().readTree(drctl("audit", "export", "-c", config.toString(), "--from",
                "2018-01-01", "--format", "json").out()).path("entries");
        var actors = new java.util.ArrayList<String>();
        entries.forEach(e -> {
            if (e.path("kind").asText().equals("PURGE_CHECKPOINT")) {
                actors.add(e.path("actor").asText());
            }
        });
        assertThat(actors).containsExactly("user:svc-drctl");
        assertThat(AuditCommand.user(new Host(Clock.systemUTC(), Map.of("DRCTL_OPERATOR", " Asha Rao "), "root")).value())
                .isEqualTo("user:Asha Rao");
        assertThat(AuditCommand.user(new Host(Clock.systemUTC(), Map.of("USER", "mallory"), "root")).value())
                .isEqualTo("user:root");
        var operator = new OperatorOption();
        operator.name = "Dev Patel";
        assertThat(AuditCommand.user(operator.apply(new Host(Clock.systemUTC(), Map.of(), "root"))).value())
                .isEqualTo("user:Dev Patel");
        assertThat(new Host(Clock.systemUTC(), Map.of()).osAccount())
                .isEqualTo(ProcessHandle.current().info().user().orElseThrow());
    }

    @Test
    void purgeIsRefusedInsideRetentionAndKeepsTheChainVerifiable() {
        var refused = drctl("audit", "purge", "-c", config.toString(), "--before", "2024-01-01");
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.err()).contains("purge refused").contains("use --before 2019-11-22 or earlier")
                .contains("inside the retention period of 7y; only entries written before 2019-11-22T10:00:00Z may be "
                        + "purged");

        var purged = drctl("audit", "purge", "-c", config.toString(), "--before", "2019-01-01");
        assertThat(purged.exitCode()).as(purged.err()).isZero();
        assertThat(purged.out()).startsWith("purged 3 entries (seq 1..3)");

        var verify = drctl("audit", "verify", "-c", config.toString());
        assertThat(verify.exitCode()).isZero();
        assertThat(verify.out()).contains("5 entries after the purge checkpoint at seq 3");

        var again = drctl("audit", "purge", "-c", config.toString(), "--before", "2019-01-01", "-o", "json");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("\"outcome\" : \"nothing_to_purge\"").contains("\"purged\" : 0");
    }

    @Test
    void auditWithoutASubcommandIsAUsageError() {
        var run = drctl("audit");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("missing subcommand");
    }
}
