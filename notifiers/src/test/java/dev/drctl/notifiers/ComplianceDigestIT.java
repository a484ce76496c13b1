package dev.drctl.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.HeadAnchor;
import dev.drctl.compliance.JournalDraft;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.JournalQuery;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.compliance.Verification;
import dev.drctl.notifiers.email.EmailNotifier;
import jakarta.mail.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daily compliance digest goes through the durable outbox to the compliance audience (GreenMail), carries the
 * journal head as SEQ:HASH, and that head is what {@code audit verify --expect-head} later proves the journal extends.
 */
class ComplianceDigestIT {
    /** 00:10 on 2026-11-23 in Asia/Kolkata (the fixtures' zone): just after the default digest time, 00:05. */
    static final Instant AFTER_DIGEST_TIME = Instant.parse("2026-11-22T18:40:00Z");

    private Smtp smtp;
    private SettableClock clock;
    private StateStore store;
    private Outbox outbox;
    private OutboxSender sender;
    private ComplianceDigest digest;

    @BeforeEach
    void setUp() {
        smtp = new Smtp(Fixtures.freePort()).start();
        Path dir = Fixtures.tempDir();
        clock = new SettableClock(Fixtures.T0);
        store = Fixtures.store(dir, clock);
        var spec = Fixtures.emailOnly(smtp.port());
        outbox = new Outbox(store, spec, new Templates(), Actor.daemon("drctl-1"), clock);
        var email = new EmailNotifier(spec.email().orElseThrow(), Fixtures.ENV, EmailNotifier.Timeouts.defaults());
        sender = new OutboxSender(store, Map.of(Channels.EMAIL, email), DeliveryPolicy.defaults(), clock, "daemon-1",
                Actor.daemon("drctl-1"));
        digest = new ComplianceDigest(Fixtures.compliance(dir), List.of(Fixtures.PAYMENTS), Actor.daemon("drctl-1"));
    }

    @AfterEach
    void tearDown() {
        store.close();
        smtp.close();
    }

    @Test
    void theDigestReachesComplianceWithTheHeadThatVerifyLaterProves() throws Exception {
        var drill = RunRecord.started("drill-1", RunKind.DRILL, Fixtures.PAYMENTS, Actor.daemon("drctl-1"), Fixtures.T0)
                .withDrill("payments-quarterly").withStatus(RunStatus.SUCCEEDED, "drill passed");
        store.journal().append(JournalDraft.of(Actor.daemon("drctl-1"), JournalKind.DRILL_RESULT, drill.toJson())
                .cluster(Fixtures.PAYMENTS).run("drill-1"));
        for (int i = 0; i < 3; i++) {
            store.journal().append(JournalDraft.of(Actor.daemon("drctl-1"), JournalKind.DECISION, Map.of("reason", "r" + i)));
        }

        clock.set(AFTER_DIGEST_TIME.minus(Duration.ofMinutes(6)));
        assertThat(digest.sendIfDue(store, outbox, clock.instant())).as("before 00:05 local").isEmpty();

        clock.set(AFTER_DIGEST_TIME);
        var sent = digest.sendIfDue(store, outbox, clock.instant()).orElseThrow();
        assertThat(sent.day()).isEqualTo(LocalDate.parse("2026-11-23"));
        assertThat(sent.messages()).isEqualTo(1);
        assertThat(digest.sendIfDue(store, outbox, clock.instant())).as("once a day").isEmpty();

        var attempts = sender.drainOnce(clock.instant());
        assertThat(attempts).hasSize(1).allMatch(a -> a.outcome() instanceof Delivery.Delivered);
        var mail = smtp.received();
        assertThat(mail).hasSize(1);
        assertThat(mail.getFirst().getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
                .containsExactly("risk@example.com");
        assertThat(mail.getFirst().getSubject()).isEqualTo("[drctl] daily compliance digest, 2026-11-23");
        EmailDeliveryIT.assertMultipartAlternative(mail.getFirst());
        var text = EmailDeliveryIT.text(mail.getFirst());
        var head = sent.anchor().seq() + ":" + sent.anchor().hash();
        assertThat(text).contains("Journal head to note: " + head,
                "drctl audit verify -c CONFIG --expect-head " + head,
                "Journal entries since the last digest: 4 (first digest)",
                "Last successful drill, payments: 2026-11-22 02:14:05 UTC",
                "Outbox backlog: 0 pending, 0 given up",
                "Journal keyed: no");
        assertThat(mail.getFirst().getHeader("X-Drctl-Journal")[0])
                .isEqualTo("#" + sent.anchor().seq() + " " + sent.anchor().hash());

        // the head in the mail is what audit verify --expect-head proves, also after more entries
        store.journal().append(JournalDraft.of(Actor.daemon("drctl-1"), JournalKind.DECISION, Map.of("reason", "later")));
        var anchor = HeadAnchor.parse(head).orElseThrow();
        assertThat(store.verifier().verify(Optional.of(anchor))).isInstanceOfSatisfying(Verification.Intact.class,
                ok -> assertThat(ok.anchor()).hasValueSatisfying(a -> assertThat(a.seq()).isEqualTo(sent.anchor().seq())));

        // the next day's digest counts the entries since this one
        clock.set(AFTER_DIGEST_TIME.plus(Duration.ofDays(1)));
        var next = digest.sendIfDue(store, outbox, clock.instant()).orElseThrow();
        assertThat(next.day()).isEqualTo(LocalDate.parse("2026-11-24"));
        var entry = store.journal().latest(JournalKind.COMPLIANCE_DIGEST).orElseThrow();
        assertThat(entry.payloadTree().path("entriesSince").asLong()).as("its NOTIFICATION_QUEUED, its delivery, one more")
                .isEqualTo(3);
        assertThat(store.journal().entries(JournalQuery.all().run("compliance-digest-2026-11-24"))).extracting(e -> e.kind())
                .containsExactly(JournalKind.COMPLIANCE_DIGEST, JournalKind.NOTIFICATION_QUEUED);
        assertThat(store.verifier().verify()).isInstanceOf(Verification.Intact.class);
    }

    @Test
    void twoDaemonsOnOneStoreSendOneDigest() {
        clock.set(AFTER_DIGEST_TIME);
        var other = new Outbox(store, Fixtures.emailOnly(smtp.port()), new Templates(), Actor.daemon("drctl-2"), clock);
        var first = digest.sendIfDue(store, outbox, clock.instant());
        assertThat(first).isPresent();
        // the second daemon decided before the first committed: the dedup key stops it
        var dup = other.enqueue(new Notifications(Fixtures.compliance(Path.of("/tmp"))).complianceDigest(
                new ComplianceDigest.Facts(LocalDate.parse("2026-11-23"), clock.instant(), Optional.empty(), 0, List.of(),
                        Map.of(), 0, 0, Optional.empty(), Optional.empty())));
        assertThat(dup.duplicate()).isTrue();
        assertThat(store.outbox().stats(clock.instant()).pending()).isEqualTo(1);
        assertThat(store.journal().entries(JournalQuery.all().kinds(Set.of(JournalKind.COMPLIANCE_DIGEST)))).hasSize(1);
    }
}
