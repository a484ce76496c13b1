package dev.drctl.cli;

import java.util.List;
import java.util.Map;

/**
 * The examples under each command's usage, by the command's qualified name. Kept in one table rather than in each
 * command's annotation so that they read as one voice and a test can check that no command lacks them.
 */
final class UsageExamples {
    private UsageExamples() {
    }

    private static final Map<String, List<String>> EXAMPLES = Map.ofEntries(
            Map.entry("drctl", List.of(
                    "drctl status                       # verdict and topology",
                    "drctl candidates payments          # who would be promoted, and why",
                    "drctl failover payments --dry-run  # the plan, changing nothing",
                    "drctl help failover                # help on one command",
                    "source <(drctl completion)         # tab completion (bash, zsh)")),
            Map.entry("drctl status", List.of(
                    "drctl status",
                    "drctl status -c /etc/drctl/drctl.yaml -o json",
                    "drctl status --watch 5             # refresh every 5 s until Ctrl-C")),
            Map.entry("drctl candidates", List.of(
                    "drctl candidates payments",
                    "drctl candidates payments -o json")),
            Map.entry("drctl failover", List.of(
                    "drctl failover payments --dry-run  # look first: the replica and why",
                    "drctl failover payments            # asks first on a terminal",
                    "drctl failover payments --to pg-mum-2 --yes",
                    "drctl failover payments --accept-data-loss  # losing writes accepted")),
            Map.entry("drctl switchover", List.of(
                    "drctl switchover payments --dry-run",
                    "drctl switchover payments --to pg-mum-2",
                    "drctl switchover payments --yes -o json")),
            Map.entry("drctl rejoin", List.of(
                    "drctl rejoin payments pg-mum-1     # old primary follows the new one",
                    "drctl rejoin payments pg-mum-1 --yes")),
            Map.entry("drctl fence", List.of(
                    "drctl fence payments pg-mum-1")),
            Map.entry("drctl maintenance", List.of(
                    "drctl maintenance on payments --reason \"kernel upgrade, CHG-4411\"",
                    "drctl maintenance off payments")),
            Map.entry("drctl maintenance on", List.of(
                    "drctl maintenance on payments --reason \"kernel upgrade, CHG-4411\"",
                    "drctl maintenance on payments --reason \"disk swap\" --operator alice -o json")),
            Map.entry("drctl maintenance off", List.of(
                    "drctl maintenance off payments",
                    "drctl maintenance off payments --reason \"upgrade done\" -o json")),
            Map.entry("drctl ack", List.of(
                    "drctl ack payments --reason \"INC-7: new primary checked\"",
                    "drctl ack payments -o json")),
            Map.entry("drctl audit", List.of(
                    "drctl audit verify",
                    "drctl audit export --from 2026-10-01 --to 2026-12-31 --format html -o r.html")),
            Map.entry("drctl audit export", List.of(
                    "drctl audit export --from 2026-10-01 --to 2026-12-31 --format html -o r.html",
                    "drctl audit export --from 2026-11-01 --to 2026-11-30 --format csv > nov.csv")),
            Map.entry("drctl audit verify", List.of(
                    "drctl audit verify",
                    "drctl audit verify --expect-head 1042:3f2a9c…  (the head from a compliance digest)",
                    "drctl audit verify -o json")),
            Map.entry("drctl audit purge", List.of(
                    "drctl audit purge --before 2019-01-01",
                    "drctl audit purge --before 2019-01-01 -o json")),
            Map.entry("drctl dns", List.of(
                    "drctl dns show payments",
                    "drctl dns sync payments --dry-run")),
            Map.entry("drctl dns show", List.of(
                    "drctl dns show payments",
                    "drctl dns show payments -o json")),
            Map.entry("drctl dns sync", List.of(
                    "drctl dns sync payments --dry-run",
                    "drctl dns sync payments --timeout PT5M")),
            Map.entry("drctl reload", List.of(
                    "drctl reload -c /etc/drctl/drctl.yaml  # same as systemctl reload drctl",
                    "drctl reload -o json")),
            Map.entry("drctl notify", List.of(
                    "drctl notify test",
                    "drctl notify flush")),
            Map.entry("drctl notify test", List.of(
                    "drctl notify test",
                    "drctl notify test -o json")),
            Map.entry("drctl notify flush", List.of(
                    "drctl notify flush",
                    "drctl notify flush -o json")),
            Map.entry("drctl testenv", List.of(
                    "drctl testenv up --engine postgresql --replicas 2",
                    "drctl testenv down")),
            Map.entry("drctl testenv up", List.of(
                    "drctl testenv up --engine postgresql --replicas 2",
                    "drctl testenv up --engine mariadb --regions r1,r1,r2 --dir /tmp/maria",
                    "drctl testenv up --engine postgresql --sync")),
            Map.entry("drctl testenv down", List.of(
                    "drctl testenv down",
                    "drctl testenv down --dir /tmp/maria")),
            Map.entry("drctl testenv status", List.of(
                    "drctl testenv status",
                    "drctl testenv status -o json")),
            Map.entry("drctl testenv kill", List.of(
                    "drctl testenv kill pg-1            # SIGKILL, as a crash would")),
            Map.entry("drctl testenv stop", List.of(
                    "drctl testenv stop pg-2")),
            Map.entry("drctl testenv start", List.of(
                    "drctl testenv start pg-1")),
            Map.entry("drctl config", List.of(
                    "drctl config check -c drctl.yaml")),
            Map.entry("drctl config check", List.of(
                    "drctl config check -c drctl.yaml",
                    "drctl config check -o json")),
            Map.entry("drctl help", List.of(
                    "drctl help failover",
                    "drctl help testenv up")),
            Map.entry("drctl completion", List.of(
                    "source <(drctl completion)                       # bash, this shell",
                    "drctl completion > /etc/bash_completion.d/drctl  # bash, for good",
                    "autoload -U +X bashcompinit && bashcompinit      # zsh: first this,",
                    "source <(drctl completion)                       # then this")),
            Map.entry("drctl run", List.of(
                    "drctl run -c /etc/drctl/drctl.yaml")),
            Map.entry("drctl drill", List.of(
                    "drctl drill list",
                    "drctl drill run payments-quarterly -c /etc/drctl/drctl.yaml",
                    "drctl drill report payments-quarterly --html drill.html")),
            Map.entry("drctl drill run", List.of(
                    "drctl drill run payments-quarterly            # exit 0 passed, 1 failed",
                    "drctl drill run payments-quarterly -o json    # the report as JSON on stdout",
                    "drctl drill run payments-quarterly --report-dir /var/lib/drctl/drills")),
            Map.entry("drctl drill list", List.of(
                    "drctl drill list",
                    "drctl drill list -o json")),
            Map.entry("drctl drill report", List.of(
                    "drctl drill report payments-quarterly",
                    "drctl drill report payments-quarterly --html /tmp/drill.html",
                    "drctl drill report payments-quarterly -o json")),
            Map.entry("drctl demo", List.of(
                    "drctl demo",
                    "drctl demo --engine mariadb",
                    "drctl demo --policy fast -o json")));

    /** The examples for a command, e.g. {@code "drctl audit export"}; empty for a command without any. */
    static List<String> of(String qualifiedName) {
        return EXAMPLES.getOrDefault(qualifiedName, List.of());
    }
}
