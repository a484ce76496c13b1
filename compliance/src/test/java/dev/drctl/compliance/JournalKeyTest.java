package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.SecretRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compliance.journal-key is read from its file, checked for length, and never shown. */
class JournalKeyTest {
    @TempDir
    Path dir;

    @Test
    void aKeyFileOfEnoughCharactersIsReadAndNeverPrinted() throws Exception {
        var file = dir.resolve("journal.key");
        Files.writeString(file, "a".repeat(64) + "\n");
        var key = JournalKey.resolve(Optional.of(new SecretRef.File(file))).orElseThrow();
        assertThat(key.toString()).isEqualTo("***");
        assertThat(key.id()).hasSize(16).isNotEqualTo(JournalKey.of("b".repeat(64)).id());
        assertThat(JournalKey.resolve(Optional.empty())).isEmpty();
    }

    @Test
    void aShortKeyIsRefusedWithTheCommandThatMakesAGoodOne() throws Exception {
        var file = dir.resolve("journal.key");
        Files.writeString(file, "hunter2-hunter2");
        assertThatThrownBy(() -> JournalKey.resolve(Optional.of(new SecretRef.File(file))))
                .isInstanceOfSatisfying(DrctlException.class, e -> {
                    assertThat(e.code()).isEqualTo(ComplianceErrorCode.JOURNAL_KEY_INVALID);
                    assertThat(e.code().exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).isEqualTo("compliance.journal-key ${file:" + file + "}: the key is 15 "
                            + "characters, expected at least 32; create one with: openssl rand -hex 32 > " + file);
                });
    }

    @Test
    void aMissingKeyFileIsAClearUsageError() {
        var file = dir.resolve("absent.key");
        assertThatThrownBy(() -> JournalKey.resolve(Optional.of(new SecretRef.File(file))))
                .isInstanceOfSatisfying(DrctlException.class, e -> {
                    assertThat(e.code().exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).startsWith("compliance.journal-key: secret ${file:" + file + "}")
                            .contains("does not exist here");
                });
    }

    @Test
    void anchorsAreReadAsTheDigestPrintsThem() {
        var hash = "ab".repeat(32);
        assertThat(HeadAnchor.parse("42:" + hash)).contains(new HeadAnchor(Optional.of(42L), hash));
        assertThat(HeadAnchor.parse(" #42 " + hash.toUpperCase())).contains(new HeadAnchor(Optional.of(42L), hash));
        assertThat(HeadAnchor.parse(hash)).contains(new HeadAnchor(Optional.empty(), hash));
        assertThat(HeadAnchor.parse("0:" + hash)).isEmpty();
        assertThat(HeadAnchor.parse("42:" + hash.substring(1))).isEmpty();
        assertThat(HeadAnchor.parse("42")).isEmpty();
    }
}
