package dev.drctl.dns;

import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.DnsSpec.RecordType;
import dev.drctl.topology.NodeSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.InitialDirContext;

/**
 * Runs the operator's command to change the record — for PowerDNS, Consul, a load balancer's API, anything
 * drctl has no provider for. The command runs through {@code /bin/sh -c} with the process environment plus:
 * <pre>
 * DRCTL_CLUSTER DRCTL_RECORD DRCTL_RECORD_TYPE DRCTL_TTL DRCTL_RECORD_VALUES (comma-separated)
 * DRCTL_EPOCH DRCTL_RUN_ID DRCTL_COMMENT DRCTL_ROLE (writer|reader)
 * DRCTL_NEW_PRIMARY DRCTL_NEW_PRIMARY_HOST DRCTL_NEW_PRIMARY_PORT   (writer changes only)
 * </pre>
 * Its contract: exit 0 only once the change is live (that exit is the confirmation drctl records); any other
 * exit is a failure whose stderr tail goes into the outcome. It is killed when the change's deadline passes.
 *
 * <p>Reading never runs the command (a command written only to change a record must not be run to look at
 * one): the record is read from DNS through the system's resolvers, which is what clients see.
 */
public final class ExecDnsProvider extends RecordDnsProvider {
    private static final int STDERR_TAIL = 2000;

    private final String command;
    private final Map<String, String> environment;

    /** @param environment the environment the command inherits (the process environment in production) */
    public ExecDnsProvider(DnsSpec spec, Map<String, String> environment, HostResolver resolver, Clock clock) {
        super(spec, new RecordValues(resolver, false), clock);
        this.command = spec.command().filter(c -> !c.isBlank()).orElseThrow(() -> new DnsException(
                DnsErrorCode.BAD_DNS_CONFIG, "dns provider exec needs 'command: …' (run with /bin/sh -c) for "
                + spec.record()));
        this.environment = Map.copyOf(environment);
    }

    @Override
    protected Optional<WriterRecord> read(String name, RecordType type) {
        var env = new Hashtable<String, String>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", "dns:");
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        try {
            var ctx = new InitialDirContext(env);
            try {
                var attr = ctx.getAttributes(name, new String[]{type.name()}).get(type.name());
                if (attr == null || attr.size() == 0) {
                    return Optional.empty();
                }
                var values = new ArrayList<String>();
                for (int i = 0; i < attr.size(); i++) {
                    values.add(String.valueOf(attr.get(i)));
                }
                // DNS answers carry the remaining cache TTL, not the configured one: compare on values.
                return Optional.of(new WriterRecord(name, type, spec.ttl(), values));
            } finally {
                ctx.close();
            }
        } catch (NameNotFoundException e) {
            return Optional.empty();
        } catch (NamingException e) {
            throw new DnsException(DnsErrorCode.READ_FAILED, "cannot look up " + name + " " + type + " in DNS: "
                    + e.getExplanation() + "; check the resolvers in /etc/resolv.conf", e);
        }
    }

    @Override
    protected DnsChangeOutcome write(WriterRecord desired, ChangeOrigin origin, Optional<NodeSpec> primary,
                                     Deadline deadline) {
        var pb = new ProcessBuilder("/bin/sh", "-c", command);
        var env = pb.environment();
        env.clear();
        env.putAll(environment);
        env.putAll(variables(desired, origin, primary));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return new DnsChangeOutcome.Failed("cannot start /bin/sh for the dns command: " + e.getMessage());
        }
        var stdout = drain(process.getInputStream());
        var stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new DnsChangeOutcome.Failed("dns command did not finish before the deadline and was killed "
                        + "(pid " + process.pid() + "); stderr: " + tail(stderr.join()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return new DnsChangeOutcome.Failed("interrupted while waiting for the dns command");
        }
        int exit = process.exitValue();
        if (exit != 0) {
            return new DnsChangeOutcome.Failed("dns command exited with status " + exit + "; stderr: "
                    + tail(stderr.join()));
        }
        stdout.join();
        return new DnsChangeOutcome.Applied(clock.instant(), Optional.of("exec pid " + process.pid()), desired);
    }

    /** The variables the command receives. */
    Map<String, String> variables(WriterRecord desired, ChangeOrigin origin, Optional<NodeSpec> primary) {
        var vars = new HashMap<String, String>();
        vars.put("DRCTL_CLUSTER", origin.cluster().value());
        vars.put("DRCTL_ROLE", primary.isPresent() ? "writer" : "reader");
        vars.put("DRCTL_RECORD", desired.name());
        vars.put("DRCTL_RECORD_TYPE", desired.type().name());
        vars.put("DRCTL_TTL", Integer.toString(desired.ttl()));
        vars.put("DRCTL_RECORD_VALUES", String.join(",", desired.values()));
        vars.put("DRCTL_EPOCH", Long.toString(origin.epoch()));
        vars.put("DRCTL_RUN_ID", origin.runId());
        vars.put("DRCTL_COMMENT", origin.comment());
        primary.ifPresent(p -> {
            vars.put("DRCTL_NEW_PRIMARY", p.name().value());
            vars.put("DRCTL_NEW_PRIMARY_HOST", p.host());
            vars.put("DRCTL_NEW_PRIMARY_PORT", Integer.toString(p.port()));
        });
        return vars;
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    private static String tail(String text) {
        var t = text.strip();
        return t.isEmpty() ? "(empty)" : t.length() <= STDERR_TAIL ? t : "…" + t.substring(t.length() - STDERR_TAIL);
    }

    @Override
    public void close() {
        // nothing held open
    }
}
