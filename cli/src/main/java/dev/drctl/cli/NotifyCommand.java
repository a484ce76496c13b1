package dev.drctl.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.drctl.notifiers.Channels;
import dev.drctl.notifiers.Delivery;
import dev.drctl.notifiers.DeliveryPolicy;
import dev.drctl.notifiers.Notifications;
import dev.drctl.notifiers.NotifierErrorCode;
import dev.drctl.notifiers.Outbox;
import dev.drctl.notifiers.OutboxSender;
import dev.drctl.notifiers.Templates;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.ErrorCode;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code drctl notify …}: the notification channels. */
@Command(name = "notify", description = "Notification channels: send a test message over each; deliver the outbox.",
        subcommands = {NotifyCommand.Test.class, NotifyCommand.Flush.class})
final class NotifyCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        err.println("drctl notify: missing subcommand; try 'drctl notify test -c FILE' or 'drctl notify flush -c FILE'.");
        spec.commandLine().usage(err);
        err.flush();
        return ErrorCode.BAD_USAGE;
    }

    /**
     * {@code drctl notify test}: queues a TEST notification through the durable outbox (journaled like any other)
     * and delivers it at once over every configured channel, one attempt each; prints each result. Exit 0 when
     * every channel delivered, 1 otherwise, 2 when no channel is configured.
     */
    @Command(name = "test", description = "Send a test message now over every configured channel (email to each "
            + "audience, each webhook); journaled.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                    "0:every channel delivered",
                    "1:a channel failed",
                    "2:no channel configured, or bad usage or bad config"})
    static final class Test implements Callable<Integer> {
        private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss")
                .withZone(ZoneOffset.UTC);

        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Mixin
        OutputOption output;

        private final Host host;

        Test(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() {
            var cfg = config.load();
            var notifications = cfg.notifications();
            if (notifications.email().isEmpty() && notifications.webhooks().isEmpty()) {
                throw new DrctlException(NotifierErrorCode.NO_CHANNEL, "no notification channel in " + cfg.source()
                        + ": configure notifications.email (with audiences) or notifications.webhooks, then run again");
            }
            if (notifications.email().isPresent() && notifications.audiences().isEmpty() && notifications.webhooks().isEmpty()) {
                throw new DrctlException(NotifierErrorCode.NO_CHANNEL, "notifications.email is configured but "
                        + "notifications.audiences names nobody to write to in " + cfg.source());
            }
            var channels = Channels.configured(notifications, host.environment());
            var now = host.clock().instant();
            var actor = AuditCommand.user(host);
            var incident = "notify-test-" + ID_TIME.format(now);
            java.util.List<OutboxSender.Attempt> attempts;
            try (var store = AuditCommand.open(cfg, host)) {
                var queued = new Outbox(store, notifications, new Templates(), actor, host.clock())
                        .enqueue(new Notifications(cfg.compliance()).test(incident, now, actor.value()));
                var sender = new OutboxSender(store, channels, DeliveryPolicy.defaults(), host.clock(),
                        "notify-test:" + UUID.randomUUID(), actor);
                attempts = sender.deliverNow(queued.messages(), true);
            }
            boolean allDelivered = attempts.stream().allMatch(a -> a.outcome() instanceof Delivery.Delivered);
            var out = spec.commandLine().getOut();
            switch (output.format()) {
                case TABLE -> {
                    for (var a : attempts) {
                        var channel = channels.get(a.channel());
                        var what = (channel == null ? a.channel() : channel.describe())
                                + (a.message().audience().equals(Channels.WEBHOOK_AUDIENCE) ? "" : " to " + a.message().audience());
                        var result = switch (a.outcome()) {
                            case Delivery.Delivered d -> "delivered in " + a.took().toMillis() + " ms"
                                    + d.messageId().map(id -> " (" + id + ")").orElse("");
                            case Delivery.Failed f -> "FAILED: " + f.error();
                        };
                        out.println(what + ": " + result);
                    }
                    out.println(allDelivered ? "all " + attempts.size() + " channel(s) delivered; journaled as " + incident
                            : "not every channel delivered; see above. Journaled as " + incident);
                }
                case JSON -> {
                    var json = JsonMapper.builder().build();
                    var root = json.createObjectNode();
                    root.put("incident", incident);
                    root.put("allDelivered", allDelivered);
                    var list = root.putArray("channels");
                    for (var a : attempts) {
                        var o = list.addObject();
                        var channel = channels.get(a.channel());
                        o.put("channel", a.channel());
                        o.put("describe", channel == null ? a.channel() : channel.describe());
                        o.put("audience", a.message().audience());
                        o.put("tookMillis", a.took().toMillis());
                        switch (a.outcome()) {
                            case Delivery.Delivered d -> {
                                o.put("delivered", true);
                                d.messageId().ifPresent(id -> o.put("messageId", id));
                            }
                            case Delivery.Failed f -> {
                                o.put("delivered", false);
                                o.put("error", f.error());
                            }
                        }
                    }
                    out.println(root.toPrettyString());
                }
            }
            out.flush();
            return allDelivered ? ErrorCode.OK : ErrorCode.OPERATION_FAILED;
        }
    }

    /**
     * {@code drctl notify flush}: one delivery attempt now for every message still in the outbox (undelivered, not
     * given up), whatever its retry time: after a mail server outage, an operator sends what waited without waiting
     * for the daemon. A failure is rescheduled as usual. Exit 0 when everything was delivered (or nothing waited),
     * 1 otherwise.
     */
    @Command(name = "flush", description = "Deliver every undelivered notification now (one attempt each); journaled. "
            + "Exit 0 all delivered, 1 otherwise.")
    static final class Flush implements Callable<Integer> {
        static final int LIMIT = 1000;

        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Mixin
        OutputOption output;

        private final Host host;

        Flush(Host host) {
            this.host = host;
        }

        @Override
        public Integer call() {
            var cfg = config.load();
            var channels = Channels.configured(cfg.notifications(), host.environment());
            var actor = AuditCommand.user(host);
            java.util.List<OutboxSender.Attempt> attempts;
            long left;
            try (var store = AuditCommand.open(cfg, host)) {
                var sender = new OutboxSender(store, channels, DeliveryPolicy.defaults(), host.clock(),
                        "notify-flush:" + UUID.randomUUID(), actor);
                attempts = sender.deliverNow(store.outbox().pending(LIMIT), false);
                left = store.outbox().stats(host.clock().instant()).pending();
            }
            long delivered = attempts.stream().filter(a -> a.outcome() instanceof Delivery.Delivered).count();
            var out = spec.commandLine().getOut();
            switch (output.format()) {
                case TABLE -> {
                    for (var a : attempts) {
                        var m = a.message();
                        var result = switch (a.outcome()) {
                            case Delivery.Delivered d -> "delivered in " + a.took().toMillis() + " ms";
                            case Delivery.Failed f -> (a.gaveUp() ? "GIVEN UP: " : "FAILED (retried later): ") + f.error();
                        };
                        out.println(m.kind() + " " + m.runId().orElse("") + " to " + m.audience() + " by " + m.channel()
                                + ": " + result);
                    }
                    out.println(attempts.isEmpty() ? "nothing waited in the outbox"
                            : delivered + " of " + attempts.size() + " delivered; " + left + " still waiting");
                }
                case JSON -> {
                    var root = JsonMapper.builder().build().createObjectNode();
                    root.put("attempted", attempts.size());
                    root.put("delivered", delivered);
                    root.put("stillWaiting", left);
                    var list = root.putArray("messages");
                    for (var a : attempts) {
                        var o = list.addObject();
                        o.put("id", a.message().id());
                        o.put("kind", a.message().kind());
                        o.put("audience", a.message().audience());
                        o.put("channel", a.message().channel());
                        a.message().runId().ifPresent(r -> o.put("run", r));
                        switch (a.outcome()) {
                            case Delivery.Delivered d -> o.put("delivered", true);
                            case Delivery.Failed f -> {
                                o.put("delivered", false);
                                o.put("error", f.error());
                            }
                        }
                    }
                    out.println(root.toPrettyString());
                }
            }
            out.flush();
            return delivered == attempts.size() ? ErrorCode.OK : ErrorCode.OPERATION_FAILED;
        }
    }
}
