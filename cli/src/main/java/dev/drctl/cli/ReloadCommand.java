package dev.drctl.cli;

import dev.drctl.cli.daemon.DaemonClient;
import dev.drctl.cli.daemon.EndpointErrorCode;
import dev.drctl.topology.ConfigException;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.ErrorCode;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code drctl reload}: validates the config file here first (a broken file is reported with every problem and the
 * daemon is not asked: it keeps its config), then asks the running {@code drctl run} to re-read it through its
 * endpoint ({@code POST /-/reload} at {@code daemon.listen}, with {@code daemon.token}). The daemon validates again,
 * applies it or keeps the old one, and journals either. Same as {@code kill -HUP} on the daemon, from any account
 * that can read the config and its token.
 */
@Command(name = "reload", description = "Make the running daemon re-read its config: applied when valid, else the "
        + "old one stays (journaled either way). Exit 0 applied, 2 refused, 1 no daemon answered.")
final class ReloadCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOption config;
    @Mixin
    OutputOption output;

    private final Host host;

    ReloadCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() throws Exception {
        var file = config.file();
        dev.drctl.topology.DrctlConfig cfg;
        try {
            cfg = dev.drctl.topology.ConfigLoader.load(file);
        } catch (ConfigException e) {
            var err = spec.commandLine().getErr();
            err.println("drctl reload: " + file + " is not valid; the daemon was not asked and keeps its config:");
            e.problems().forEach(p -> err.println("  " + p));
            err.flush();
            return ErrorCode.BAD_USAGE;
        }
        var daemon = cfg.daemon();
        var token = daemon.token().map(t -> t.resolve(host.environment()));
        var base = DaemonClient.base(daemon);
        var answer = DaemonClient.reload(base, token, AuditCommand.user(host).value());
        var out = spec.commandLine().getOut();
        switch (output.format()) {
            case TABLE -> {
                out.println(answer.sentence());
                if (!answer.applied()) {
                    answer.problems().forEach(p -> out.println("  " + p));
                }
            }
            case JSON -> out.println(Json.pretty(answer.body()));
        }
        out.flush();
        if (!answer.applied()) {
            throw new DrctlException(EndpointErrorCode.RELOAD_REFUSED, "the daemon at " + base
                    + " kept its config; fix the problems above and run drctl reload again");
        }
        return ErrorCode.OK;
    }
}
