package dev.drctl.notifiers;

import dev.drctl.compliance.Actor;
import dev.drctl.notifiers.email.EmailNotifier;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Run in a child JVM by {@link SenderCrashIT}: a sender whose email channel, once the SMTP server has accepted
 * a message, prints {@code SENT <outbox id>} and never returns, so the parent can SIGKILL it between the send
 * and the outbox update. Arguments: store directory, SMTP port.
 */
public final class CrashingSender {
    private CrashingSender() {
    }

    public static void main(String[] args) {
        var dir = Path.of(args[0]);
        var port = Integer.parseInt(args[1]);
        var clock = Clock.systemUTC();
        var store = Fixtures.store(dir, clock);
        var email = new EmailNotifier(Fixtures.email(port), Fixtures.ENV, EmailNotifier.Timeouts.defaults());
        Notifier stuckAfterSend = new Notifier() {
            @Override
            public Delivery deliver(OutboundMessage message) {
                var outcome = email.deliver(message);
                System.out.println("SENT " + message.id() + " " + outcome.getClass().getSimpleName());
                System.out.flush();
                while (true) {
                    LockSupport.park();
                }
            }

            @Override
            public String describe() {
                return email.describe();
            }
        };
        var sender = new OutboxSender(store, Map.of(Channels.EMAIL, stuckAfterSend), DeliveryPolicy.defaults(), clock,
                "daemon-1", Actor.daemon("drctl-1"));
        System.out.println("READY");
        System.out.flush();
        sender.drainOnce(clock.instant());
    }
}
